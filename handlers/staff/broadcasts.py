"""Staff compose a broadcast (/broadcast, or from /admin): the announcement, its audience,
its size and a preview, then send now, schedule it, or cancel; and the scheduled ones,
each with a button to cancel it. The composer is a conversation like the intake."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Message, Update

from bot.core.conversation.engine import Draft, Outcome
from bot.core.views import Plan
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.ui import broadcasts as screens
from bot.ui.callbacks import BroadcastAction, BroadcastCB, StepAction, StepCB
from bot.ui.markup import Screen
from handlers.talk import Talk
from locales.i18n import current_locale

FLOW = "broadcast"


async def _review(talk: Talk, draft: Draft) -> list[Screen]:
    broadcasts = talk.turn.services.broadcasts
    audience = screens.audience_of(draft)
    values = await talk.conversations.step_options(talk.user_id, draft, "audience_value")
    summary, question = screens.review(talk.render, draft, await broadcasts.size(audience), values)
    return [summary, screens.preview(talk.render, draft), question]


def talk_of(turn: Turn) -> Talk:
    return Talk(turn, FLOW, review=_review)


async def on_broadcast(update: Update, context: TurnContext) -> None:
    """/broadcast or the panel's button: ask for the announcement."""
    turn = context.turn
    talk = talk_of(turn)
    await talk.answering()
    await talk.ask(await talk.conversations.begin(turn.user_id, FLOW))


async def start(talk: Talk, draft: Draft, due: datetime | None) -> None:
    """Create the broadcast: now, or scheduled for `due`."""
    turn = talk.turn
    sent = draft.answers.get("message") or {}
    media = sent.get("media") or {}
    plan = Plan(
        text=str(sent.get("text") or ""),
        audience=screens.audience_of(draft),
        platform=turn.platform,
        media_kind=media.get("kind"),
        media_file_id=media.get("file_id"),
        media_name=media.get("name"),
    )
    await talk.conversations.discard(turn.user_id, FLOW)
    await turn.enter(None)
    info = await turn.services.broadcasts.create(plan, turn.chat_id, current_locale(), due)
    if due is None:
        turn.reply(screens.on_its_way(turn.render, info))
    else:
        turn.reply(screens.scheduled(turn.render, info, turn.tz))


async def show(talk: Talk, outcome: Outcome, *, pressed: bool) -> None:
    """The next step; the review's summary takes the place of the audience picker when
    it was reached by pressing it."""
    draft = outcome.draft
    if outcome.left == "when" and outcome.saved and draft.answers.get("when"):
        await start(talk, draft, datetime.fromisoformat(draft.answers["when"]))
        return
    if pressed and outcome.rejection is None and talk.at_review(draft):
        summary, *rest = await talk.screens(draft)
        talk.turn.edit(summary)
        for screen in rest:
            talk.turn.reply(screen)
        return
    await talk.ask(draft, outcome)


async def on_input(turn: Turn, message: Message) -> None:
    talk = talk_of(turn)
    draft = await talk.draft()
    if draft is None:
        await turn.enter(None)
        turn.reply(screens.already_sent(turn.render))
        return
    taken = await talk.take(draft, message)
    if isinstance(taken, StepCB):
        await on_step(turn, taken)
        return
    await show(talk, taken, pressed=False)


async def on_step(turn: Turn, pressed: StepCB) -> None:
    talk = talk_of(turn)
    draft = await talk.draft()
    active = turn.state is not None and turn.state.flow == FLOW
    if pressed.action is StepAction.CANCEL:
        await talk.conversations.discard(turn.user_id, FLOW)
        await turn.enter(None)
        turn.edit(screens.dropped(turn.render))
        return
    if draft is None or not active:
        turn.reply(screens.already_sent(turn.render))
        return
    await talk.answering()  # a button: not waiting for a date any more
    if pressed.action is StepAction.SUBMIT:  # the review's "send now", even after "schedule"
        if pressed.value != str(draft.id) or await talk.conversations.missing(turn.user_id, draft):
            await talk.stale(draft)
            return
        await start(talk, draft, None)
        return
    if pressed.action is StepAction.EDIT and not talk.at_review(draft):
        draft = await talk.conversations.to_review(turn.user_id, draft)
    outcome = await talk.press(draft, pressed)
    if outcome is None:
        await talk.stale(draft)
        return
    await show(talk, outcome, pressed=True)


async def on_button(update: Update, context: TurnContext) -> None:
    """The panel's buttons and the scheduled broadcasts' cancel."""
    turn = context.turn
    assert update.callback_query is not None
    pressed = BroadcastCB.unpack(update.callback_query.data)
    assert pressed is not None
    broadcasts = turn.services.broadcasts
    if pressed.action is BroadcastAction.START:
        await on_broadcast(update, context)
    elif pressed.action is BroadcastAction.LIST:
        waiting = await broadcasts.scheduled()
        if not waiting:
            turn.reply(screens.none_scheduled(turn.render))
        for info in waiting[:10]:
            values = await broadcasts.audience_options({"audience": info.audience.kind})
            turn.reply(screens.scheduled_item(turn.render, info, turn.tz, values))
    elif pressed.action is BroadcastAction.UNSCHEDULE:  # asked first: it cannot be undone
        turn.reply(screens.unschedule_question(turn.render, pressed.id))
    else:
        done = await broadcasts.cancel(pressed.id)
        turn.edit(screens.unscheduled(turn.render, pressed.id, done))


FLOWS = {FLOW: Flow(on_input, on_step)}


def handlers() -> list[Any]:
    return [Command("broadcast", on_broadcast), button(BroadcastCB, on_button)]
