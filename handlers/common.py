"""Small helpers shared by handlers."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def reply(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Answer a button with a new message, leaving what is above it as it was."""
    assert callback.bot is not None
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)


async def replace(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the message a button belongs to (a picker that has done its job)."""
    message = callback.message
    if not isinstance(message, Message) or message.text is None:
        await reply(callback, text, markup)
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message:
            raise
