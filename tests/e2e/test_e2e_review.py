"""End to end: a reviewer on Telegram works a Bale applicant's idea; the applicant is told
in Persian at each step, over HTTP, one `ideabot run` process serving both."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.tracking import display_code
from bot.devtools.fakeapi import BotMessage, FakeBotAPI, Person
from tests.support.e2e import BotProcess, environment, submit_an_idea, until

pytestmark = pytest.mark.e2e


async def card_actions(reviewer: Person, code: str) -> BotMessage:
    reviewer.send(f"/idea {code}")
    return await until(reviewer, "سوابق")


async def test_a_reviewer_on_telegram_moves_a_bale_idea(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url) | {"STAFF": "telegram:801:reviewer"}
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    try:
        applicant = bale.person(702, "Reza")
        code = await submit_an_idea(applicant)
        reviewer = telegram.person(801, "Nasrin")
        reviewer.send("/start")
        await until(reviewer, "سلام Nasrin")

        reviewer.press(await card_actions(reviewer, code), "← در حال بررسی اولیه")
        await until(reviewer, "انجام شد")
        told = await until(applicant, "وضعیت ایدهٔ")
        assert told.text.endswith("در حال بررسی اولیه.") and display_code(code) in told.text

        reviewer.press(await card_actions(reviewer, code), "← نیازمند اطلاعات تکمیلی")
        await until(reviewer, "پرسش خود از صاحب ایده را بفرستید.")
        reviewer.send("هزینهٔ هر حسگر چقدر است؟")
        question = await until(applicant, "پرسشی دارند")
        assert "هزینهٔ هر حسگر چقدر است؟" in question.text
        applicant.press(question, "✍️ پاسخ دادن")
        await until(applicant, "پاسخ خود را در یک پیام بفرستید")
        applicant.send("حدود دو میلیون تومان")
        await until(applicant, "سپاس‌گزاریم.")

        for target, name in (
            ("← در حال ارزیابی", "در حال ارزیابی."),
            ("← پذیرفته‌شده", "پذیرفته‌شده."),
        ):
            reviewer.press(await card_actions(reviewer, code), target)
            await until(reviewer, "انجام شد")
            assert (await until(applicant, "وضعیت ایدهٔ")).text.endswith(name)

        applicant.send(f"/track {code}")
        tracked = await until(applicant, "سوابق")
        assert "پاسخ شما: حدود دو میلیون تومان" in tracked.text
    finally:
        assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()
    assert not [c for c in bale.calls if "parse_mode" in c.params]
    assert {c.method for c in telegram.calls if c.status != 200} == set()
