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

from aiogram import Dispatcher, F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message, Update

from bench.common import compare, ideabot_on_sqlite, run
from bot.i18n import make_i18n
from bot.keyboards import LanguageCB, MenuAction, MenuCB, main_menu
from bot.platforms import Platform
from bot.testing import FakePerson, recording_bot


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

    async with ideabot_on_sqlite(Platform.TELEGRAM) as (app, bot, session):
        ours = await run(
            lambda u: app.dispatcher.feed_update(bot, u), scripts(args.people), args.concurrency
        )
        replies = len(session.texts())

    compare(
        f"{args.people} people x 5 updates, {args.concurrency} at a time, SQLite file",
        "updates",
        (base_elapsed, base_latencies),
        ours,
        "bare aiogram (memory)",
        "ideabot (SQLite)",
    )
    assert replies == 5 * args.people, f"expected {5 * args.people} replies, got {replies}"


if __name__ == "__main__":
    asyncio.run(main())
