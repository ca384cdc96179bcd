"""Benchmark: people completing the whole intake conversation through ideabot's real
Applications on a SQLite file, against a bare python-telegram-bot form of the same
length measured in the same run.

    python -m bench.intake [--people 100] [--concurrency 10]

Each person sends 17 updates, from /new to the tracking code (a photo, a shared
location and contact included). The baseline is a 17-step form that keeps each answer
in a dict and replies with a keyboard: the framework's floor, with no validation, no
drafts, no database and no texts.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bench.common import (
    Raw,
    bare_application,
    bare_feed,
    compare,
    ideabot_on_sqlite,
    run,
    watch,
)
from bot.core.platforms import Platform
from bot.devtools.recording import Person
from bot.ui.callbacks import StepAction, StepCB
from locales import intake
from locales.i18n import use_locale
from storage import ideas

PROBLEM = "پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند."
SOLUTION = "حسگر پرشدن روی سطل‌ها نصب می‌شود و مسیر خودروهای جمع‌آوری بهینه می‌شود."
STEPS = 17
with use_locale("fa"):
    SUBMIT_LABEL = str(intake.SUBMIT)


def conversation(person: Person) -> list[Raw]:
    def press(action: StepAction, step: str = "", value: str = "") -> Raw:
        return person.press(StepCB("intake", action, step, value).pack())

    pick = StepAction.PICK
    return [
        person.text("/new"),
        press(pick, "persona", "company"),
        person.text("شرکت پاک‌شهر"),
        press(pick, "area", "waste"),
        person.text("سطل‌های هوشمند"),
        person.text(PROBLEM),
        person.text(SOLUTION),
        press(StepAction.SKIP, "impact"),
        press(pick, "stage", "prototype"),
        person.text("۴"),
        person.photo(),
        press(pick, "attachments", "done"),
        person.location(38.08, 46.29),
        press(pick, "full_name", "profile"),
        person.contact("+989121234567"),
        press(pick, "consent", "agree"),
        person.text(SUBMIT_LABEL),  # typed: the button's data carries the draft's id
    ]


def scripts(people: int, first_id: int) -> list[list[Raw]]:
    return [
        conversation(Person(first_id + i, "Sara", platform=Platform.BALE)) for i in range(people)
    ]


MENU = InlineKeyboardMarkup(
    [[InlineKeyboardButton(f"option {n}", callback_data=f"o:{n}") for n in range(2)]] * 3
)


def install_baseline(application: Any) -> None:
    answers: dict[int, dict[int, str | None]] = {}

    def advance(user_id: int, value: str | None) -> None:
        mine = answers.setdefault(user_id, {})
        mine[min(len(mine), STEPS - 1)] = value

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None and update.effective_message is not None
        advance(update.effective_user.id, update.effective_message.text)
        await update.effective_message.reply_text("next question", reply_markup=MENU)

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and update.effective_user is not None
        await query.answer()
        advance(update.effective_user.id, query.data)
        await context.bot.send_message(update.effective_user.id, "next question", reply_markup=MENU)

    application.add_handler(MessageHandler(filters.ALL, on_message))
    application.add_handler(CallbackQueryHandler(on_press))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()

    async with bare_application(Platform.BALE) as baseline:
        install_baseline(baseline)
        base = await run(bare_feed(baseline), scripts(args.people, 1), args.concurrency)

    async with ideabot_on_sqlite() as app:

        async def feed(raw: Raw) -> None:
            await app.gateway.handle(Platform.BALE, raw)

        counts = watch(app)
        ours = await run(feed, scripts(args.people, 1_000), args.concurrency)
        steps = len(ours[1])
        database = counts.per(steps)
        submitted = 0
        async with app.db.read() as session:
            for user_id in range(1, args.people + 1):
                submitted += len(await ideas.list_ideas(session, user_id))

    compare(
        f"{args.people} people x {STEPS} steps (whole intake, /new to tracking code), "
        f"{args.concurrency} at a time",
        "steps",
        base,
        ours,
        "bare python-telegram-bot form",
        "ideabot intake (SQLite)",
    )
    print(f"database: {database}")
    print(f"ideas submitted: {submitted} of {args.people}")
    assert submitted == args.people, "every simulated person should get a tracking code"


if __name__ == "__main__":
    asyncio.run(main())
