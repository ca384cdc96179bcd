"""The intake: /new, a call's link or button, the intake's buttons, and what is typed
while submitting an idea. Updates in, engine calls, screens out; no rules here."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.core.conversation.engine import Draft, Outcome, Problem, Rejection
from bot.core.intake import BOUND_CALL
from bot.core.links import PAYLOAD_PREFIX, call_from_payload
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.services.ideas import SubmitStatus
from bot.ui import conversation as steps
from bot.ui import intake as screens
from bot.ui.callbacks import CallCB, MenuAction, MenuCB, StepAction, StepCB
from bot.ui.keyboards import main_menu
from bot.ui.markup import RemoveKeyboard, Screen
from bot.ui.states import Mode, State
from handlers.talk import Talk

FLOW = "intake"


async def _review(talk: Talk, draft: Draft) -> list[Screen]:
    calls = await talk.conversations.step_options(talk.user_id, draft, "call")
    return [screens.review(talk.render, talk.graph, draft, {"call": calls}, talk.turn.tz)]


def talk_of(turn: Turn) -> Talk:
    return Talk(turn, FLOW, review=_review)


def say(turn: Turn, text: str) -> None:
    """A closing message, with the main menu."""
    turn.reply(Screen(text, main_menu()))


def has_reply_keyboard(talk: Talk, draft: Draft | None) -> bool:
    return draft is not None and talk.graph.step(draft.step).kind in steps.REPLY_KEYBOARD_KINDS


async def leave(talk: Talk, text: str, draft: Draft | None) -> None:
    """End the intake for now with `text` and the main menu, taking away the reply
    keyboard if the draft's step had one."""
    turn = talk.turn
    await turn.enter(None)
    if has_reply_keyboard(talk, draft):
        turn.reply(Screen(text, RemoveKeyboard()))
        say(turn, screens.menu_prompt(turn.render))
        return
    say(turn, text)


async def no_draft(talk: Talk) -> None:
    await leave(talk, screens.no_draft(talk.render), None)


async def _begin(turn: Turn, meta: dict[str, Any] | None = None) -> None:
    talk = talk_of(turn)
    await talk.answering()
    await talk.ask(await talk.conversations.begin(turn.user_id, FLOW, meta))


async def _refused_to_start(turn: Turn) -> bool:
    """An unfinished idea is offered to continue; over the daily limit, nothing starts."""
    talk = talk_of(turn)
    draft = await talk.draft()
    if draft is not None:
        turn.reply(screens.resume_offer(turn.render, talk.graph, draft))
        return True
    ideas = turn.services.ideas
    if await ideas.limit_reached(turn.user_id):
        say(turn, screens.daily_limit_reached(turn.render, ideas.daily_limit))
        return True
    return False


async def on_new(update: Update, context: TurnContext) -> None:
    """/new or the menu's submit: a new draft, or the offer to continue the open one."""
    turn = context.turn
    if not await _refused_to_start(turn):
        await _begin(turn)


async def on_call(update: Update, context: TurnContext) -> None:
    """A call's link (`/start call_12`) or its button: the intake, bound to that call."""
    turn = context.turn
    pressed = CallCB.unpack(update.callback_query.data) if update.callback_query else None
    call_id = pressed.id if pressed else call_from_payload(" ".join(context.args or []))
    calls = turn.services.calls
    call = await calls.get(call_id) if call_id is not None else None
    if call is None or not call.is_open(calls.clock()):
        turn.reply(screens.call_not_open(turn.render, call.title if call else None))
        return
    # An unfinished draft is never wiped: it may pick the call at its call step.
    if await _refused_to_start(turn):
        return
    say(turn, screens.bound_to_call(turn.render, call.title))
    await _begin(turn, {BOUND_CALL: str(call.id)})


async def show(talk: Talk, outcome: Outcome) -> None:
    await talk.ask(outcome.draft, outcome)


async def submit(talk: Talk, draft: Draft, pressed: StepCB) -> None:
    turn = talk.turn
    if draft.step != talk.graph.review or pressed.value != str(draft.id):
        await talk.stale(draft)  # an old review's button, or one pressed while editing
        return
    ideas = turn.services.ideas
    general = pressed.step == screens.AS_GENERAL
    result = await ideas.submit(turn.user_id, turn.platform, draft, as_general=general)
    if result.status is SubmitStatus.SUBMITTED:
        assert result.code is not None
        await turn.enter(None)
        if result.receipt is None:  # no chat to write to later: said now, or never
            say(turn, screens.receipt(turn.render, result.code))
        # Otherwise the receipt is an outbox row, committed with the idea: it goes out
        # right after the commit, or (after a crash) with the sender's next round.
    elif result.status is SubmitStatus.ALREADY_SUBMITTED:
        say(turn, screens.already_submitted(turn.render))
    elif result.status is SubmitStatus.DAILY_LIMIT:
        await leave(talk, screens.daily_limit(turn.render, ideas.daily_limit), None)
    elif result.status is SubmitStatus.CALL_CLOSED:
        turn.reply(screens.call_closed(turn.render, draft, result.closed_call or ""))
    else:
        assert result.missing_step is not None
        outcome = await talk.conversations.edit(turn.user_id, draft, result.missing_step)
        await show(talk, Outcome(outcome.draft, Rejection(Problem.MISSING_ANSWER)))


