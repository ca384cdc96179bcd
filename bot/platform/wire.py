"""Screens onto the wire: the sending calls every part of the platform layer uses (a
message sent, one edited, or sent anew when it can no longer be edited, a kept reply sent
again) and our markup values as the framework's objects where a framework call needs them.

A screen is already the Bot API's JSON (`Screen.markup_json`), so it is posted as it is,
through the bot's own request (its errors are the framework's: `BadRequest`, `Forbidden`,
`RetryAfter`), and the platform's answer is read only for the message's id. The
framework's `send_message` would build an object for every button, turn each back into
JSON, and parse the whole message the platform echoes: in a profile of
`python -m bench.intake`, sending took about a third of a step before and a twentieth
after.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.ui.markup import Screen

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def stored_markup(markup: dict[str, Any] | None) -> ReplyMarkup | None:
    """A reply markup as the outbox keeps it (the Bot API's JSON), as the framework's
    object (for a file uploaded with the framework's own call)."""
    if not markup:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.de_json(markup, None)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.de_json(markup, None)
    return ReplyKeyboardRemove()


async def call(bot: ExtBot[None], method: str, parameters: dict[str, Any]) -> Any:
    """Call `method` with `parameters` already in the Bot API's JSON (None values left
    out), in the bot's default parse mode; the answer's `result`, as JSON."""
    fields = [RequestParameter(k, v, None) for k, v in parameters.items() if v is not None]
    mode = bot.defaults.parse_mode if bot.defaults is not None else None
    if mode and ("text" in parameters or "caption" in parameters):
        fields.append(RequestParameter("parse_mode", mode, None))
    return await bot.request.post(f"{bot.base_url}/{method}", request_data=RequestData(fields))


def kept(screen: Screen, edits: int | None = None) -> dict[str, Any]:
    """A reply as JSON: what `post` sends, and what the record of a handled update keeps
    (to be sent again by `resend` if the platform asks again for the update)."""
    return {
        "text": screen.text,
        "markup": screen.markup_json(),
        "media": list(screen.media) if screen.media is not None else None,
        "edits": edits,
    }


async def post(bot: ExtBot[None], chat_id: int, reply: dict[str, Any]) -> int:
    """Send a reply kept as JSON as a new message; its message id."""
    text, media, markup = str(reply["text"]), reply.get("media"), reply.get("markup") or None
    if media:
        kind, file_id = media
        method = "sendPhoto" if kind == "photo" else "sendDocument"
        parameters = {"chat_id": chat_id, kind: file_id, "caption": text, "reply_markup": markup}
    else:
        method = "sendMessage"
        parameters = {"chat_id": chat_id, "text": text, "reply_markup": markup}
    sent = await call(bot, method, parameters)
    return int(sent["message_id"]) if isinstance(sent, dict) else 0


async def send(bot: ExtBot[None], chat_id: int, screen: Screen) -> int:
    """Send `screen` as a new message; its message id."""
    return await post(bot, chat_id, kept(screen))


def not_modified(error: TelegramError) -> bool:
    return isinstance(error, BadRequest) and "not modified" in error.message.lower()


def gone(error: TelegramError) -> bool:
    """The message to edit no longer exists (deleted, or too old to edit)."""
    text = error.message.lower()
    return isinstance(error, BadRequest) and ("not found" in text or "can't be edited" in text)


async def edit(bot: ExtBot[None], chat_id: int, message_id: int, screen: Screen) -> int | None:
    """Replace a message the bot sent (a picker that has done its job); one that can no
    longer be edited gets a new message instead, whose id is returned (it replaces the
    old one's for whoever edits it next)."""
    reply = kept(screen, edits=message_id)
    return await _edit(bot, chat_id, reply)


async def _edit(bot: ExtBot[None], chat_id: int, reply: dict[str, Any]) -> int | None:
    markup = reply.get("markup")
    inline = markup if markup and "inline_keyboard" in markup else None  # all an edit takes
    try:
        await call(
            bot,
            "editMessageText",
            {
                "chat_id": chat_id,
                "message_id": reply["edits"],
                "text": str(reply["text"]),
                "reply_markup": inline,
            },
        )
    except BadRequest as exc:
        if not_modified(exc):
            return None
        if not gone(exc):
            raise
        log.info("message %s in %s can't be edited (%s): sent anew", reply["edits"], chat_id, exc)
        return await post(bot, chat_id, reply)
    return None


async def resend(bot: ExtBot[None], chat_id: int, reply: dict[str, Any]) -> None:
    """Send a kept reply again: the edit it was (harmless if it was already made), or the
    message."""
    if reply.get("edits") is not None:
        await _edit(bot, chat_id, reply)
        return
    await post(bot, chat_id, reply)
