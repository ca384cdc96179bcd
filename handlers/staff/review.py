"""Staff work an idea: /review (the queue), /idea CODE (its card), the card's buttons, and
the one-question prompts an action needs (a question to the applicant, a reason, the
idea a duplicate repeats, an internal note)."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest

from bot.core.statuses import REASON_REQUIRED
from bot.core.tracking import parse_code
from bot.platform import wire
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.services.review import Change, Refusal
from bot.ui import common
from bot.ui import review as screens
from bot.ui.callbacks import QueueCB, StaffAction, StaffCB, StepCB
from handlers.talk import Talk

# The prompt each move that needs words asks with.
PROMPTS = {"needs_info": "question", "duplicate": "duplicate"}
PROMPT_FLOWS = ("question", "reason", "duplicate", "note")


async def send_card(turn: Turn, idea_id: int) -> bool:
    review = turn.services.review
    card = await review.card(idea_id)
    if card is None:
        return False
    render = turn.render
    turn.reply(screens.summary(render, card, turn.tz))
    for screen in screens.answers(render, card):
        turn.reply(screen)
    if card.files and card.files[0].platform is turn.platform:
        for item in card.files:  # file ids belong to one bot: copy from the applicant's chat

            async def copy(
                done: Turn, chat: int = item.chat_id, message: int = item.message_id
            ) -> None:
                try:
                    await done.bot.copy_message(done.chat_id, chat, message)
                except BadRequest:  # deleted by the applicant since
                    await wire.send(done.bot, done.chat_id, screens.file_gone(done.render))

            turn.then(copy)
    elif card.files:
        turn.reply(screens.files_elsewhere(render, card))
    entries = await review.history(idea_id, applicant_view=False)
    similar = await review.similar(idea_id)
    turn.reply(screens.history_and_actions(render, card.idea, entries, similar, turn.tz))
    return True


async def show_queue(turn: Turn, filters: QueueCB) -> None:
    ideas, total = await turn.services.review.queue(
        filters.status, filters.area, filters.platform, filters.page, call=filters.call
    )
    recent = {call.id: call.title for call in await turn.services.calls.recent()}
    turn.reply(screens.queue(turn.render, ideas, total, filters, recent, turn.tz))


async def on_review(update: Update, context: TurnContext) -> None:
    await show_queue(context.turn, QueueCB())


async def on_queue(update: Update, context: TurnContext) -> None:
    assert update.callback_query is not None
    pressed = QueueCB.unpack(update.callback_query.data)
    assert pressed is not None
    await show_queue(context.turn, screens.checked(pressed))


async def on_idea(update: Update, context: TurnContext) -> None:
    turn = context.turn
    code = parse_code(" ".join(context.args or []))
    idea = await turn.services.review.by_code(code) if code else None
    if idea is None or not await send_card(turn, idea.id):
        turn.reply(screens.no_such_idea(turn.render))


def report(turn: Turn, change: Change, to: str) -> None:
    """What the move did; whether the applicant was told is known once it is committed
    and their notice sent, so it is said then."""
    render = turn.render
    if change.refusal is None:
        turn.later(lambda: screens.moved(render, to, change.delivery == "sent"))
    elif change.refusal is Refusal.NOT_ALLOWED:
        turn.reply(screens.not_possible(render))
    else:
        turn.reply(screens.no_such_idea(render))


async def _prompt(turn: Turn, flow: str, meta: dict[str, Any]) -> None:
    talk = Talk(turn, flow)
    draft = await talk.conversations.begin(turn.user_id, flow, meta)
    await talk.answering()
    await talk.ask(draft)


async def on_action(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = StaffCB.unpack(update.callback_query.data)
    assert pressed is not None
    if pressed.action is StaffAction.OPEN:
        if not await send_card(turn, pressed.idea):
            turn.reply(screens.no_such_idea(turn.render))
    elif pressed.action is StaffAction.HISTORY:
        entries = await turn.services.review.history(pressed.idea, applicant_view=False)
        for screen in screens.full_history(turn.render, entries, turn.tz):
            turn.reply(screen)
    elif pressed.action is StaffAction.NOTE:
        await _prompt(turn, "note", {"_idea": pressed.idea})
    elif pressed.to in REASON_REQUIRED:
        flow = PROMPTS.get(pressed.to, "reason")
        await _prompt(turn, flow, {"_idea": pressed.idea, "_to": pressed.to})
    else:
        change = await turn.services.review.change_status(
            pressed.idea, pressed.to, None, turn.actor
        )
        report(turn, change, pressed.to)


async def on_prompt_input(turn: Turn, message: Message) -> None:
    """The words an action needed: the action is done with them."""
    assert turn.state is not None
    talk = Talk(turn, turn.state.flow)
    outcome = await talk.finished(message)
    if outcome is None:
        return
    review, draft = turn.services.review, outcome.draft
    answers = draft.answers
    idea_id, to = int(draft.meta("_idea")), str(draft.meta("_to") or "")
    if talk.flow == "note":
        noted = await review.add_note(idea_id, answers["text"], turn.actor)
        done = screens.note_added if noted.refusal is None else screens.no_such_idea
        turn.reply(done(turn.render))
    elif talk.flow == "duplicate":
        original = await review.original_of(idea_id, answers["code"])
        if original is None:  # asked again: the draft waits for another code
            turn.reply(screens.no_such_idea(turn.render))
            return
        change = await review.change_status(idea_id, to, None, turn.actor, duplicate_of=original)
        report(turn, change, to)
    else:
        change = await review.change_status(idea_id, to, answers["text"], turn.actor)
        report(turn, change, to)
    await talk.conversations.discard(turn.user_id, talk.flow)
    await turn.enter(None)


async def on_prompt_step(turn: Turn, pressed: StepCB) -> None:
    """A prompt's only button: cancel."""
    await turn.services.conversations.discard(turn.user_id, pressed.flow)
    await turn.enter(None)
    turn.reply(common.cancelled(turn.render, True))


FLOWS = {flow: Flow(on_prompt_input, on_prompt_step) for flow in PROMPT_FLOWS}


def handlers() -> list[Any]:
    return [
        Command("idea", on_idea),
        Command("review", on_review),
        button(QueueCB, on_queue),
        button(StaffCB, on_action),
    ]
