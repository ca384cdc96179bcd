"""/stats and /export: counts of ideas, and the ideas as CSV and Excel files (contact
details only for administrators)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.platform.routing import Command
from bot.platform.turn import TurnContext
from bot.services.export import parse_filter
from bot.ui import export
from bot.ui import staff as screens
from locales.i18n import current_locale


async def on_stats(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.stats(turn.render, await turn.services.stats.collect()))


async def on_export(update: Update, context: TurnContext) -> None:
    turn = context.turn
    chosen = parse_filter(" ".join(context.args or []), turn.tz)
    if isinstance(chosen, str):
        turn.reply(screens.export_unreadable(turn.render, chosen))
        return
    assert turn.role is not None
    locale = current_locale()
    rows, count = await turn.services.exports.export(chosen, turn.role, locale)
    name = screens.export_name()
    turn.document(export.to_csv(rows), f"{name}.csv", screens.exported(turn.render, count))
    turn.document(export.to_xlsx(rows, name, right_to_left=locale == "fa"), f"{name}.xlsx")


def handlers() -> list[Any]:
    return [Command("stats", on_stats), Command("export", on_export)]
