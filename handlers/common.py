"""Small helpers shared by handlers."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the message a button belongs to, or send a new one if it can't be edited."""
    message = callback.message
    if isinstance(message, Message):
        if message.text is not None:
            await message.edit_text(text, reply_markup=markup)
            return
        await message.answer(text, reply_markup=markup)
        return
    if callback.bot is not None:
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
