"""Reading what a person sent: a command and its arguments, or the plain value a
conversation step takes."""

from __future__ import annotations

import re
from typing import Any

from telegram import Message, MessageOriginUser

from bot.core.conversation.engine import Input, InputKind
from bot.core.persian import normalize
from bot.core.text import bound
from bot.core.views import MediaFile

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.S)


def command_of(text: str | None) -> tuple[str, str] | None:
    """`/track K7M3 QXA9` -> ("track", "K7M3 QXA9"); None if the text is not a command.
    Read from the text itself: Bale's messages need not carry entities."""
    match = _COMMAND.match((text or "").strip())
    return (match.group(1).lower(), (match.group(2) or "").strip()) if match else None


def _forwarded_from(message: Message) -> tuple[bool, int | None, str | None]:
    """Whether the message was forwarded, and whose it was (when they let it be known)."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        return True, origin.sender_user.id, origin.sender_user.full_name
    if origin is not None:  # a hidden user, a chat or a channel
        return True, None, None
    # Bale's clients may send the field older Bot APIs had.
    legacy = message.api_kwargs.get("forward_from")
    if isinstance(legacy, dict) and isinstance(legacy.get("id"), int):
        return True, int(legacy["id"]), str(legacy.get("first_name") or "") or None
    return False, None, None


def read_input(message: Message) -> Input:
    """What the person sent, as the engine's plain Input."""
    forwarded, author, name = _forwarded_from(message)
    if message.text is not None:
        return Input(
            InputKind.TEXT,
            text=message.text,
            sent_at=message.date.timestamp(),
            forwarded=forwarded,
            forwarded_from=author,
            forwarded_name=name,
        )
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return Input(InputKind.CONTACT, phone=message.contact.phone_number, contact_is_own=own)
    if message.location is not None:
        where = message.location
        return Input(InputKind.LOCATION, latitude=where.latitude, longitude=where.longitude)
    file: Any = None
    kind = ""
    if message.photo:
        kind, file = "photo", message.photo[-1]
    elif message.document is not None:
        kind, file = "document", message.document
    elif message.voice is not None:
        kind, file = "voice", message.voice
    if file is None:
        return Input(
            InputKind.OTHER, forwarded=forwarded, forwarded_from=author, forwarded_name=name
        )
    item = MediaFile(
        kind=kind,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        size=file.file_size,
        name=getattr(file, "file_name", None),
        mime_type=getattr(file, "mime_type", None) or ("image/jpeg" if kind == "photo" else None),
        chat_id=message.chat.id,
        message_id=message.message_id,
        caption=bound(normalize(message.caption), 1024) if message.caption else None,
    )
    return Input(
        InputKind.MEDIA,
        media=item,
        forwarded=forwarded,
        forwarded_from=author,
        forwarded_name=name,
    )
