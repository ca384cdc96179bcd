"""Whatever no other handler took: a short hint and the menu, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import _
from bot.keyboards import main_menu
from bot.render import Renderer
from bot.users import UserView
from handlers.common import reply
from handlers.start import welcome_text


async def on_other_message(message: Message, render: Renderer, user: UserView | None) -> None:
    if user is not None and user.new:  # a first message, whatever it says: the welcome
        await message.answer(welcome_text(render, user), reply_markup=main_menu())
        return
    await message.answer(
        render(_("I didn't understand that. Please choose from the menu, or send /help.")),
        reply_markup=main_menu(),
    )


async def on_stale_button(callback: CallbackQuery, render: Renderer) -> None:
    await reply(
        callback,
        render(_("That button is no longer active. Here is the menu.")),
        main_menu(),
    )


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(on_other_message)
    r.callback_query.register(on_stale_button)
    return r
