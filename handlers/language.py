"""/language: Persian or English, remembered per person."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.bots import IdeaBot
from bot.commands import CommandMenus
from bot.config import Role
from bot.i18n import _
from bot.keyboards import LanguageCB, language_keyboard, main_menu
from bot.render import Renderer
from bot.users import UserService, UserView
from handlers.common import replace


async def on_language(message: Message, render: Renderer) -> None:
    await message.answer(render(_("Choose the bot's language:")), reply_markup=language_keyboard())


async def on_choice(
    callback: CallbackQuery,
    callback_data: LanguageCB,
    render: Renderer,
    user: UserView | None,
    users: UserService,
    i18n: I18n,
    bot: IdeaBot,
    menus: CommandMenus,
    staff_role: Role | None,
) -> None:
    if user is None or callback_data.code not in i18n.available_locales:
        await replace(callback, render(_("That language is not available.")), language_keyboard())
        return
    await users.set_locale(user, callback_data.code)
    await menus.person_language(
        bot, callback.from_user.id, callback_data.code, staff_role is not None
    )
    with i18n.use_locale(callback_data.code):
        await replace(callback, render(_("Done: the bot now speaks English.")), main_menu())


def router() -> Router:
    r = Router(name="language")
    r.message.register(on_language, Command("language"))
    r.callback_query.register(on_choice, LanguageCB.filter())
    return r
