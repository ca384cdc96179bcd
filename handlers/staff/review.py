"""Staff work an idea: /review (the queue), /idea CODE (its card), the card's buttons, and
the one-question prompts an action needs (a question to the applicant, a reason, the
idea a duplicate repeats, an internal note).

The card is one message, refreshed in place after every action taken from it. A move
that ends an idea's road or is public asks first, saying what will happen and to whom;
an administrator can undo a move for a while afterwards. What a staff member may do is
decided by the services (`bot.core.roles`): a forged button is refused there."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest

from bot.core.roles import CONFIRMED, UNDO_WINDOW, Permission, may, may_move
from bot.core.statuses import REASON_REQUIRED
from bot.core.tracking import parse_code
from bot.platform import wire
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.services.review import Change, Refusal
from bot.ui import common, staffwork
from bot.ui import review as screens
from bot.ui.callbacks import QueueCB, StaffAction, StaffCB, StepCB
from bot.ui.markup import Screen
from handlers.talk import Talk

# The prompt each move that needs words asks with.
PROMPTS = {"needs_info": "question", "duplicate": "duplicate"}
PROMPT_FLOWS = ("question", "reason", "duplicate", "note")
UNDO_MINUTES = int(UNDO_WINDOW.total_seconds() // 60)


async def card_screen(turn: Turn, idea_id: int) -> Screen | None:
    review = turn.services.review
    card = await review.card(idea_id)
    if card is None:
        return None
    assert turn.role is not None
    verdict = await turn.services.scoring.verdict(idea_id, turn.actor)
    similar = await review.similar(idea_id)
    return screens.card(turn.render, card, turn.role, verdict, similar, turn.tz)


async def show_card(turn: Turn, idea_id: int, *, in_place: bool = False) -> bool:
    screen = await card_screen(turn, idea_id)
    if screen is None:
        return False
    (turn.edit if in_place else turn.reply)(screen)
    return True


async def refresh_card(turn: Turn, idea_id: int, message_id: int | None) -> None:
    """The card a prompt started from, brought up to date (or sent anew)."""
    screen = await card_screen(turn, idea_id)
    if screen is None:
        return
    if message_id:
        turn.edit_message(message_id, screen)
    else:
        turn.reply(screen)


async def send_answers(turn: Turn, idea_id: int) -> None:
    card = await turn.services.review.card(idea_id)
    if card is None:
        turn.reply(screens.no_such_idea(turn.render))
        return
    for screen in screens.answers(turn.render, card):
        turn.reply(screen)


async def send_files(turn: Turn, idea_id: int) -> None:
    card = await turn.services.review.card(idea_id)
    if card is None or not card.files:
        turn.reply(screens.no_files(turn.render) if card else screens.no_such_idea(turn.render))
        return
    if card.files[0].platform is not turn.platform:
        turn.reply(screens.files_elsewhere(turn.render, card))
        return
    for item in card.files:  # file ids belong to one bot: copy from the applicant's chat

        async def copy(
            done: Turn, chat: int = item.chat_id, message: int = item.message_id
        ) -> None:
            try:
                await done.bot.copy_message(done.chat_id, chat, message)
            except BadRequest:  # deleted by the applicant since
                await wire.send(done.bot, done.chat_id, screens.file_gone(done.render))

        turn.then(copy)


async def show_queue(turn: Turn, filters: QueueCB) -> None:
    review = turn.services.review
    ideas, total, waiting = await review.queue(
        filters.status,
        filters.area,
        filters.platform,
        filters.page,
        call=filters.call,
        viewer=turn.actor,
        mine_only=filters.mine,
    )
    mine = await review.assigned_to(turn.actor)
    recent = {call.id: call.title for call in await turn.services.calls.recent()}
    turn.reply(screens.queue(turn.render, ideas, total, filters, recent, turn.tz, mine, waiting))


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
    if idea is None or not await show_card(turn, idea.id):
        turn.reply(screens.no_such_idea(turn.render))


def report(turn: Turn, change: Change, to: str) -> None:
    """What the move did; whether the applicant was told is known once it is committed
    and their notice sent, so it is said then. Administrators get the undo button."""
    render = turn.render
    if change.refusal is None:
        undo = None
        if may(turn.role, Permission.UNDO) and change.entry_id and change.idea is not None:
            undo = StaffCB(StaffAction.UNDO, change.idea.id, ref=str(change.entry_id))
        turn.later(lambda: screens.moved(render, to, change.delivery, undo), change.notice)
    elif change.refusal is Refusal.NOT_PERMITTED:
        turn.reply(screens.not_permitted(render))
    elif change.refusal is Refusal.NOT_ALLOWED:
        turn.reply(screens.not_possible(render))
    else:
        turn.reply(screens.no_such_idea(render))


async def _prompt(turn: Turn, flow: str, meta: dict[str, Any]) -> None:
    talk = Talk(turn, flow)
    pressed = turn.pressed
    meta = {**meta, "_card": pressed.message_id if pressed is not None else 0}
    draft = await talk.conversations.begin(turn.user_id, flow, meta)
    await talk.answering()
    await talk.ask(draft)


async def _move(turn: Turn, idea_id: int, to: str) -> None:
    """A move pressed on the card: words asked for first where it needs them, a
    confirmation where it is final or public; otherwise done, and the card refreshed."""
    if not may_move(turn.role, to):
        turn.reply(screens.not_permitted(turn.render))
        return
    if to in REASON_REQUIRED:
        await _prompt(turn, PROMPTS.get(to, "reason"), {"_idea": idea_id, "_to": to})
        return
    if to in CONFIRMED:
        await _confirm(turn, idea_id, to, None, in_place=True)
        return
    change = await turn.services.review.change_status(idea_id, to, None, turn.actor)
    report(turn, change, to)
    if change.refusal is None:
        await show_card(turn, idea_id, in_place=True)


async def _confirm(
    turn: Turn, idea_id: int, to: str, reason: str | None, *, in_place: bool
) -> None:
    card = await turn.services.review.card(idea_id)
    if card is None:
        turn.reply(screens.no_such_idea(turn.render))
        return
    told = card.platform if card.idea.user_id is not None else None
    screen = screens.confirm_move(turn.render, card.idea, to, told, reason, UNDO_MINUTES)
    (turn.edit if in_place else turn.reply)(screen)


async def _confirmed(turn: Turn, idea_id: int, to: str) -> None:
    """The confirmed move, with the words its prompt kept (a reason, the original)."""
    if not may_move(turn.role, to):
        turn.reply(screens.not_permitted(turn.render))
        return
    review, conversations = turn.services.review, turn.services.conversations
    reason, original, card_message = None, None, 0
    if to in REASON_REQUIRED:
        flow = PROMPTS.get(to, "reason")
        draft = await conversations.draft(turn.user_id, flow)
        if draft is None or draft.meta("_idea") != idea_id or draft.meta("_to") != to:
            turn.edit(screens.gone(turn.render))
            await show_card(turn, idea_id)
            return
        card_message = int(draft.meta("_card") or 0)
        if flow == "duplicate":
            original = await review.original_of(idea_id, draft.answers["code"])
        else:
            reason = draft.answers["text"]
        await conversations.discard(turn.user_id, flow)
    change = await review.change_status(idea_id, to, reason, turn.actor, duplicate_of=original)
    if change.refusal is Refusal.NOT_ALLOWED:
        turn.edit(screens.gone(turn.render))
        await show_card(turn, idea_id)
        return
    report(turn, change, to)
    if change.refusal is None:
        if card_message:  # the confirmation was a message of its own: the card is older
            turn.edit(screens.confirmed(turn.render, to))
            await refresh_card(turn, idea_id, card_message)
        else:
            await show_card(turn, idea_id, in_place=True)


async def _undo(turn: Turn, idea_id: int, ref: str) -> None:
    if not ref.isdigit():
        turn.reply(screens.too_late(turn.render))
        return
    change = await turn.services.review.undo(idea_id, int(ref), turn.actor)
    render = turn.render
    if change.refusal is Refusal.NOT_PERMITTED:
        turn.reply(screens.not_permitted(render))
    elif change.refusal is not None or change.idea is None:
        turn.reply(screens.too_late(render))
    else:
        status = change.idea.status
        turn.later(lambda: screens.undone(render, status, change.delivery), change.notice)
        await show_card(turn, idea_id)


async def _assign(turn: Turn, idea_id: int, ref: str | None) -> None:
    review = turn.services.review
    if not may(turn.role, Permission.ASSIGN):
        turn.reply(screens.not_permitted(turn.render))
        return
    idea = await review.by_id(idea_id)
    if idea is None:
        turn.reply(screens.no_such_idea(turn.render))
        return
    if ref is not None:
        member = staffwork.parse_member(ref)
        assert turn.user is not None
        refusal = (
            await review.toggle_assignee(idea_id, member, turn.actor, turn.user.first_name)
            if member is not None
            else Refusal.NOT_FOUND
        )
        if refusal is Refusal.NOT_PERMITTED:
            turn.reply(screens.not_permitted(turn.render))
            return
    members = await review.reviewers()
    assigned = await review.assignees(idea_id)
    turn.edit(staffwork.assign_picker(turn.render, idea, members, assigned))


async def on_action(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = StaffCB.unpack(update.callback_query.data)
    assert pressed is not None
    idea, action = pressed.idea, pressed.action
    if action in (StaffAction.OPEN, StaffAction.CARD):
        if not await show_card(turn, idea, in_place=action is StaffAction.CARD):
            turn.reply(screens.no_such_idea(turn.render))
    elif action is StaffAction.ANSWERS:
        await send_answers(turn, idea)
    elif action is StaffAction.FILES:
        await send_files(turn, idea)
    elif action is StaffAction.HISTORY:
        entries = await turn.services.review.history(idea, applicant_view=False)
        for screen in screens.full_history(turn.render, entries, turn.tz):
            turn.reply(screen)
    elif action is StaffAction.NOTE:
        await _prompt(turn, "note", {"_idea": idea})
    elif action is StaffAction.MOVE:
        await _move(turn, idea, pressed.to)
    elif action is StaffAction.CONFIRM:
        await _confirmed(turn, idea, pressed.to)
    elif action is StaffAction.UNDO:
        await _undo(turn, idea, pressed.ref)
    elif action is StaffAction.ASSIGN:
        await _assign(turn, idea, None)
    elif action is StaffAction.ASSIGN_TOGGLE:
        await _assign(turn, idea, pressed.ref)
    elif action is StaffAction.SEEN:
        await turn.services.review.seen(idea, turn.actor)
        await show_card(turn, idea, in_place=True)


async def on_prompt_input(turn: Turn, message: Message) -> None:
    """The words an action needed: the action is done with them, or confirmed first."""
    assert turn.state is not None
    talk = Talk(turn, turn.state.flow)
    outcome = await talk.finished(message)
    if outcome is None:
        return
    review, draft = turn.services.review, outcome.draft
    answers = draft.answers
    idea_id, to = int(draft.meta("_idea")), str(draft.meta("_to") or "")
    card_message = int(draft.meta("_card") or 0)
    if talk.flow == "note":
        noted = await review.add_note(idea_id, answers["text"], turn.actor)
        done = screens.note_added if noted.refusal is None else screens.no_such_idea
        turn.reply(done(turn.render))
    elif talk.flow == "duplicate":
        original = await review.original_of(idea_id, answers["code"])
        if original is None:  # asked again: the draft waits for another code
            turn.reply(screens.no_such_idea(turn.render))
            return
        await turn.enter(None)  # the draft stays until the move is confirmed
        await _confirm(turn, idea_id, to, original.code, in_place=False)
        return
    elif to in CONFIRMED:
        await turn.enter(None)
        await _confirm(turn, idea_id, to, answers["text"], in_place=False)
        return
    else:
        change = await review.change_status(idea_id, to, answers["text"], turn.actor)
        report(turn, change, to)
    await talk.conversations.discard(turn.user_id, talk.flow)
    await turn.enter(None)
    await refresh_card(turn, idea_id, card_message)


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
