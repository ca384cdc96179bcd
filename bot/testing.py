"""A recording bot session and update builders: conversation tests and benchmarks
drive the real Dispatcher with these, with no network."""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageEntity,
    MessageId,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)

from bot.bots import IdeaBot
from bot.fakeapi.server import TEXT_LIMIT, ApiError, html_to_text
from bot.platforms import PROFILES, Platform


class RecordingSession(BaseSession):
    """Answers every request locally, the way the Bot API would, and records it."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.failures: dict[str, list[Exception]] = {}
        self._ids = itertools.count(1)

    def fail_next(self, method_name: str, error: Exception) -> None:
        self.failures.setdefault(method_name, []).append(error)

    async def close(self) -> None:
        pass

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - no file downloads yet
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        pending = self.failures.get(method.__api_method__)
        if pending:
            raise pending.pop(0)
        self._check_text(bot, method)
        return self._result(bot, method)  # type: ignore[no-any-return]

    def _check_text(self, bot: Bot, method: TelegramMethod[Any]) -> None:
        """Refuse what Telegram would: broken HTML, too long a text."""
        text = getattr(method, "text", None)
        if not isinstance(text, str):
            return
        try:
            parse_mode = self.prepare_value(getattr(method, "parse_mode", None), bot, {})
            shown = html_to_text(text) if parse_mode == "HTML" else text
        except ApiError as exc:
            raise TelegramBadRequest(method=method, message=exc.description) from None
        if len(shown) > TEXT_LIMIT or not shown.strip():
            raise TelegramBadRequest(method=method, message="message is too long or empty")

    def _message(self, bot: Bot, chat_id: Any, text: str | None, markup: Any) -> Message:
        return Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=Chat(id=int(chat_id), type="private"),
            from_user=User(id=bot.id, is_bot=True, first_name="ideabot"),
            text=text,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return User(id=bot.id, is_bot=True, first_name="ideabot", username="ideabot_bot")
        if isinstance(method, SendMessage | EditMessageText):
            return self._message(bot, method.chat_id, method.text, method.reply_markup)
        if isinstance(method, EditMessageReplyMarkup):
            return self._message(bot, method.chat_id, None, method.reply_markup)
        if isinstance(method, SendPhoto | SendDocument):
            return self._message(bot, method.chat_id, None, method.reply_markup)
        if isinstance(method, CopyMessage):
            return MessageId(message_id=next(self._ids))
        if isinstance(method, AnswerCallbackQuery) or method.__returning__ is bool:
            return True
        raise NotImplementedError(f"RecordingSession cannot answer {method.__api_method__}")

    # ----- reading what was sent -----
    def sent(self, kind: type[TelegramMethod[Any]] = SendMessage) -> list[Any]:
        return [r for r in self.requests if isinstance(r, kind)]

    def texts(self) -> list[str]:
        """Texts of messages sent and edited, in order."""
        return [
            r.text
            for r in self.requests
            if isinstance(r, SendMessage | EditMessageText) and isinstance(r.text, str)
        ]

    def last_text(self) -> str:
        texts = self.texts()
        assert texts, "the bot sent nothing"
        return texts[-1]

    def clear(self) -> None:
        self.requests.clear()


def recording_bot(platform: Platform, bot_id: int = 42) -> tuple[IdeaBot, RecordingSession]:
    session = RecordingSession()
    bot = IdeaBot(f"{bot_id}:RECORDING-session-token", PROFILES[platform], session=session)
    return bot, session


@dataclass
class FakePerson:
    """Builds the updates one person would send."""

    user_id: int
    first_name: str = "Sara"
    last_name: str | None = None
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def user(self) -> User:
        return User(
            id=self.user_id, is_bot=False, first_name=self.first_name, last_name=self.last_name
        )

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user_id, type="private", first_name=self.first_name)

    def next_update_id(self) -> int:
        return self.user_id * 1_000_000 + next(self._update_ids)

    def _message(self, **content: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )

    def text(self, text: str) -> Update:
        entities = None
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            entities = [MessageEntity(type="bot_command", offset=0, length=length)]
        return Update(
            update_id=self.next_update_id(), message=self._message(text=text, entities=entities)
        )

    def press(self, data: str, message_id: int = 1, message_text: str = "…") -> Update:
        message = Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=User(id=42, is_bot=True, first_name="ideabot"),
            text=message_text,
        )
        callback = CallbackQuery(
            id=str(self.next_update_id()),
            from_user=self.user,
            chat_instance=str(self.user_id),
            message=message,
            data=data,
        )
        return Update(update_id=self.next_update_id(), callback_query=callback)

    def contact(self, phone: str, own: bool = True) -> Update:
        contact = Contact(
            phone_number=phone,
            first_name=self.first_name,
            user_id=self.user_id if own else self.user_id + 1,
        )
        return Update(update_id=self.next_update_id(), message=self._message(contact=contact))

    def photo(
        self,
        file_id: str = "photo-1",
        size: int = 50_000,
        *,
        album: str | None = None,
        caption: str | None = None,
    ) -> Update:
        """A photo; with `album`, one part of an album (a media group)."""
        photo = PhotoSize(
            file_id=file_id, file_unique_id=f"u-{file_id}", width=800, height=600, file_size=size
        )
        message = self._message(photo=[photo], media_group_id=album, caption=caption)
        return Update(update_id=self.next_update_id(), message=message)

    def document(self, name: str = "plan.pdf", size: int = 1000) -> Update:
        document = Document(
            file_id=f"doc-{size}",
            file_unique_id=f"d-{size}",
            file_name=name,
            file_size=size,
            mime_type="application/pdf",
        )
        return Update(update_id=self.next_update_id(), message=self._message(document=document))

    def voice(self, size: int = 1000) -> Update:
        voice = Voice(
            file_id="voice-1",
            file_unique_id="v",
            duration=3,
            file_size=size,
            mime_type="audio/ogg",
        )
        return Update(update_id=self.next_update_id(), message=self._message(voice=voice))

    def sticker(self) -> Update:
        sticker = Sticker(
            file_id="st",
            file_unique_id="s",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        )
        return Update(update_id=self.next_update_id(), message=self._message(sticker=sticker))

    def location(self, latitude: float, longitude: float) -> Update:
        location = Location(latitude=latitude, longitude=longitude)
        return Update(update_id=self.next_update_id(), message=self._message(location=location))
