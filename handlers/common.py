"""Small helpers shared by handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject


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


class ForgetPrompt(BaseMiddleware):
    """A prompt waiting for one typed message (a reason, a note, an answer) is dropped when
    a command or another feature's button comes first, so that a later message is not
    taken for it."""

    def __init__(self, states: frozenset[str], own_prefixes: tuple[str, ...]) -> None:
        self.states = states
        self.own_prefixes = own_prefixes

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if data.get("raw_state") in self.states:
            command = isinstance(event, Message) and (event.text or "").startswith("/")
            other_button = isinstance(event, CallbackQuery) and not (event.data or "").startswith(
                self.own_prefixes
            )
            if command or other_button:
                await data["state"].clear()
                data["raw_state"] = None
        return await handler(event, data)
