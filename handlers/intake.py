"""The intake conversation: updates in, engine calls, screens out. No rules here."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.ideas import IdeaService, SubmitStatus
from bot.intake import screens
from bot.intake.engine import DraftView, Input, InputKind, IntakeEngine, MediaItem, Rejection
from bot.intake.graph import Kind
from bot.intake.screens import REPLY_KEYBOARD_STEPS, IntakeAction, IntakeCB, Screen
from bot.keyboards import MenuAction, MenuCB, main_menu
from bot.render import Renderer
from bot.users import UserView


class IntakeFlow(StatesGroup):
    answering = State()
    confirming_cancel = State()


def read_input(message: Message) -> Input:
    """What the person sent, as the engine's plain Input."""
    if message.text is not None:
        return Input(InputKind.TEXT, text=message.text)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input(InputKind.CONTACT, phone=message.contact.phone_number, contact_is_own=own)
    if message.location is not None:
        location = message.location
        return Input(InputKind.LOCATION, latitude=location.latitude, longitude=location.longitude)
    chat_id, message_id = message.chat.id, message.message_id
    item = None
    if message.photo:
        p = message.photo[-1]
        item = MediaItem(
            "photo",
            p.file_id,
            p.file_unique_id,
            p.file_size,
            None,
            "image/jpeg",
            chat_id,
            message_id,
        )
    elif message.document is not None:
        d = message.document
        item = MediaItem(
            "document",
            d.file_id,
            d.file_unique_id,
            d.file_size,
            d.file_name,
            d.mime_type,
            chat_id,
            message_id,
        )
    elif message.voice is not None:
        v = message.voice
        item = MediaItem(
            "voice",
            v.file_id,
            v.file_unique_id,
            v.file_size,
            None,
            v.mime_type,
            chat_id,
            message_id,
        )
    if item is not None:
        return Input(InputKind.MEDIA, media=item)
    return Input(InputKind.OTHER)


async def send(bot: Bot, chat_id: int, screen: Screen) -> None:
    await bot.send_message(chat_id, screen.text, reply_markup=screen.markup)


async def ask(
    bot: Bot,
    chat_id: int,
    render: Renderer,
    engine: IntakeEngine,
    user: UserView,
    draft: DraftView,
    *,
    problem: Rejection | None = None,
    left: str | None = None,
) -> None:
    """Show the draft's current step (after a problem, if any)."""
    if left in REPLY_KEYBOARD_STEPS and draft.step not in REPLY_KEYBOARD_STEPS:
        await send(bot, chat_id, screens.saved_and_keyboard_removed(render))
    calls = await engine.open_calls(draft)
    offered = await engine.offered_name(user.id) if draft.current.kind is Kind.NAME else ""
    screen = screens.prompt(
        render, draft, calls_open=bool(calls), calls=calls, offered_name=offered, problem=problem
    )
    await send(bot, chat_id, screen)


