"""A recording request and update builders: conversation tests and benchmarks drive the
real Applications with these, with no network.

`RecordingRequest` answers every Bot API call locally, the way the servers would
(refusing broken HTML and too long a text, and on Bale any `parse_mode`), and records
each call as its method and parameters, exactly as they would go on the wire.
`Person` builds the updates one person would send, as the raw JSON the platforms send.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.core.platforms import PROFILES, Platform
from bot.devtools.fakeapi.server import TEXT_LIMIT, ApiError, bale_to_text, html_to_text
from bot.platform.bots import Connection, connect

TOKENS = {
    Platform.TELEGRAM: "42:RECORDING-telegram-token",
    Platform.BALE: "43:RECORDING-bale-token",
}
USERNAME = "ideabot_bot"


@dataclass
class Call:
    """One request the bot made: its method and its parameters, as sent."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)
    result: Any = None  # what the request was answered with, when it succeeded

    def file(self, name: str) -> bytes:
        """An uploaded file's bytes (a document sent with the request)."""
        return self.files[name]

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def markup(self) -> dict[str, Any] | None:
        markup = self.params.get("reply_markup")
        return json.loads(markup) if isinstance(markup, str) else markup

    @property
    def parse_mode(self) -> str | None:
        return self.params.get("parse_mode")

    def buttons(self) -> list[str]:
        markup = self.markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [b["text"] for row in rows for b in row]


SENDING = frozenset({"sendMessage", "editMessageText", "sendPhoto", "sendDocument"})


class RecordingRequest(BaseRequest):
    """Answers every request locally, the way the Bot API would, and records it."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.calls: list[Call] = []
        self.failures: dict[str, list[tuple[int, str]]] = {}
        self._ids = itertools.count(1)
        self.bot_id = int(TOKENS[platform].split(":")[0])

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def fail_next(self, method: str, status: int = 400, description: str = "Bad Request") -> None:
        """The next call of `method` is refused with this status and description."""
        self.failures.setdefault(method, []).append((status, description))

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1].split("?", 1)[0]
        params = dict(request_data.parameters) if request_data is not None else {}
        files, names = {}, {}
        if request_data is not None and request_data.contains_files:
            parts = request_data.multipart_data.items()
            files = {k: p[1] if isinstance(p[1], bytes) else p[1].read() for k, p in parts}
            names = {key: part[0] for key, part in parts}
        call = Call(name, params, files, names)
        self.calls.append(call)
        pending = self.failures.get(name)
        if pending:
            status, description = pending.pop(0)
            return status, self._error(status, description)
        try:
            self._check_text(params)
            call.result = result = self._result(name, params)
        except ApiError as exc:
            return exc.status, self._error(exc.status, exc.description)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    def _error(status: int, description: str) -> bytes:
        return json.dumps({"ok": False, "error_code": status, "description": description}).encode()

    def _check_text(self, params: dict[str, Any]) -> None:
        """Refuse what the platform would: broken HTML, too long a text; on Bale, any
        parse_mode at all."""
        mode = params.get("parse_mode")
        if self.platform is Platform.BALE and mode is not None:
            raise ApiError(400, "Bad Request: parse_mode is not supported")
        for key in ("text", "caption"):
            text = params.get(key)
            if not isinstance(text, str):
                continue
            shown = html_to_text(text) if mode == "HTML" else bale_to_text(text)[0]
            if len(shown) > TEXT_LIMIT or (key == "text" and not shown.strip()):
                raise ApiError(400, "Bad Request: message is too long or empty")

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": int(params.get("chat_id") or 0), "type": "private"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "ideabot"},
            **content,
        }

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "ideabot",
                "username": USERNAME,
            }
        if name in ("sendMessage", "editMessageText"):
            return self._message(params, text=params.get("text", ""))
        if name == "sendPhoto":
            photo = {
                "file_id": f"sent-{next(self._ids)}",
                "file_unique_id": "u",
                "width": 1,
                "height": 1,
            }
            return self._message(params, photo=[photo])
        if name == "sendDocument":
            document = {"file_id": f"sent-{next(self._ids)}", "file_unique_id": "u"}
            return self._message(params, document=document)
        if name == "copyMessage":
            return {"message_id": next(self._ids)}
        if name == "getFile":
            return {"file_id": params.get("file_id"), "file_unique_id": "u", "file_path": "f"}
        return True

    # ----- reading what was sent -----
    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def messages(self, chat_id: int | None = None) -> list[Call]:
        """Messages sent and edited, in order."""
        return [
            c
            for c in self.calls
            if c.method in SENDING and (chat_id is None or c.chat_id == chat_id)
        ]

    def clear(self) -> None:
        self.calls.clear()


def recorded(platform: Platform) -> Connection:
    """A platform's connection whose requests are recorded, not sent."""
    request = RecordingRequest(platform)
    return connect(
        platform, TOKENS[platform], "https://recorded.invalid", request=request, updates=request
    )


