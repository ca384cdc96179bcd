"""/alerts: what a staff member is told of (every idea, their areas, what is assigned
to them, a daily summary, or nothing)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.core.alerts import AlertMode
from bot.core.vocabulary import AREAS
from bot.platform.routing import Command, button
from bot.platform.turn import Turn, TurnContext
from bot.services.alerts import Choice
from bot.ui import staffwork as screens
from bot.ui.callbacks import AlertCB


async def _show(turn: Turn, choice: Choice, *, in_place: bool) -> None:
    screen = screens.alerts(turn.render, choice.mode, choice.areas)
    (turn.edit if in_place else turn.reply)(screen)


async def on_alerts(update: Update, context: TurnContext) -> None:
    turn = context.turn
    choice = await turn.services.alerts.choice(turn.platform, turn.actor.user_id)
    await _show(turn, choice, in_place=False)


async def on_choice(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = AlertCB.unpack(update.callback_query.data)
    assert pressed is not None
    alerts = turn.services.alerts
    current = await alerts.choice(turn.platform, turn.actor.user_id)
    if pressed.mode not in AlertMode._value2member_map_:
        await _show(turn, current, in_place=True)  # forged: shown as it is
        return
    mode = AlertMode(pressed.mode)
    areas = set(current.areas)
    if pressed.area and pressed.area in {o.key for o in AREAS}:
        areas ^= {pressed.area}
    choice = Choice(mode, frozenset(areas))
    await alerts.choose(turn.platform, turn.actor.user_id, choice)
    await _show(turn, choice, in_place=True)
    if mode is not AlertMode.AREAS:
        turn.reply(screens.alerts_saved(turn.render, mode))


def handlers() -> list[Any]:
    return [Command("alerts", on_alerts), button(AlertCB, on_choice)]
