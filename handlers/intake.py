"""The intake conversation: updates in, engine calls, screens out. No rules here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject

from bot.calls import PAYLOAD_PREFIX as CALL_PAYLOAD
from bot.calls import CallService, call_from_payload
from bot.ideas import IdeaService, SubmitStatus
from bot.intake import graph, screens
from bot.intake.engine import (
    DraftView,
    Input,
    InputKind,
    IntakeEngine,
    MediaItem,
    Outcome,
    Problem,
    Rejection,
)
from bot.intake.graph import Kind
from bot.intake.screens import REPLY_KEYBOARD_STEPS, IntakeAction, IntakeCB, Screen
from bot.keyboards import CallCB, MenuAction, MenuCB, main_menu
from bot.persian import normalize
from bot.render import Renderer, bound
from bot.users import UserView


class IntakeFlow(StatesGroup):
    answering = State()
    confirming_cancel = State()
    # Another command or menu came in between: what is typed next is not an answer
    # until the current step has been shown again.
    paused = State()


INTAKE_STATES = (IntakeFlow.answering, IntakeFlow.confirming_cancel, IntakeFlow.paused)
PAUSABLE = frozenset({IntakeFlow.answering.state, IntakeFlow.confirming_cancel.state})


def read_input(message: Message) -> Input:
    """What the person sent, as the engine's plain Input."""
    if message.text is not None:
        return Input(InputKind.TEXT, text=message.text)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input(InputKind.CONTACT, phone=message.contact.phone_number, contact_is_own=own)
    if message.location is not None:
        where = message.location
        return Input(InputKind.LOCATION, latitude=where.latitude, longitude=where.longitude)
    file: Any = None
    kind = ""
    if message.photo:
        kind, file = "photo", message.photo[-1]
    elif message.document is not None:
        kind, file = "document", message.document
    elif message.voice is not None:
        kind, file = "voice", message.voice
    if file is None:
        return Input(InputKind.OTHER)
    item = MediaItem(
        kind=kind,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        size=file.file_size,
        name=getattr(file, "file_name", None),
        mime_type=getattr(file, "mime_type", None) or ("image/jpeg" if kind == "photo" else None),
        chat_id=message.chat.id,
        message_id=message.message_id,
        caption=bound(normalize(message.caption), 1024) if message.caption else None,
    )
    return Input(InputKind.MEDIA, media=item)


@dataclass
class Conversation:
    """One person's intake in this update: where to send, how to render, whom to ask."""

    bot: Bot
    chat_id: int
    render: Renderer
    engine: IntakeEngine
    user: UserView
    state: FSMContext
    raw_state: str | None
    ideas: IdeaService

    async def send(self, screen: Screen) -> None:
        await self.bot.send_message(self.chat_id, screen.text, reply_markup=screen.markup)

    async def say(self, text: str) -> None:
        """A closing message, with the main menu."""
        await self.bot.send_message(self.chat_id, text, reply_markup=main_menu())

    async def draft(self) -> DraftView | None:
        return await self.engine.draft(self.user.id)

    async def answering(self) -> None:
        if self.raw_state != IntakeFlow.answering.state:
            await self.state.set_state(IntakeFlow.answering)
            self.raw_state = IntakeFlow.answering.state

    async def ask(self, draft: DraftView, outcome: Outcome | None = None) -> None:
        """Show the draft's current step, after what went wrong, if anything."""
        if outcome is not None and outcome.file_added:
            await self.send(screens.file_received(self.render, draft))
            return
        left = outcome.left if outcome else None
        if left in REPLY_KEYBOARD_STEPS and draft.step not in REPLY_KEYBOARD_STEPS:
            saved = outcome is not None and outcome.saved
            await self.send(screens.keyboard_removed(self.render, saved))
        await self.send(await self.screen(draft, outcome))

    async def screen(self, draft: DraftView, outcome: Outcome | None = None) -> Screen:
        calls = await self.engine.open_calls(draft)
        offered = ""
        if draft.current.kind is Kind.NAME:
            offered = await self.engine.offered_name(self.user.id)
        return screens.prompt(
            self.render,
            draft,
            calls_open=bool(calls),
            calls=calls,
            offered_name=offered,
            problem=outcome.rejection if outcome else None,
        )

    async def show(self, outcome: Outcome) -> None:
        await self.ask(outcome.draft, outcome)

    async def leave(self, text: str, draft: DraftView | None) -> None:
        """End the intake for now with `text` and the main menu, taking away the reply
        keyboard if the draft's step had one."""
        await self.state.clear()
        if draft is not None and draft.step in REPLY_KEYBOARD_STEPS:
            await self.send(Screen(text, ReplyKeyboardRemove()))
            await self.say(screens.menu_prompt(self.render))
            return
        await self.say(text)

    async def no_draft(self) -> None:
        await self.leave(screens.no_draft(self.render), None)

    async def stale(self, draft: DraftView) -> None:
        await self.bot.send_message(self.chat_id, screens.stale_button(self.render))
        await self.ask(draft)

    async def press(self, draft: DraftView, pressed: IntakeCB) -> None:
        """A button of the current step (pressed, or its label typed)."""
        engine, user_id, action = self.engine, self.user.id, pressed.action
        if action is IntakeAction.CANCEL:
            await on_cancel_request(None, self)
            return
        if action is IntakeAction.SUBMIT:
            await self.submit(draft, pressed)
            return
        await self.answering()  # also for a button of a draft left earlier
        if action is IntakeAction.EDIT:
            if pressed.value != str(draft.id):  # the review of another, earlier idea
                await self.stale(draft)
                return
            outcome = await engine.edit(user_id, draft, pressed.step)
        elif pressed.step != draft.step:
            await self.stale(draft)
            return
        elif action is IntakeAction.PICK:
            outcome = await engine.choose(user_id, draft, pressed.value)
        elif action is IntakeAction.SKIP:
            outcome = await engine.skip(user_id, draft)
        elif action is IntakeAction.BACK:
            outcome = await engine.back(user_id, draft)
        else:
            await self.stale(draft)
            return
        await self.show(outcome)

    async def submit(self, draft: DraftView, pressed: IntakeCB) -> None:
        if draft.step != graph.REVIEW or pressed.value != str(draft.id):
            await self.stale(draft)  # an old review's button, or one pressed while editing
            return
        ideas = self.ideas
        general = pressed.step == screens.AS_GENERAL
        result = await ideas.submit(self.user.id, self.user.platform, draft, as_general=general)
        if result.status is SubmitStatus.SUBMITTED:
            assert result.code is not None
            await self.leave(screens.receipt(self.render, result.code), None)
        elif result.status is SubmitStatus.ALREADY_SUBMITTED:
            await self.say(screens.already_submitted(self.render))
        elif result.status is SubmitStatus.DAILY_LIMIT:
            await self.leave(screens.daily_limit(self.render, ideas.daily_limit), None)
        elif result.status is SubmitStatus.CALL_CLOSED:
            await self.send(screens.call_closed(self.render, draft, result.closed_call or ""))
        else:
            assert result.missing_step is not None
            outcome = await self.engine.edit(self.user.id, draft, result.missing_step)
            await self.show(Outcome(outcome.draft, Rejection(Problem.MISSING_ANSWER)))