def recording(connection: Connection) -> RecordingRequest:
    request = connection.bot.request
    assert isinstance(request, RecordingRequest)
    return request


@dataclass
class Person:
    """Builds the updates one person would send, as raw JSON."""

    user_id: int
    first_name: str = "Sara"
    last_name: str | None = None
    platform: Platform = Platform.TELEGRAM
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        return user

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def next_update_id(self) -> int:
        return self.user_id * 1_000_000 + next(self._update_ids)

    def message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }

    def update(self, **content: Any) -> dict[str, Any]:
        return {"update_id": self.next_update_id(), **content}

    def text(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.update(message=self.message(**content))

    def forwarded(
        self, text: str, author: dict[str, Any] | None, *, hidden_name: str = "Someone"
    ) -> dict[str, Any]:
        """A message of `author`'s forwarded here (None: an author who hides it)."""
        origin: dict[str, Any] = (
            {"type": "user", "date": int(time.time()), "sender_user": author}
            if author is not None
            else {"type": "hidden_user", "date": int(time.time()), "sender_user_name": hidden_name}
        )
        return self.update(message=self.message(text=text, forward_origin=origin))

    def edited(self, text: str) -> dict[str, Any]:
        return self.update(edited_message=self.message(text=text, edit_date=int(time.time())))

    def press(self, data: str, message_id: int = 1, message_text: str = "…") -> dict[str, Any]:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self.chat,
            "from": {"id": 42, "is_bot": True, "first_name": "ideabot"},
            "text": message_text,
        }
        callback: dict[str, Any] = {
            "id": str(self.next_update_id()),
            "from": self.user,
            "message": message,
            "data": data,
        }
        if PROFILES[self.platform].html:  # Bale's callback queries carry no chat_instance
            callback["chat_instance"] = str(self.user_id)
        return self.update(callback_query=callback)

    def contact(self, phone: str, own: bool = True) -> dict[str, Any]:
        contact = {
            "phone_number": phone,
            "first_name": self.first_name,
            "user_id": self.user_id if own else self.user_id + 1,
        }
        return self.update(message=self.message(contact=contact))

    def photo(
        self,
        file_id: str = "photo-1",
        size: int = 50_000,
        *,
        album: str | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """A photo; with `album`, one part of an album (a media group)."""
        photo = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": 800,
            "height": 600,
            "file_size": size,
        }
        extra: dict[str, Any] = {}
        if album:
            extra["media_group_id"] = album
        if caption:
            extra["caption"] = caption
        return self.update(message=self.message(photo=[photo], **extra))

    def document(self, name: str = "plan.pdf", size: int = 1000) -> dict[str, Any]:
        document = {
            "file_id": f"doc-{size}",
            "file_unique_id": f"d-{size}",
            "file_name": name,
            "file_size": size,
            "mime_type": "application/pdf",
        }
        return self.update(message=self.message(document=document))

    def voice(self, size: int = 1000) -> dict[str, Any]:
        voice = {
            "file_id": "voice-1",
            "file_unique_id": "v",
            "duration": 3,
            "file_size": size,
            "mime_type": "audio/ogg",
        }
        return self.update(message=self.message(voice=voice))

    def sticker(self) -> dict[str, Any]:
        sticker = {
            "file_id": "st",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.update(message=self.message(sticker=sticker))

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        return self.update(
            message=self.message(location={"latitude": latitude, "longitude": longitude})
        )
