"""Benchmark: updates per second through ideabot's real Dispatcher, against a bare
aiogram Dispatcher doing the same replies with MemoryStorage, in the same run.

    python -m bench.dispatch [--people 200] [--concurrency 20]

Each simulated person sends /start, /help, opens settings, picks English and
sends a free-text message: five updates, each answered. ideabot's path adds the
update-id claim and user upsert (one SQLite write), the SQL FSM storage, i18n
and rendering; the baseline has none of them. No network: a recording session
answers the Bot API calls.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from aiogram import Dispatcher, F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message, Update

from bench.common import describe, run
from bot.app import build_app
from bot.config import load_settings
from bot.i18n import make_i18n
from bot.keyboards import LanguageCB, MenuAction, MenuCB, main_menu
from bot.platforms import Platform
from bot.testing import FakePerson, recording_bot
from storage import Database


def script(person: FakePerson) -> list[Update]:
    return [
        person.text("/start"),
        person.text("/help"),
        person.press(MenuCB(action=MenuAction.SETTINGS).pack()),
        person.press(LanguageCB(code="en").pack()),
        person.text("hello there"),
    ]


def scripts(people: int) -> list[list[Update]]:
    return [script(FakePerson(10_000 + i)) for i in range(people)]


def baseline_dispatcher() -> Dispatcher:
    router = Router()
    with make_i18n("fa").context():
        menu = main_menu()

    async def reply(message: Message) -> None:
        await message.answer("text", reply_markup=menu)

    async def press(callback: CallbackQuery) -> None:
        await callback.answer()
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("text", reply_markup=menu)

    router.message.register(reply, CommandStart())
    router.message.register(reply, Command("help"))
    router.callback_query.register(press, F.data)
    router.message.register(reply)
    dp = Dispatcher(storage=MemoryStorage())
    dp.include_router(router)
    return dp


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()

    baseline = baseline_dispatcher()
    base_bot, _ = recording_bot(Platform.TELEGRAM)
    base_elapsed, base_latencies = await run(
        lambda u: baseline.feed_update(base_bot, u), scripts(args.people), args.concurrency
    )

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        await db.upgrade()
        app = build_app(load_settings(database_url=url), db)
        bot, session = recording_bot(Platform.TELEGRAM)
        elapsed, latencies = await run(
            lambda u: app.dispatcher.feed_update(bot, u), scripts(args.people), args.concurrency
        )
        replies = len(session.texts())
        await db.dispose()

    print(f"{args.people} people x 5 updates, {args.concurrency} at a time, SQLite file")
    base_rate = describe("bare aiogram (memory)", base_elapsed, base_latencies)
    rate = describe("ideabot (SQLite)", elapsed, latencies)
    print(f"ratio ideabot/bare: {rate / base_rate:.3f} of the baseline's throughput")
    assert replies == 5 * args.people, f"expected {5 * args.people} replies, got {replies}"


if __name__ == "__main__":
    asyncio.run(main())
