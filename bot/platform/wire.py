"""Screens onto the wire: our markup values as the framework's objects, and the sending
calls every part of the platform layer uses: a message sent, one edited (or sent anew
when it can no longer be edited)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.ui.markup import Keyboard, Markup, RemoveKeyboard, ReplyKeyboard, Screen

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def reply_markup(markup: Markup | None) -> ReplyMarkup | None:
    if markup is None:
        return None
    if isinstance(markup, Keyboard):
        if not markup:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.text, callback_data=b.data, url=b.url) for b in row]
                for row in markup.rows
            ]
        )
    if isinstance(markup, ReplyKeyboard):
        return ReplyKeyboardMarkup(
            [
                [
                    KeyboardButton(
                        b.text,
                        request_contact=b.request_contact or None,
                        request_location=b.request_location or None,
                    )
                    for b in row
                ]
                for row in markup.rows
            ],
            resize_keyboard=True,
            one_time_keyboard=False,
        )
    assert isinstance(markup, RemoveKeyboard)
    return ReplyKeyboardRemove()


def stored_markup(markup: dict[str, Any] | None) -> ReplyMarkup | None:
    """A reply markup as the outbox keeps it (the Bot API's JSON)."""
    if not markup:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.de_json(markup, None)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.de_json(markup, None)
    return ReplyKeyboardRemove()


async def send(bot: ExtBot[None], chat_id: int, screen: Screen) -> Message:
    markup = reply_markup(screen.markup)
    if screen.media is not None:
        kind, file_id = screen.media
        if kind == "photo":
            return await bot.send_photo(chat_id, file_id, caption=screen.text, reply_markup=markup)
        return await bot.send_document(chat_id, file_id, caption=screen.text, reply_markup=markup)
    return await bot.send_message(chat_id, screen.text, reply_markup=markup)


def not_modified(error: TelegramError) -> bool:
    return isinstance(error, BadRequest) and "not modified" in error.message.lower()


def gone(error: TelegramError) -> bool:
    """The message to edit no longer exists (deleted, or too old to edit)."""
    text = error.message.lower()
    return isinstance(error, BadRequest) and ("not found" in text or "can't be edited" in text)


async def edit(bot: ExtBot[None], chat_id: int, message_id: int, screen: Screen) -> Message | None:
    """Replace a message the bot sent (a picker that has done its job); one that can no
    longer be edited gets a new message instead, which is returned (its id replaces the
    old one's for whoever edits it next)."""
    markup = reply_markup(screen.markup)
    inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
    try:
        await bot.edit_message_text(
            screen.text, chat_id=chat_id, message_id=message_id, reply_markup=inline
        )
    except BadRequest as exc:
        if not_modified(exc):
            return None
        if not gone(exc):
            raise
        log.info("message %s in %s can't be edited (%s): sent anew", message_id, chat_id, exc)
        return await send(bot, chat_id, screen)
    return None


def kept(screen: Screen, edits: int | None = None) -> dict[str, Any]:
    """A reply as the record of a handled update keeps it (JSON), to be sent again by
    `resend` if the platform asks again for the update."""
    return {
        "text": screen.text,
        "markup": screen.markup_json(),
        "media": list(screen.media) if screen.media is not None else None,
        "edits": edits,
    }


async def resend(bot: ExtBot[None], chat_id: int, reply: dict[str, Any]) -> None:
    """Send a kept reply again: the edit it was (harmless if it was already made), or the
    message."""
    text, media = str(reply["text"]), reply.get("media")
    markup = stored_markup(reply.get("markup"))
    edits = reply.get("edits")
    if edits is not None:
        inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
        try:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=edits, reply_markup=inline
            )
            return
        except BadRequest as exc:
            if not_modified(exc):
                return
            if not gone(exc):
                raise
    if media:
        kind, file_id = media
        if kind == "photo":
            await bot.send_photo(chat_id, file_id, caption=text, reply_markup=markup)
        else:
            await bot.send_document(chat_id, file_id, caption=text, reply_markup=markup)
        return
    await bot.send_message(chat_id, text, reply_markup=markup)
