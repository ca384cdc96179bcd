"""/language: Persian or English, remembered per person, and their command menu follows."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.platform.routing import Command, button
from bot.platform.turn import Turn, TurnContext
from bot.ui import common as screens
from bot.ui.callbacks import LanguageCB
from locales.i18n import known, use_locale


async def on_language(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.choose_language(turn.render))


async def on_choice(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = LanguageCB.unpack(update.callback_query.data)
    if turn.user is None or pressed is None or not known(pressed.code):
        turn.edit(screens.language_not_available(turn.render))
        return
    code = pressed.code
    await turn.services.users.set_locale(turn.user, code)
    staff, platform, chat = turn.role is not None, turn.platform, turn.chat_id

    async def menu(done: Turn) -> None:
        await done.services.menus.person_language(platform, chat, code, staff)

    turn.then(menu)
    with use_locale(code):
        turn.edit(screens.language_chosen(turn.render))


def handlers() -> list[Any]:
    return [Command("language", on_language), button(LanguageCB, on_choice)]