async def start_or_offer(
    bot: Bot,
    chat_id: int,
    render: Renderer,
    engine: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    draft = await engine.draft(user.id)
    if draft is not None:
        await send(bot, chat_id, screens.resume_offer(render, draft))
        return
    draft = await engine.begin(user.id)
    await state.set_state(IntakeFlow.answering)
    await ask(bot, chat_id, render, engine, user, draft)


async def on_new(
    message: Message,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    await start_or_offer(bot, message.chat.id, render, intake, user, state)


async def on_menu_submit(
    callback: CallbackQuery,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    await start_or_offer(bot, callback.from_user.id, render, intake, user, state)


async def on_resume(
    callback: CallbackQuery,
    callback_data: IntakeCB,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    draft = None
    if callback_data.action is IntakeAction.RESUME:
        draft = await intake.draft(user.id)
    if draft is None:
        draft = await intake.begin(user.id)
    await state.set_state(IntakeFlow.answering)
    await ask(bot, callback.from_user.id, render, intake, user, draft)


async def on_input(
    message: Message,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    draft = await intake.draft(user.id)
    if draft is None:
        await state.clear()
        await message.answer(screens.no_draft(render), reply_markup=main_menu())
        return
    navigation = None
    if draft.step in REPLY_KEYBOARD_STEPS and message.text:
        navigation = screens.reply_navigation(message.text)
    if navigation == "cancel":
        await state.set_state(IntakeFlow.confirming_cancel)
        await send(bot, message.chat.id, screens.cancel_question(render, draft.step))
        return
    if navigation == "back":
        outcome = await intake.back(user.id, draft)
    elif navigation == "skip":
        outcome = await intake.skip(user.id, draft)
    else:
        outcome = await intake.answer(user.id, draft, read_input(message))
    if outcome.file_added:
        await send(bot, message.chat.id, screens.file_received(render, outcome.draft))
        return
    await ask(
        bot,
        message.chat.id,
        render,
        intake,
        user,
        outcome.draft,
        problem=outcome.rejection,
        left=outcome.left,
    )


async def on_step_button(
    callback: CallbackQuery,
    callback_data: IntakeCB,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
    raw_state: str | None,
) -> None:
    chat_id = callback.from_user.id
    draft = await intake.draft(user.id)
    if draft is None:
        await state.clear()
        await bot.send_message(chat_id, screens.no_draft(render), reply_markup=main_menu())
        return
    if raw_state != IntakeFlow.answering.state:  # a button of a draft left earlier
        await state.set_state(IntakeFlow.answering)
    action = callback_data.action
    if action is IntakeAction.EDIT:
        outcome = await intake.edit(user.id, draft, callback_data.value)
    elif callback_data.step != draft.step:
        await bot.send_message(chat_id, screens.stale_button(render))
        await ask(bot, chat_id, render, intake, user, draft)
        return
    elif action is IntakeAction.PICK:
        outcome = await intake.choose(user.id, draft, callback_data.value)
    elif action is IntakeAction.SKIP:
        outcome = await intake.skip(user.id, draft)
    else:
        outcome = await intake.back(user.id, draft)
    await ask(
        bot,
        chat_id,
        render,
        intake,
        user,
        outcome.draft,
        problem=outcome.rejection,
        left=outcome.left,
    )


async def on_cancel_request(
    event: Message | CallbackQuery,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    draft = await intake.draft(user.id)
    await state.set_state(IntakeFlow.confirming_cancel)
    step = draft.step if draft else ""
    await send(
        bot, event.from_user.id if event.from_user else 0, screens.cancel_question(render, step)
    )


async def on_cancel_answer(
    callback: CallbackQuery,
    callback_data: IntakeCB,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
    state: FSMContext,
) -> None:
    chat_id = callback.from_user.id
    draft = await intake.draft(user.id)
    if callback_data.action is IntakeAction.CANCEL_NO and draft is not None:
        await state.set_state(IntakeFlow.answering)
        await ask(bot, chat_id, render, intake, user, draft)
        return
    await state.clear()
    if draft is not None and draft.step in REPLY_KEYBOARD_STEPS:
        await bot.send_message(
            chat_id, screens.cancelled(render), reply_markup=ReplyKeyboardRemove()
        )
        await bot.send_message(chat_id, screens.menu_prompt(render), reply_markup=main_menu())
        return
    await bot.send_message(chat_id, screens.cancelled(render), reply_markup=main_menu())


async def on_waiting_for_cancel_answer(
    message: Message,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    user: UserView,
) -> None:
    draft = await intake.draft(user.id)
    await send(bot, message.chat.id, screens.cancel_question(render, draft.step if draft else ""))


async def on_submit(
    callback: CallbackQuery,
    bot: Bot,
    render: Renderer,
    intake: IntakeEngine,
    ideas: IdeaService,
    user: UserView,
    state: FSMContext,
) -> None:
    chat_id = callback.from_user.id
    draft = await intake.draft(user.id)
    if draft is None:
        await bot.send_message(chat_id, screens.already_submitted(render), reply_markup=main_menu())
        return
    result = await ideas.submit(user.id, user.platform, draft)
    if result.status is SubmitStatus.SUBMITTED:
        assert result.code is not None
        await state.clear()
        await bot.send_message(
            chat_id, screens.receipt(render, result.code), reply_markup=main_menu()
        )
    elif result.status is SubmitStatus.ALREADY_SUBMITTED:
        await bot.send_message(chat_id, screens.already_submitted(render), reply_markup=main_menu())
    elif result.status is SubmitStatus.DAILY_LIMIT:
        await state.clear()
        await bot.send_message(
            chat_id, screens.daily_limit(render, ideas.daily_limit), reply_markup=main_menu()
        )
    else:
        assert result.missing_step is not None
        outcome = await intake.edit(user.id, draft, result.missing_step)
        await ask(bot, chat_id, render, intake, user, outcome.draft)


def router() -> Router:
    r = Router(name="intake")
    in_intake = StateFilter(IntakeFlow.answering, IntakeFlow.confirming_cancel)
    r.message.register(on_new, Command("new"))
    r.callback_query.register(on_menu_submit, MenuCB.filter(F.action == MenuAction.SUBMIT))
    r.message.register(on_cancel_request, Command("cancel"), in_intake)
    r.callback_query.register(
        on_resume, IntakeCB.filter(F.action.in_({IntakeAction.RESUME, IntakeAction.RESTART}))
    )
    r.callback_query.register(on_cancel_request, IntakeCB.filter(F.action == IntakeAction.CANCEL))
    r.callback_query.register(
        on_cancel_answer,
        IntakeCB.filter(F.action.in_({IntakeAction.CANCEL_YES, IntakeAction.CANCEL_NO})),
    )
    r.callback_query.register(on_submit, IntakeCB.filter(F.action == IntakeAction.SUBMIT))
    r.callback_query.register(on_step_button, IntakeCB.filter())
    not_a_command = ~(F.text.startswith("/"))
    r.message.register(
        on_waiting_for_cancel_answer, StateFilter(IntakeFlow.confirming_cancel), not_a_command
    )
    r.message.register(on_input, StateFilter(IntakeFlow.answering), not_a_command)
    return r
