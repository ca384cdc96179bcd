"""/privacy and /delete_my_data: what is stored about a person, and erasing it."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.platform.routing import Command, button
from bot.platform.turn import TurnContext
from bot.ui import privacy as screens
from bot.ui.callbacks import PrivacyCB


async def on_privacy(update: Update, context: TurnContext) -> None:
    turn = context.turn
    found = await turn.services.privacy.stored(turn.user_id)
    turn.reply(screens.stored(turn.render, found))


async def on_delete_request(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.delete_question(turn.render))


async def on_delete_answer(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = PrivacyCB.unpack(update.callback_query.data)
    if pressed is None or not pressed.erase:
        turn.edit(screens.nothing_deleted(turn.render))
        return
    detached = await turn.services.privacy.erase(turn.user_id)
    turn.state = None  # erasure took the person out of any conversation too
    turn.edit(screens.deleted(turn.render, detached))


def handlers() -> list[Any]:
    return [
        Command("privacy", on_privacy),
        Command("delete_my_data", on_delete_request),
        button(PrivacyCB, on_delete_answer),
    ]
