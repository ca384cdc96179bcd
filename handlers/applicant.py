"""An applicant's own ideas: /my, /track, one idea whole with its history and what
happens next, withdrawing, answering the experts' question and adding information or
files to an open idea (one-step conversations; an album joins one answer)."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.core.conversation.engine import InputKind
from bot.core.persian import normalize
from bot.core.text import bound
from bot.core.tracking import parse_code
from bot.core.views import IdeaView
from bot.platform.inputs import command_of, read_input
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.services.review import Refusal
from bot.ui import applicant as screens
from bot.ui import common
from bot.ui.callbacks import IdeaAction, IdeaCB, MenuAction, MenuCB, StepAction, StepCB
from bot.ui.markup import Screen
from bot.ui.states import Mode, State
from handlers.talk import Talk

FLOW = "answer"
INFO = "info"
TRACK = "track"
ANSWER_LIMIT = 3000
PENDING = "_pending"  # an answer sent while several ideas wait, until one is chosen
ANSWERS = (InputKind.TEXT, InputKind.MEDIA)  # what may be taken for an answer unasked


async def on_my(update: Update, context: TurnContext) -> None:
    turn = context.turn
    mine, total = await turn.services.ideas.mine(turn.user_id)
    turn.reply(screens.ideas_list(turn.render, mine, total, turn.tz))


async def _detail(turn: Turn, idea: IdeaView) -> Screen:
    review = turn.services.review
    history = await review.history(idea.id, applicant_view=True)
    card = await review.card(idea.id)
    return screens.detail(turn.render, idea, history, turn.tz, card)


async def on_track(update: Update, context: TurnContext) -> None:
    """/track CODE; /track alone asks for the code (a one-step conversation)."""
    turn = context.turn
    if not context.args:
        talk = Talk(turn, TRACK)
        await talk.answering()
        await talk.ask(await talk.conversations.begin(turn.user_id, TRACK))
        return
    await show_code(turn, parse_code(" ".join(context.args)))


async def show_code(turn: Turn, code: str | None) -> None:
    """The idea with this tracking code, if it is this person's; another's, a mistyped
    code and no code alike are "not found"."""
    idea = await turn.services.review.for_applicant(turn.user_id, code) if code else None
    if idea is None:
        turn.reply(screens.not_found(turn.render))
        return
    turn.reply(await _detail(turn, idea))


async def on_track_input(turn: Turn, message: Message) -> None:
    talk = Talk(turn, TRACK)
    outcome = await talk.finished(message)
    if outcome is None:
        return
    await talk.conversations.discard(turn.user_id, TRACK)
    await turn.enter(None)
    await show_code(turn, str(outcome.draft.answers["code"]))


async def unprompted(turn: Turn, message: Message) -> bool:
    """What a person sends outside any conversation that is still meant for their ideas:
    a tracking code on its own shows that idea; while the experts wait for an answer, a
    text or a file is that answer (or, if several ideas wait, the bot asks which)."""
    text = (message.text or "").strip()
    if text and parse_code(text) is not None and len(text) <= 12:
        await show_code(turn, parse_code(text))
        return True
    if command_of(message.text) is not None or read_input(message).kind not in ANSWERS:
        return False
    waiting = await turn.services.review.waiting(turn.user_id)
    if not waiting:
        return False
    talk = Talk(turn, FLOW)
    if len(waiting) == 1:
        await talk.conversations.begin(turn.user_id, FLOW, {"_idea": waiting[0].id})
        await talk.answering()
        await on_input(turn, message)
        return True
    # Kept until they say which idea it answers (a later answer replaces it).
    await talk.conversations.begin(turn.user_id, FLOW, {PENDING: message.to_dict()})
    turn.reply(screens.which_idea(turn.render, waiting))
    return True


async def owned(turn: Turn, idea_id: int) -> IdeaView | None:
    """The idea, if it is this person's (forged callback data finds nothing)."""
    found = await turn.services.review.by_id(idea_id)
    return found if found is not None and found.user_id == turn.user_id else None