class ConversationMiddleware(BaseMiddleware):
    """Gives the intake's handlers a `talk` (Conversation) built from the update."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender = getattr(event, "from_user", None)
        user: UserView | None = data.get("user")
        if sender is None or user is None:
            return None
        data["talk"] = Conversation(
            data["bot"],
            sender.id,
            data["render"],
            data["intake"],
            user,
            data["state"],
            data.get("raw_state"),
            data["ideas"],
        )
        return await handler(event, data)


async def on_start(_event: TelegramObject, talk: Conversation, ideas: IdeaService) -> None:
    """/new or the menu's submit: a new draft, or the offer to continue the open one."""
    draft = await talk.draft()
    if draft is not None:
        await talk.send(screens.resume_offer(talk.render, draft))
        return
    if await ideas.limit_reached(talk.user.id):
        await talk.say(screens.daily_limit_reached(talk.render, ideas.daily_limit))
        return
    await talk.answering()
    await talk.ask(await talk.engine.begin(talk.user.id))


async def on_call(
    event: TelegramObject,
    talk: Conversation,
    ideas: IdeaService,
    calls: CallService,
    command: CommandObject | None = None,
    callback_data: CallCB | None = None,
) -> None:
    """A call's link (`/start call_12`) or its button: the intake, bound to that call."""
    call_id = (
        callback_data.id if callback_data else call_from_payload(command.args if command else None)
    )
    call = await calls.get(call_id) if call_id is not None else None
    if call is None or not call.is_open(calls.clock()):
        await talk.send(screens.call_not_open(talk.render, call.title if call else None))
        return
    draft = await talk.draft()
    if draft is not None:  # never wipe a draft: it may pick the call at its call step
        await talk.send(screens.resume_offer(talk.render, draft))
        return
    if await ideas.limit_reached(talk.user.id):
        await talk.say(screens.daily_limit_reached(talk.render, ideas.daily_limit))
        return
    await talk.answering()
    await talk.say(screens.bound_to_call(talk.render, call.title))
    await talk.ask(await talk.engine.begin(talk.user.id, call.id))


async def on_resume(_callback: CallbackQuery, callback_data: IntakeCB, talk: Conversation) -> None:
    draft = await talk.draft()
    if draft is None:  # an old button: that idea was submitted or discarded
        await talk.no_draft()
        return
    if callback_data.value != str(draft.id):  # an offer made for an earlier draft
        await talk.answering()
        await talk.stale(draft)
        return
    if callback_data.action is IntakeAction.RESTART:  # asked first: an old offer's button
        await talk.send(screens.restart_question(talk.render, draft))  # must not wipe a draft
        return
    if callback_data.action is IntakeAction.RESTART_YES:
        if await talk.ideas.limit_reached(talk.user.id):  # keep the draft for tomorrow
            limit = screens.daily_limit_reached(talk.render, talk.ideas.daily_limit)
            await talk.leave(limit, draft)
            return
        if draft.step in REPLY_KEYBOARD_STEPS:
            await talk.send(screens.keyboard_removed(talk.render, saved=False))
        draft = await talk.engine.begin(talk.user.id)
    await talk.answering()
    await talk.ask(draft)


