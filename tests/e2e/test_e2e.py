"""End to end: `ideabot run` as a real process serving a Telegram-flavour and a
strict Bale-flavour fake Bot API server at once, over HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.fakeapi import FakeBotAPI
from tests.support.e2e import BotProcess, closed_port, environment

pytestmark = pytest.mark.e2e


async def test_one_process_serves_both_platforms(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    process = BotProcess(environment(tmp_path, telegram.url, bale.url), tmp_path / "bot.log")
    await process.start()
    try:
        people = [telegram.person(501, "Sara"), bale.person(502, "Reza <b>*")]
        for person in people:
            person.send("/start")
        for person in people:
            welcome = await person.next(30)
            assert welcome.text.startswith(f"سلام {person.first_name}!")
            assert "مرکز نوآوری و فناوری شهرداری تبریز" in welcome.text
            picker = await person.next()
            assert picker.text.startswith("مایلید چه اطلاعیه‌هایی از مرکز دریافت کنید؟")
            person.press(picker, "▫️ 🗓 رویدادها و کارگاه‌ها")  # events: on
            shown = await person.next()
            assert "✅ 🗓 رویدادها و کارگاه‌ها" in shown.button_texts()
            person.press(shown, "✔️ پایان")
            saved = await person.next()
            assert saved.text.startswith("ذخیره شد.")
            person.send("/language")
            choice = await person.next()
            person.press(choice, "English")
            done = await person.next()
            assert done.text == "Done: the bot now speaks English."
            assert done.button_texts() == [
                "💡 Submit an idea",
                "📋 My ideas",
                "📣 Calls for proposals",
                "🗓 Events",
                "ℹ️ About the center",
                "⚙️ Settings",
            ]

        assert await process.stop() == 0, process.log()

        # A restart keeps users and their language.
        await process.start()
        for person in people:
            person.send("/start")
            hello = await person.next(30)
            assert hello.text.startswith(f"Hello {person.first_name}!"), hello.text

        # A redelivered update is handled once.
        last = bale.delivered[-1]["update_id"]
        bale.redeliver(last)
        await bale.wait_confirmed()
        assert await people[1].silence(1.5)

        # The Telegram server going away does not stop Bale.
        await telegram.stop()
        people[1].send("/help")
        reply = await people[1].next(15)
        assert reply.text.startswith("How to use this bot")
    finally:
        code = await process.stop()
    assert code == 0
    log = process.log()
    assert "Traceback" not in log
    assert "telegram: unreachable" in log

    # Nothing sent to Bale carried parse_mode; the only refusal was setMyCommands.
    assert not [c for c in bale.calls if "parse_mode" in c.params]
    assert {c.method for c in bale.calls if c.status != 200} == {"setMyCommands"}
    # Telegram got HTML, and the person's name arrived escaped, so shown as typed.
    assert all(c.params.get("parse_mode") == "HTML" for c in telegram.calls_to("sendMessage"))
    assert bale.chat_messages(502)[0].text.startswith("سلام Reza <b>*!")


async def test_bale_serves_while_telegram_is_unreachable_from_the_start(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    _telegram, bale = servers
    env = environment(tmp_path, f"http://127.0.0.1:{closed_port()}", bale.url)
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    try:
        person = bale.person(7, "Mina")
        person.send("/start")
        welcome = await person.next(30)
        assert welcome.text.startswith("سلام Mina!")
    finally:
        assert await process.stop() == 0
    assert "telegram: unreachable" in process.log()
