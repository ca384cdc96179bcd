"""Benchmark: people completing the whole intake conversation through ideabot's real
Dispatcher on a SQLite file, against a bare aiogram MemoryStorage form of the same
length measured in the same run.

    python -m bench.intake [--people 100] [--concurrency 10]

Each person sends 17 updates, from /new to the tracking code (a photo, a shared
location and contact included). The baseline is a 17-state aiogram form that keeps
each answer in MemoryStorage and replies with a keyboard: the framework's floor,
with no validation, no drafts, no database and no i18n.
"""

from __future__ import annotations

import argparse
import asyncio

from aiogram import Dispatcher, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message, Update

from bench.common import compare, ideabot_on_sqlite, run
from bot.i18n import make_i18n
from bot.intake.screens import IntakeAction, IntakeCB, label
from bot.keyboards import main_menu
from bot.platforms import Platform
from bot.testing import FakePerson, recording_bot
from storage import repo

PROBLEM = "پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند."
SOLUTION = "حسگر پرشدن روی سطل‌ها نصب می‌شود و مسیر خودروهای جمع‌آوری بهینه می‌شود."


def conversation(person: FakePerson) -> list[Update]:
    def press(action: IntakeAction, step: str = "", value: str = "") -> Update:
        return person.press(IntakeCB(action=action, step=step, value=value).pack())

    pick = IntakeAction.PICK
    return [
        person.text("/new"),
        press(pick, "persona", "company"),
        person.text("شرکت پاک‌شهر"),
        press(pick, "area", "waste"),
        person.text("سطل‌های هوشمند"),
        person.text(PROBLEM),
        person.text(SOLUTION),
        press(IntakeAction.SKIP, "impact"),
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


STEPS = 17
with make_i18n("fa").context():
    SUBMIT_LABEL = label("submit")


FORM_STATES = [State(state=f"step{i}", group_name="Form") for i in range(STEPS)]


def baseline_dispatcher() -> Dispatcher:
    with make_i18n("fa").context():
        menu = main_menu()
    router = Router()

    async def advance(state: FSMContext, value: str | None) -> None:
        current = await state.get_state()
        index = 0 if current is None else int(current.rsplit("step", 1)[1]) + 1
        await state.update_data({f"a{index}": value})
        await state.set_state(FORM_STATES[min(index, STEPS - 1)])

    async def on_message(message: Message, state: FSMContext) -> None:
        await advance(state, message.text)
        await message.answer("next question", reply_markup=menu)

    async def on_press(callback: CallbackQuery, state: FSMContext) -> None:
        await callback.answer()
        await advance(state, callback.data)
        assert callback.message is not None
        await callback.message.answer("next question", reply_markup=menu)

    router.message.register(on_message)
    router.callback_query.register(on_press)
    dp = Dispatcher(storage=MemoryStorage())
    dp.include_router(router)
    return dp


def scripts(people: int, first_id: int) -> list[list[Update]]:
    return [conversation(FakePerson(first_id + i, "Sara")) for i in range(people)]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()

    baseline = baseline_dispatcher()
    base_bot, _ = recording_bot(Platform.BALE)
    base_elapsed, base_latencies = await run(
        lambda u: baseline.feed_update(base_bot, u), scripts(args.people, 1), args.concurrency
    )

    async with ideabot_on_sqlite(Platform.BALE) as (app, bot, _session):
        ours = await run(
            lambda u: app.dispatcher.feed_update(bot, u),
            scripts(args.people, 1_000),
            args.concurrency,
        )
        submitted = 0
        async with app.db.read() as session:
            for user_id in range(1, args.people + 1):
                submitted += len(await repo.list_ideas(session, user_id))

    compare(
        f"{args.people} people x {STEPS} steps (whole intake, /new to tracking code), "
        f"{args.concurrency} at a time",
        "steps",
        (base_elapsed, base_latencies),
        ours,
        "bare aiogram form (memory)",
        "ideabot intake (SQLite)",
    )
    print(f"ideas submitted: {submitted} of {args.people}")
    assert submitted == args.people, "every simulated person should get a tracking code"


if __name__ == "__main__":
    asyncio.run(main())
