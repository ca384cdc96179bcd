"""/admin: the staff's entry point: what they can do, and buttons for calls, events and
broadcasts."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.platform.routing import Command
from bot.platform.turn import TurnContext
from bot.ui import staff as screens


async def on_admin(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert turn.role is not None  # the staff parent lets only staff in
    turn.reply(screens.panel(turn.render, turn.role))


def handlers() -> list[Any]:
    return [Command("admin", on_admin)]
