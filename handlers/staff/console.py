"""/console: a one-time link that signs this staff member in to the browser console."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.core.links import console_sign_in
from bot.platform.routing import Command
from bot.platform.turn import TurnContext
from bot.ui import staff as screens


async def on_console(update: Update, context: TurnContext) -> None:
    turn = context.turn
    services = turn.services
    if services.console_url is None:
        turn.reply(screens.console_link(turn.render, None))
        return
    token = await services.console.link(turn.platform, turn.actor.user_id)
    if token is None:  # removed from the staff since this update was routed
        turn.reply(screens.not_available(turn.render))
        return
    # Composed after the commit, so that it is not among the replies a webhook worker
    # keeps to send again: the database never holds a usable link.
    url, render = console_sign_in(services.console_url, token), turn.render
    turn.later(lambda: screens.console_link(render, url))


def handlers() -> list[Any]:
    return [Command("console", on_console)]
