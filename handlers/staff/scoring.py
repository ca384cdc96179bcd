"""Scoring an idea from its card (the sheet: 1-5 per criterion, a note each) and
/ranking, an administrator's view of a call's ideas by score, exportable."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.core.text import isolated
from bot.platform.routing import Command, Flow, button
from bot.platform.turn import Turn, TurnContext
from bot.services.scoring import ScoreRefusal
from bot.ui import common, export
from bot.ui import review as review_screens
from bot.ui import staffwork as screens
from bot.ui.callbacks import RankCB, ScoreCB, StepCB
from handlers.talk import Talk
from locales import staffwork as w
from locales.i18n import current_locale


async def show_sheet(turn: Turn, idea_id: int, *, in_place: bool, message_id: int = 0) -> None:
    sheet = await turn.services.scoring.sheet(idea_id, turn.actor)
    if sheet is None:
        turn.reply(review_screens.not_permitted(turn.render))
        return
    screen = screens.sheet(
        turn.render, sheet.idea, sheet.rubric, sheet.mine, sheet.notes, sheet.others, sheet.verdict
    )
    if message_id:
        turn.edit_message(message_id, screen)
    else:
        (turn.edit if in_place else turn.reply)(screen)


async def on_score(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = ScoreCB.unpack(update.callback_query.data)
    assert pressed is not None
    scoring = turn.services.scoring
    if pressed.criterion and pressed.value == 0:  # its note
        rubric = await scoring.rubric(pressed.idea)
        found = next((c for c in rubric if c.key == pressed.criterion), None)
        if found is None:
            await show_sheet(turn, pressed.idea, in_place=True)
            return
        talk = Talk(turn, "scorenote")
        message = turn.pressed
        meta = {
            "_idea": pressed.idea,
            "_criterion": found.key,
            "_name": screens.criterion_name(found),
            "_sheet": message.message_id if message is not None else 0,
        }
        draft = await talk.conversations.begin(turn.user_id, "scorenote", meta)
        await talk.answering()
        await talk.ask(draft)
        return
    if pressed.criterion:
        refusal = await scoring.score(
            pressed.idea, turn.actor, pressed.criterion, value=pressed.value
        )
        if refusal is ScoreRefusal.NOT_PERMITTED:
            turn.reply(review_screens.not_permitted(turn.render))
            return
        if refusal is ScoreRefusal.CLOSED:
            turn.reply(screens.score_closed(turn.render))
            return
    await show_sheet(turn, pressed.idea, in_place=True)


async def on_note_input(turn: Turn, message: Message) -> None:
    assert turn.state is not None
    talk = Talk(turn, "scorenote")
    outcome = await talk.finished(message)
    if outcome is None:
        return
    draft = outcome.draft
    idea_id = int(draft.meta("_idea"))
    refusal = await turn.services.scoring.score(
        idea_id, turn.actor, str(draft.meta("_criterion")), note=draft.answers["text"]
    )
    await talk.conversations.discard(turn.user_id, "scorenote")
    await turn.enter(None)
    if refusal is not None:
        turn.reply(screens.score_closed(turn.render))
        return
    turn.reply(screens.note_saved(turn.render))
    await show_sheet(turn, idea_id, in_place=False, message_id=int(draft.meta("_sheet") or 0))


async def on_note_step(turn: Turn, pressed: StepCB) -> None:
    await turn.services.conversations.discard(turn.user_id, pressed.flow)
    await turn.enter(None)
    turn.reply(common.cancelled(turn.render, True))


async def _ranking(turn: Turn, call_id: int, export_it: bool) -> None:
    scoring = turn.services.scoring
    if call_id < 0:
        recent = {c.id: c.title for c in await turn.services.calls.recent()}
        turn.reply(screens.ranking_pick(turn.render, recent))
        return
    ranked = await scoring.ranking(turn.actor, call_id or None)
    if ranked is None:
        turn.reply(review_screens.not_permitted(turn.render))
        return
    title = None
    if call_id:
        call = await turn.services.calls.get(call_id)
        title = call.title if call else None
    if not export_it:
        rows = [(r.idea, r.verdict) for r in ranked]
        turn.reply(screens.ranking(turn.render, call_id, title, rows))
        return
    table = screens.ranking_table([(r.idea, r.verdict) for r in ranked])
    name = f"ranking-{call_id or 'general'}"
    locale = current_locale()
    caption = turn.render(w.RANKING_FILE) + (f"\n{isolated(title)}" if title else "")
    content = export.to_xlsx(table, name, right_to_left=locale == "fa")
    turn.document(content, f"{name}.xlsx", caption)


async def on_rank(update: Update, context: TurnContext) -> None:
    assert update.callback_query is not None
    pressed = RankCB.unpack(update.callback_query.data)
    assert pressed is not None
    await _ranking(context.turn, pressed.call, pressed.export)


async def on_ranking(update: Update, context: TurnContext) -> None:
    await _ranking(context.turn, -1, False)


FLOWS = {"scorenote": Flow(on_note_input, on_note_step)}


def handlers() -> list[Any]:
    return [button(ScoreCB, on_score)]


def admin_handlers() -> list[Any]:
    return [Command("ranking", on_ranking), button(RankCB, on_rank)]
