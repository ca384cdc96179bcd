"""Benchmark: updates per second through ideabot's real Applications, against a bare
python-telegram-bot Application doing the same replies, in the same run.

    python -m bench.dispatch [--people 200] [--concurrency 20]

Each simulated person sends /start, /help, opens settings, picks English and sends a
free-text message: five updates, each answered. ideabot's path adds the update's
claim and the person's row (SQLite), the conversation state, texts and rendering; the
baseline has none of them. No network: a recording request answers the Bot API calls.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bench.common import Raw, bare_application, bare_feed, compare, ideabot_on_sqlite, run
from bot.core.platforms import Platform
from bot.devtools.recording import Person, recording
from bot.ui.callbacks import LanguageCB, MenuAction, MenuCB


def script(person: Person) -> list[Raw]:
    return [
        person.text("/start"),
        person.text("/help"),
        person.press(MenuCB(MenuAction.SETTINGS).pack()),
        person.press(LanguageCB("en").pack()),
        person.text("hello there"),
    ]


def scripts(people: int) -> list[list[Raw]]:
    return [script(Person(10_000 + i)) for i in range(people)]


MENU = InlineKeyboardMarkup(
    [[InlineKeyboardButton(f"option {n}", callback_data=f"o:{n}") for n in range(2)]] * 3
)


def install_baseline(application: Any) -> None:
    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("text", reply_markup=MENU)

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text("text", reply_markup=MENU)

    application.add_handler(CommandHandler("start", reply))
    application.add_handler(CommandHandler("help", reply))
    application.add_handler(CallbackQueryHandler(press))
    application.add_handler(MessageHandler(filters.ALL, reply))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()

    async with bare_application(Platform.TELEGRAM) as baseline:
        install_baseline(baseline)
        base = await run(bare_feed(baseline), scripts(args.people), args.concurrency)

    async with ideabot_on_sqlite() as app:

        async def feed(raw: Raw) -> None:
            await app.gateway.handle(Platform.TELEGRAM, raw)

        ours = await run(feed, scripts(args.people), args.concurrency)
        replies = len(recording(app.connections[Platform.TELEGRAM]).messages())

    compare(
        f"{args.people} people x 5 updates, {args.concurrency} at a time, SQLite file",
        "updates",
        base,
        ours,
        "bare python-telegram-bot",
        "ideabot (SQLite)",
    )
    # Each update is answered; a newcomer's first /start also offers the announcements.
    assert replies >= 5 * args.people, f"expected {5 * args.people} replies, got {replies}"


if __name__ == "__main__":
    asyncio.run(main())