async def press(talk: Talk, draft: Draft, pressed: StepCB) -> None:
    """A button of the current step (pressed, or its label typed)."""
    if pressed.action is StepAction.CANCEL:
        await on_cancel(talk.turn)
        return
    if pressed.action is StepAction.SUBMIT:
        await submit(talk, draft, pressed)
        return
    await talk.answering()  # also for a button of a draft left earlier
    outcome = await talk.press(draft, pressed)
    if outcome is None:
        await talk.stale(draft)
        return
    await show(talk, outcome)


async def on_cancel(turn: Turn) -> None:
    """/cancel or the cancel button: stop this idea? (The draft is kept.)"""
    talk = talk_of(turn)
    draft = await talk.draft()
    if draft is None:
        await no_draft(talk)
        return
    await turn.enter(State(FLOW, Mode.CONFIRMING_CANCEL))
    turn.reply(screens.cancel_question(turn.render, draft))


async def _cancel_answer(talk: Talk, pressed: StepCB) -> None:
    draft = await talk.draft()
    if draft is None:
        await no_draft(talk)
        return
    if pressed.action is StepAction.CANCEL_NO:
        await talk.answering()
        await talk.ask(draft)
        return
    await leave(talk, screens.cancelled(talk.render), draft)


async def _resume(talk: Talk, pressed: StepCB) -> None:
    turn = talk.turn
    draft = await talk.draft()
    if draft is None:  # an old button: that idea was submitted or discarded
        await no_draft(talk)
        return
    if pressed.value != str(draft.id):  # an offer made for an earlier draft
        await talk.answering()
        await talk.stale(draft)
        return
    if pressed.action is StepAction.RESTART:  # asked first: an old offer's button
        turn.reply(screens.restart_question(turn.render, draft))  # must not wipe a draft
        return
    if pressed.action is StepAction.RESTART_YES:
        ideas = turn.services.ideas
        if await ideas.limit_reached(turn.user_id):  # keep the draft for tomorrow
            await leave(talk, screens.daily_limit_reached(turn.render, ideas.daily_limit), draft)
            return
        if has_reply_keyboard(talk, draft):
            turn.reply(steps.keyboard_removed(turn.render, saved=False))
        draft = await talk.conversations.begin(turn.user_id, FLOW)
    await talk.answering()
    await talk.ask(draft)


async def on_step(turn: Turn, pressed: StepCB) -> None:
    talk = talk_of(turn)
    action = pressed.action
    if action in (StepAction.RESUME, StepAction.RESTART, StepAction.RESTART_YES):
        await _resume(talk, pressed)
        return
    if action in (StepAction.CANCEL_YES, StepAction.CANCEL_NO):
        await _cancel_answer(talk, pressed)
        return
    draft = await talk.draft()
    if draft is None and action is StepAction.SUBMIT:
        say(turn, screens.already_submitted(turn.render))  # a second tap
    elif draft is None:
        await no_draft(talk)
    else:
        await press(talk, draft, pressed)


async def on_input(turn: Turn, message: Message) -> None:
    talk = talk_of(turn)
    draft = await talk.draft()
    if draft is None:
        await no_draft(talk)
        return
    mode = turn.state.mode if turn.state else Mode.ANSWERING
    if mode is Mode.CONFIRMING_CANCEL:
        question = screens.cancel_question(turn.render, draft)
        pressed = steps.typed_button(question, message.text or "", draft)
        if isinstance(pressed, StepCB):
            await _cancel_answer(talk, pressed)
        else:  # "stop or go on?" needs one of its two answers
            turn.reply(question)
        return
    if mode is Mode.PAUSED:  # not an answer: show where we were
        await talk.answering()
        turn.reply(screens.resumed(turn.render))
        await talk.ask(draft)
        return
    taken = await talk.take(draft, message)
    if isinstance(taken, StepCB):
        await press(talk, draft, taken)
        return
    await show(talk, taken)


async def on_edited(turn: Turn, message: Message) -> None:
    """An edit of an earlier message is not an answer; say so, not nothing."""
    turn.reply(steps.edits_not_taken(turn.render))


FLOWS = {FLOW: Flow(on_input, on_step, on_cancel=on_cancel, on_edited=on_edited)}


def handlers() -> list[Any]:
    return [
        Command("new", on_new),
        Command("start", on_call, when=lambda args: args.startswith(PAYLOAD_PREFIX)),
        button(CallCB, on_call),
        button(MenuCB, on_new, when=lambda pressed: pressed.action is MenuAction.SUBMIT),
    ]
