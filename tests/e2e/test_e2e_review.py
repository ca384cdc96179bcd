"""End to end: an administrator on Telegram works a Bale applicant's idea (accepting it
only after confirming); the applicant is told in Persian at each step, with what happens
next, over HTTP, one `ideabot run` process serving both."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.tracking import display_code
from bot.devtools.fakeapi import BotMessage, FakeBotAPI, Person
from tests.support.e2e import BotProcess, environment, submit_an_idea, until

pytestmark = pytest.mark.e2e


async def card_actions(reviewer: Person, code: str) -> BotMessage:
    reviewer.send(f"/idea {code}")
    return await until(reviewer, "آخرین تغییر")  # the card, one message


async def edited(person: Person, message: BotMessage, fragment: str) -> BotMessage:
    """`message` as it is once the bot has edited it to say `fragment`."""
    async with asyncio.timeout(20):
        while True:
            now = [m for m in person.history() if m.message_id == message.message_id]
            if now and fragment in now[0].text:
                return now[0]
            await asyncio.sleep(0.05)


async def test_a_reviewer_on_telegram_moves_a_bale_idea(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url) | {"STAFF": "telegram:801:admin"}
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    try:
        applicant = bale.person(702, "Reza")
        code = await submit_an_idea(applicant)
        reviewer = telegram.person(801, "Nasrin")
        reviewer.send("/start")
        await until(reviewer, "سلام Nasrin")

        reviewer.press(await card_actions(reviewer, code), "🔎 شروع بررسی اولیه")
        await until(reviewer, "انجام شد")
        told = await until(applicant, "وضعیت ایدهٔ")
        assert "در حال بررسی اولیه." in told.text and display_code(code) in told.text

        reviewer.press(await card_actions(reviewer, code), "❓ پرسش از صاحب ایده")
        await until(reviewer, "پرسش خود از صاحب ایده را بفرستید.")
        reviewer.send("هزینهٔ هر حسگر چقدر است؟")
        question = await until(applicant, "پرسشی دارند")
        assert "هزینهٔ هر حسگر چقدر است؟" in question.text
        applicant.press(question, "✍️ پاسخ دادن")
        await until(applicant, "پاسخ خود را در یک پیام بفرستید")
        applicant.send("حدود دو میلیون تومان")
        await until(applicant, "سپاس‌گزاریم.")

        reviewer.press(await card_actions(reviewer, code), "🧪 ارزیابی")
        await until(reviewer, "انجام شد")
        assert "در حال ارزیابی." in (await until(applicant, "وضعیت ایدهٔ")).text

        card = await card_actions(reviewer, code)
        reviewer.press(card, "✅ پذیرفتن…")
        asking = await edited(reviewer, card, "به صاحب ایده در بله خبر داده می‌شود")
        assert await applicant.silence(0.5)  # asked first: nothing done yet
        reviewer.press(asking, "تأیید: ✅ پذیرفتن")
        await until(reviewer, "انجام شد")
        accepted = await until(applicant, "وضعیت ایدهٔ")
        assert "پذیرفته‌شده.\n\nتبریک!" in accepted.text

        applicant.send(f"/track {code}")
        tracked = await until(applicant, "سوابق")
        assert "پاسخ شما: حدود دو میلیون تومان" in tracked.text
    finally:
        assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()
    assert not [c for c in bale.calls if "parse_mode" in c.params]
    assert {c.method for c in telegram.calls if c.status != 200} == set()