async def on_input(message: Message, talk: Conversation) -> None:
    draft = await talk.draft()
    if draft is None:
        await talk.no_draft()
        return
    if talk.raw_state == IntakeFlow.confirming_cancel.state:
        question = screens.cancel_question(talk.render, draft.step)
        pressed = screens.typed_button(question, message.text or "", draft.step)
        if isinstance(pressed, IntakeCB):
            await on_cancel_answer(None, pressed, talk)
        else:  # "stop or go on?" needs one of its two answers
            await talk.send(question)
        return
    if talk.raw_state == IntakeFlow.paused.state:  # not an answer: show where we were
        await talk.answering()
        await talk.bot.send_message(talk.chat_id, screens.resumed(talk.render))
        await talk.ask(draft)
        return
    if message.text and screens.could_be_a_label(message.text):
        pressed = screens.typed_button(await talk.screen(draft), message.text, draft.step)
        if isinstance(pressed, IntakeCB):
            await talk.press(draft, pressed)
            return
        if pressed is not None:  # a button's label, but not a button of this step
            await talk.show(Outcome(draft, pressed))
            return
    await talk.show(await talk.engine.answer(talk.user.id, draft, read_input(message)))


async def on_edited(_message: Message, talk: Conversation) -> None:
    """An edit of an earlier message is not an answer; say so, not nothing."""
    await talk.bot.send_message(talk.chat_id, screens.edits_not_taken(talk.render))


async def on_step_button(
    _callback: CallbackQuery, callback_data: IntakeCB, talk: Conversation
) -> None:
    draft = await talk.draft()
    if draft is None and callback_data.action is IntakeAction.SUBMIT:
        await talk.say(screens.already_submitted(talk.render))  # a second tap
    elif draft is None:
        await talk.no_draft()
    else:
        await talk.press(draft, callback_data)


async def on_cancel_request(_event: TelegramObject | None, talk: Conversation) -> None:
    draft = await talk.draft()
    if draft is None:
        await talk.no_draft()
        return
    await talk.state.set_state(IntakeFlow.confirming_cancel)
    talk.raw_state = IntakeFlow.confirming_cancel.state
    await talk.send(screens.cancel_question(talk.render, draft.step))


async def on_cancel_answer(
    _callback: CallbackQuery | None, callback_data: IntakeCB, talk: Conversation
) -> None:
    draft = await talk.draft()
    if draft is None:
        await talk.no_draft()
        return
    if callback_data.action is IntakeAction.CANCEL_NO:
        await talk.answering()
        await talk.ask(draft)
        return
    await talk.leave(screens.cancelled(talk.render), draft)


class PauseOnOtherCommands(BaseMiddleware):
    """A command or a menu button from elsewhere in the middle of the intake pauses it,
    so that what is typed next (an answer to that other screen) is not stored as an
    answer to the idea. /cancel and the intake's own buttons don't pause."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if data.get("raw_state") in PAUSABLE:
            text = event.text or "" if isinstance(event, Message) else ""
            command = text.startswith("/") and not text.startswith("/cancel")
            callback = isinstance(event, CallbackQuery) and not (event.data or "").startswith(
                f"{IntakeCB.__prefix__}{IntakeCB.__separator__}"
            )
            if command or callback:
                await data["state"].set_state(IntakeFlow.paused)
                data["raw_state"] = IntakeFlow.paused.state
        return await handler(event, data)


def router() -> Router:
    r = Router(name="intake")
    # The intake router comes first among the features: its outer middleware sees
    # every message and button, including those other routers handle.
    r.message.outer_middleware(PauseOnOtherCommands())
    r.callback_query.outer_middleware(PauseOnOtherCommands())
    for observer in (r.message, r.callback_query, r.edited_message):
        observer.middleware(ConversationMiddleware())
    in_intake = StateFilter(*INTAKE_STATES)
    not_a_command = ~F.text.startswith("/")
    r.message.register(on_start, Command("new"))
    r.message.register(on_call, CommandStart(deep_link=True, magic=F.args.startswith(CALL_PAYLOAD)))
    r.callback_query.register(on_call, CallCB.filter())
    r.callback_query.register(on_start, MenuCB.filter(F.action == MenuAction.SUBMIT))
    r.message.register(on_cancel_request, Command("cancel"), in_intake)
    r.callback_query.register(
        on_resume,
        IntakeCB.filter(
            F.action.in_({IntakeAction.RESUME, IntakeAction.RESTART, IntakeAction.RESTART_YES})
        ),
    )
    r.callback_query.register(
        on_cancel_answer,
        IntakeCB.filter(F.action.in_({IntakeAction.CANCEL_YES, IntakeAction.CANCEL_NO})),
    )
    r.callback_query.register(on_step_button, IntakeCB.filter())
    r.message.register(on_input, in_intake, not_a_command)
    r.edited_message.register(on_edited, in_intake)
    return r