async def on_idea_button(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = IdeaCB.unpack(update.callback_query.data)
    assert pressed is not None
    idea = await owned(turn, pressed.idea)
    if idea is None:
        turn.reply(screens.not_found(turn.render))
        return
    if pressed.action is IdeaAction.OPEN:
        turn.reply(await _detail(turn, idea))
    elif pressed.action is IdeaAction.WITHDRAW:
        turn.reply(screens.withdraw_question(turn.render, idea))
    elif pressed.action is IdeaAction.WITHDRAW_YES:
        change = await turn.services.review.withdraw(turn.user_id, idea.id)
        turn.reply(screens.withdrawn(turn.render, change.refusal is None))
    elif pressed.action is IdeaAction.ADD_INFO:
        if not idea.open:
            turn.reply(screens.closed_for_info(turn.render))
            return
        talk = Talk(turn, INFO)
        draft = await talk.conversations.begin(turn.user_id, INFO, {"_idea": idea.id})
        await talk.answering()
        await talk.ask(draft)
    elif idea.status != "needs_info":
        turn.reply(screens.no_question(turn.render))
    elif pressed.action is IdeaAction.ANSWER_THIS:
        await _answer_pending(turn, idea)
    else:
        talk = Talk(turn, FLOW)
        draft = await talk.conversations.begin(turn.user_id, FLOW, {"_idea": idea.id})
        await talk.answering()
        await talk.ask(draft)


async def _album_part(turn: Turn, message: Message, flow: str) -> bool:
    """Another photo or file of an album sent as an answer joins that answer."""
    draft = await turn.services.conversations.draft(turn.user_id, flow)
    if draft is None or message.media_group_id is None:
        return False
    if message.media_group_id != draft.meta("_album"):
        return False
    given = read_input(message)
    files = [given.media.as_dict()] if given.media is not None else []
    text = bound(normalize(message.caption or ""), ANSWER_LIMIT)
    idea_id, entry_id = int(draft.meta("_idea")), int(draft.meta("_entry"))
    await turn.services.review.add_to_answer(turn.user_id, idea_id, entry_id, text, files)
    return True


async def on_input(turn: Turn, message: Message) -> None:
    await _taken(turn, message, FLOW)


async def on_info_input(turn: Turn, message: Message) -> None:
    await _taken(turn, message, INFO)


async def _taken(turn: Turn, message: Message, flow: str) -> None:
    """An answer to the experts' question (`FLOW`) or information added (`INFO`)."""
    state = turn.state
    if state is not None and state.mode is Mode.ALBUM:
        if not await _album_part(turn, message, flow):  # not part of it: the album is over
            await turn.services.conversations.discard(turn.user_id, flow)
            await turn.enter(None)
            turn.reply(common.not_understood(turn.render))
        return
    talk = Talk(turn, flow)
    outcome = await talk.finished(message)
    if outcome is None:
        return
    draft = outcome.draft
    sent = draft.answers["message"]
    text = bound(normalize(sent.get("text") or ""), ANSWER_LIMIT)
    files = [sent["media"]] if sent.get("media") else []
    idea_id = int(draft.meta("_idea"))
    review = turn.services.review
    if flow == INFO:
        change = await review.add_info(turn.user_id, idea_id, text, files)
    else:
        change = await review.answer(turn.user_id, idea_id, text, files)
    await talk.conversations.discard(turn.user_id, flow)
    await turn.enter(None)
    if change.refusal is None and message.media_group_id and change.entry_id is not None:
        meta = {"_idea": idea_id, "_entry": change.entry_id, "_album": message.media_group_id}
        await talk.conversations.begin(turn.user_id, flow, meta)
        await turn.enter(State(flow, Mode.ALBUM))
    if change.refusal is Refusal.NOT_WAITING:
        turn.reply(screens.no_question(turn.render))
    elif change.refusal is Refusal.NOT_ALLOWED:
        turn.reply(screens.closed_for_info(turn.render))
    elif change.refusal is not None:
        turn.reply(screens.not_found(turn.render))
    elif flow == INFO and change.idea is not None:
        turn.reply(screens.info_added(turn.render, change.idea))
    # An answer's success is told by the review service's notice.


async def _answer_pending(turn: Turn, idea: IdeaView) -> None:
    """The answer sent before choosing its idea goes to `idea`."""
    conversations = turn.services.conversations
    draft = await conversations.draft(turn.user_id, FLOW)
    kept = draft.meta(PENDING) if draft is not None else None
    if not isinstance(kept, dict):  # already given, or replaced: nothing waits
        turn.reply(common.stale_button(turn.render))
        return
    await conversations.begin(turn.user_id, FLOW, {"_idea": idea.id})
    await turn.enter(State(FLOW, Mode.ANSWERING))
    await on_input(turn, Message.de_json(kept, turn.bot))


async def on_step(turn: Turn, pressed: StepCB) -> None:
    """The one button of these one-step conversations: cancel."""
    await turn.services.conversations.discard(turn.user_id, pressed.flow)
    await turn.enter(None)
    turn.reply(common.cancelled(turn.render, pressed.action is StepAction.CANCEL))


FLOWS = {
    FLOW: Flow(on_input, on_step),
    INFO: Flow(on_info_input, on_step),
    TRACK: Flow(on_track_input, on_step),
}


def handlers() -> list[Any]:
    return [
        Command("my", on_my),
        button(MenuCB, on_my, when=lambda pressed: pressed.action is MenuAction.MY_IDEAS),
        Command("track", on_track),
        button(IdeaCB, on_idea_button),
    ]
