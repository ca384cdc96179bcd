"""Staff publish calls for proposals and events: /newcall, /newevent, and the lists under
/admin (edit, close a call, move or cancel an event). The forms are conversations like
the intake, walked by the same engine; an existing item's one field is saved at once."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.core.conversation.engine import (
    Draft,
    Outcome,
    Problem,
    Rejection,
    answers_of,
    fields_of,
    out_of_order,
)
from bot.core.conversation.graph import Kind
from bot.core.forms import GRAPHS
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.ui import forms as screens
from bot.ui.callbacks import ManageAction, ManageCB, StepAction, StepCB
from bot.ui.markup import Screen
from handlers.talk import Talk

FORMS = ("call", "event")
ITEM, SINGLE = "_id", "_single"  # the item edited, and whether one field only


async def _review(talk: Talk, draft: Draft) -> list[Screen]:
    return [screens.review(talk.render, talk.graph, draft, talk.turn.tz)]


def talk_of(turn: Turn, flow: str) -> Talk:
    return Talk(turn, flow, review=_review)


# ----- the lists -----
async def send_calls(turn: Turn) -> None:
    calls = turn.services.calls
    recent = await calls.recent()
    turn.reply(screens.calls_heading(turn.render, len(recent)))
    now = calls.clock()
    for call in recent[:10]:
        turn.reply(screens.call_item(turn.render, call, turn.tz, now, turn.call_link(call.id)))


async def send_events(turn: Turn) -> None:
    recent = await turn.services.events.recent()
    turn.reply(screens.events_heading(turn.render, len(recent)))
    for event in recent[:10]:
        turn.reply(screens.event_item(turn.render, event, turn.tz))


async def _item(turn: Turn, flow: str, item_id: int) -> Any:
    service = turn.services.calls if flow == "call" else turn.services.events
    return await service.get(item_id)


async def on_new(update: Update, context: TurnContext) -> None:
    """/newcall, /newevent, or the ➕ buttons."""
    turn = context.turn
    if update.callback_query is not None:
        pressed = ManageCB.unpack(update.callback_query.data)
        flow = pressed.form if pressed else "call"
    else:
        flow = (
            "call"
            if (update.message and (update.message.text or "").startswith("/newcall"))
            else "event"
        )
    if flow not in FORMS:
        return
    talk = talk_of(turn, flow)
    await talk.answering()
    await talk.ask(await talk.conversations.begin(turn.user_id, flow))


async def on_manage(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = ManageCB.unpack(update.callback_query.data)
    assert pressed is not None
    action = pressed.action
    if action is ManageAction.CALLS:
        await send_calls(turn)
    elif action is ManageAction.EVENTS:
        await send_events(turn)
    elif action is ManageAction.NEW:
        await on_new(update, context)
    elif action in (ManageAction.EDIT, ManageAction.FIELD):
        await _edit(turn, pressed)
    elif action is ManageAction.CLOSE_CALL:  # asked first: a closed call stays closed
        turn.reply(screens.close_call_question(turn.render, pressed.id))
    elif action is ManageAction.CLOSE_CALL_YES:
        call = await turn.services.calls.close(pressed.id)
        if call is not None:
            turn.edit(screens.call_closed(turn.render, call, turn.tz))
    elif action is ManageAction.CANCEL_EVENT:
        turn.reply(screens.cancel_event_question(turn.render, pressed.id))
    elif action is ManageAction.CANCEL_EVENT_YES:
        cancelled = await turn.services.events.cancel(pressed.id)
        turn.edit(screens.event_cancelled(turn.render, cancelled))


async def _edit(turn: Turn, pressed: ManageCB) -> None:
    if pressed.form not in FORMS:
        return
    item = await _item(turn, pressed.form, pressed.id)
    if item is None:
        turn.reply(screens.gone(turn.render))
        return
    graph = GRAPHS[pressed.form]
    values = answers_of(GRAPHS[pressed.form], item)
    if pressed.action is ManageAction.EDIT:
        turn.reply(screens.fields(turn.render, graph, item.id, values, turn.tz))
        return
    if not graph.has(pressed.value) or graph.step(pressed.value).kind is Kind.REVIEW:
        return
    talk = talk_of(turn, pressed.form)
    meta = {ITEM: item.id, SINGLE: True}
    draft = await talk.conversations.begin(
        turn.user_id, pressed.form, meta, at=pressed.value, answers=values
    )
    await talk.answering()
    await talk.ask(draft)


# ----- the forms -----
async def save(talk: Talk, draft: Draft) -> None:
    turn = talk.turn
    late = out_of_order(talk.graph, draft.answers)
    if late is not None:  # its partner was edited: it is asked again
        moved = await talk.conversations.begin(
            turn.user_id, talk.flow, draft.answers, at=late, answers=draft.answers
        )
        await talk.ask(moved, Outcome(moved, Rejection(Problem.TOO_EARLY)))
        return
    fields = fields_of(talk.graph, draft.answers)
    item_id = draft.meta(ITEM)
    await talk.conversations.discard(turn.user_id, talk.flow)
    await turn.enter(None)
    if talk.flow == "call":
        calls = turn.services.calls
        call = await calls.save(item_id, fields)
        now = calls.clock()
        turn.reply(screens.call_saved(turn.render, call, turn.tz, now, turn.call_link(call.id)))
    else:
        event = await turn.services.events.save(item_id, fields)
        turn.reply(screens.event_saved(turn.render, event, turn.tz))


async def after(talk: Talk, outcome: Outcome) -> None:
    """After a change: one field of an existing item is saved at once; otherwise the
    next step, or the check before saving."""
    draft = outcome.draft
    if outcome.rejection is None and draft.meta(SINGLE) and talk.at_review(draft):
        await save(talk, draft)
        return
    await talk.ask(draft, outcome)


async def on_input(turn: Turn, message: Message) -> None:
    assert turn.state is not None
    talk = talk_of(turn, turn.state.flow)
    draft = await talk.draft()
    if draft is None:
        await turn.enter(None)
        turn.reply(screens.form_closed(turn.render))
        return
    taken = await talk.take(draft, message)
    if isinstance(taken, StepCB):
        await on_step(turn, taken)
        return
    await after(talk, taken)


async def on_step(turn: Turn, pressed: StepCB) -> None:
    talk = talk_of(turn, pressed.flow)
    draft = await talk.draft()
    active = turn.state is not None and turn.state.flow == pressed.flow
    if draft is None or not active:
        turn.reply(screens.form_closed(turn.render))
        return
    if pressed.action is StepAction.CANCEL:
        await talk.conversations.discard(turn.user_id, talk.flow)
        await turn.enter(None)
        turn.edit(screens.nothing_saved(turn.render))
        return
    if pressed.action is StepAction.SUBMIT:
        if not talk.at_review(draft) or pressed.value != str(draft.id):
            await talk.stale(draft)
            return
        missing = await talk.conversations.missing(turn.user_id, draft)
        if missing is not None:
            moved = (await talk.conversations.edit(turn.user_id, draft, missing)).draft
            await talk.ask(moved, Outcome(moved, Rejection(Problem.MISSING_ANSWER)))
            return
        await save(talk, draft)
        return
    pressed_outcome = await talk.press(draft, pressed)
    if pressed_outcome is None:
        await talk.stale(draft)
        return
    await after(talk, pressed_outcome)


FLOWS = {form: Flow(on_input, on_step) for form in FORMS}


def handlers() -> list[Any]:
    return [Command(("newcall", "newevent"), on_new), button(ManageCB, on_manage)]
