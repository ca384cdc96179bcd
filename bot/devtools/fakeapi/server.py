"""A fake Bot API server on loopback, in a Telegram flavour and a strict Bale flavour.

Bot side: the HTTP methods ideabot calls, answered the way the real servers
answer, errors included. Person side: Python methods (and a small JSON API for
trying the bot by hand) to send text, press buttons, share a contact or a
location, send files, and read what the bot sent, edits included.

The Bale flavour is strict where Bale differs (`docs/bale.md`): a request
that carries `parse_mode` is refused with 400, text is kept exactly as sent,
callback queries carry no `chat_instance`, update ids start at 0,
`setWebhook` takes no `secret_token`, and `setMyCommands` answers 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-fake-token-abcdef"
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
_TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)((?:\s[^<>]*)?)>")
_BARE_AMPERSAND = re.compile(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)")


class Flavour(StrEnum):
    TELEGRAM = "telegram"
    BALE = "bale"


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def html_to_text(markup: str) -> str:
    """What a Telegram client shows for an HTML message; ApiError where Telegram refuses."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0

    def data(chunk: str) -> None:
        if "<" in chunk or ">" in chunk:
            raise ApiError(400, "Bad Request: can't parse entities: unexpected < or >")
        if _BARE_AMPERSAND.search(chunk):
            raise ApiError(400, "Bad Request: can't parse entities: bare &")
        out.append(html.unescape(chunk))

    for match in _TAG.finditer(markup):
        data(markup[pos : match.start()])
        closing, name = match.group(1), match.group(2).lower()
        if name not in _TELEGRAM_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported tag <{name}>")
        if closing:
            if not stack or stack.pop() != name:
                raise ApiError(400, f"Bad Request: can't parse entities: unexpected </{name}>")
        else:
            stack.append(name)
        pos = match.end()
    data(markup[pos:])
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed <{stack[-1]}>")
    return "".join(out)


# Bale's Markdown as its clients read every text (no parse_mode can turn it off): a
# link, and bold, italic and code whose marks touch a space, a bracket or the line's edge
# outside and a letter inside. A word joiner (U+2060) is invisible, and no space.
_BALE_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BALE_SPANS = {
    "bold": re.compile(r"(?<![^\s(])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![^\s.,:;!?؟،)])"),
    "italic": re.compile(r"(?<![^\s(])_(?=[^\s_])([^_\n]*?[^\s_])_(?![^\s.,:;!?؟،)])"),
    "code": re.compile(r"(?<![^\s(])`([^`\n]+)`(?![^\s.,:;!?؟،)])"),
}


def bale_to_text(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """What a Bale client shows for a text, and the entities (links, bold…) it saw."""
    entities: list[dict[str, Any]] = []

    def link(match: re.Match[str]) -> str:
        entities.append({"type": "text_link", "text": match.group(1), "url": match.group(2)})
        return match.group(1)

    shown = _BALE_LINK.sub(link, markup)
    for kind, pattern in _BALE_SPANS.items():

        def span(match: re.Match[str], kind: str = kind) -> str:
            entities.append({"type": kind, "text": match.group(1)})
            return match.group(1)

        shown = pattern.sub(span, shown)
    return shown.replace("\u2060", ""), entities


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class BotMessage:
    """A message the bot sent, as the person sees it now."""

    message_id: int
    chat_id: int
    kind: str  # text, photo, document, copy
    text: str  # what the client shows (markup parsed away on Telegram)
    raw_text: str  # exactly what the bot sent
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    date: int
    file_id: str | None = None
    edits: int = 0
    # What Bale's client read as Markdown in it (links, bold…): none in what people typed.
    entities: list[dict[str, Any]] = field(default_factory=list)

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [dict(b) if isinstance(b, dict) else {"text": b} for row in rows for b in row]

    def button_texts(self) -> list[str]:
        return [b["text"] for b in self.buttons()]


@dataclass
class ChatEvent:
    kind: str  # "message" or "edit"
    message: BotMessage


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)
    agent: str = ""  # the User-Agent that asked
    answered: float | None = None  # when its answer went back (None: never)


@dataclass
class Fault:
    """What the server does instead of a method, `times` times (tests of delivery):
    an error with `status` (and `retry_after` for 429), or with status 0, the method
    done and the connection dropped before the answer (the client can't know)."""

    status: int
    description: str = ""
    retry_after: int | None = None
    method: str | None = None  # any sending method when None
    chat_id: int | None = None  # any chat when None
    times: int = 1
    chats: frozenset[int] | None = None  # or any of these chats


SENDING_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument", "copymessage"})


@dataclass
class Person:
    """A person chatting with the bot through the fake server."""

    server: FakeBotAPI
    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    cursor: int = 0

    @property
    def chat_id(self) -> int:
        return self.user_id

    def user_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self.server.message_ids),
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private", "first_name": self.first_name},
            "from": self.user_json(),
            **content,
        }

    def send(self, text: str) -> int:
        """Type a message (a command too) and send it; returns the update id."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.server.push_update({"message": self._message(**content)})

    def tap(self, label: str) -> int:
        """Tap a reply-keyboard button: the client sends its label as text."""
        return self.send(label)

    def press(
        self, message: BotMessage, label: str | None = None, *, data: str | None = None
    ) -> int:
        """Press an inline button of `message`, by its label or its callback data."""
        for button in message.buttons():
            if (label is not None and button.get("text") == label) or (
                data is not None and button.get("callback_data") == data
            ):
                callback_data = button.get("callback_data")
                if callback_data is None:
                    raise AssertionError(f"button {button.get('text')!r} has no callback data")
                return self.press_data(message, callback_data)
        labels = message.button_texts()
        raise AssertionError(
            f"no button {label or data!r} on message {message.message_id}: {labels}"
        )

    def press_data(self, message: BotMessage, callback_data: str) -> int:
        """Send any callback data, even data no button carries (a forged press)."""
        callback: dict[str, Any] = {
            "id": str(next(self.server.callback_ids)),
            "from": self.user_json(),
            "message": self.server.message_json(message),
            "data": callback_data,
        }
        if self.server.flavour is Flavour.TELEGRAM:
            callback["chat_instance"] = f"ci-{self.chat_id}"
        return self.server.push_update({"callback_query": callback})

    def share_contact(self, phone: str, *, own: bool = True) -> int:
        contact = {
            "phone_number": phone,
            "first_name": self.first_name,
            "user_id": self.user_id if own else self.user_id + 1,
        }
        return self.server.push_update({"message": self._message(contact=contact)})

    def share_location(self, latitude: float, longitude: float) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return self.server.push_update({"message": self._message(location=location)})

    def send_photo(self, content: bytes, caption: str | None = None) -> int:
        stored = self.server.store_file(content, "photos", ".jpg")
        photo = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": 800,
                "height": 600,
                "file_size": len(content),
            }
        ]
        extra = {"caption": caption} if caption else {}
        return self.server.push_update({"message": self._message(photo=photo, **extra)})

    def send_document(
        self,
        content: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        *,
        declared_size: int | None = None,
    ) -> int:
        stored = self.server.store_file(content, "documents", "", file_name, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": declared_size if declared_size is not None else len(content),
        }
        return self.server.push_update({"message": self._message(document=document)})

    def history(self) -> list[BotMessage]:
        return self.server.chat_messages(self.chat_id)

    async def next(self, timeout: float = 10.0) -> BotMessage:
        """The next thing the bot did in this chat (a message or an edit), as a snapshot."""
        event = await self.server.wait_event(self.chat_id, self.cursor, timeout)
        self.cursor += 1
        return event.message

    async def next_message(self, timeout: float = 10.0) -> BotMessage:
        """Like next(), skipping edits."""
        while True:
            event = await self.server.wait_event(self.chat_id, self.cursor, timeout)
            self.cursor += 1
            if event.kind == "message":
                return event.message

    async def silence(self, seconds: float = 0.5) -> bool:
        """True if the bot did nothing in this chat for `seconds`."""
        try:
            await self.server.wait_event(self.chat_id, self.cursor, seconds)
        except TimeoutError:
            return True
        return False


def chat_of(update: dict[str, Any]) -> int:
    """The chat an update belongs to (its sender's, for a press on no message)."""
    for kind in ("message", "edited_message", "callback_query"):
        found = update.get(kind)
        if isinstance(found, dict):
            message = found.get("message") if kind == "callback_query" else found
            chat = (message or {}).get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
            sender = found.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return 0


class FakeBotAPI:
    def __init__(
        self,
        flavour: Flavour | str = Flavour.TELEGRAM,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "ideabot_test_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int | None = None,
        first_message_id: int = 1,
        open_chats: bool = False,
    ) -> None:
        self.flavour = Flavour(flavour)
        self.token = token
        self.bot_id = int(token.split(":", maxsplit=1)[0])
        self.bot_username = bot_username
        self.host, self.port = host, port
        if first_update_id is None:
            first_update_id = 0 if self.flavour is Flavour.BALE else 815_000_000
        self._update_ids = itertools.count(first_update_id)
        # Message and file ids, unlike update ids, never start again on the real
        # servers: a server started again on old data continues them from here.
        self.message_ids = itertools.count(first_message_id)
        self._file_ids = itertools.count(first_message_id)
        self.callback_ids = itertools.count(9_000)
        self.pending: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []
        self._redelivered: set[int] = set()
        self.calls: list[ApiCall] = []
        self.files: dict[str, StoredFile] = {}
        self.messages: dict[int, BotMessage] = {}
        self.events: dict[int, list[ChatEvent]] = {}
        self.people: dict[int, Person] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[str, Any] = {}
        self.webhook: dict[str, Any] | None = None
        # Webhook delivery, as Telegram does it: what was posted and answered, how many
        # posts were repeated after an answer other than 2xx.
        self.webhook_posts: list[tuple[int, int, float]] = []  # update id, status, when
        self.webhook_resends = 0
        self.webhook_retry = 0.3  # seconds before a refused post is tried again
        self.webhook_error: str | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._turns = itertools.count()  # which address of several takes the next post
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        # Delivery tests: errors to inject, chats that blocked the bot, added latency,
        # and (for benchmarks) accepting chats with no Person behind them.
        self.faults: list[Fault] = []
        self.blocked_chats: set[int] = set()
        self.latency = 0.0
        self.open_chats = open_chats
        self._holding: asyncio.Event | None = None

    # ----- lifecycle -----
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._bot_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_post("/_person/{action}", self._person_action)
        app.router.add_get("/_person/{user_id}/chat", self._person_chat)
        return app

    async def start(self) -> str:
        self._closing = False
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.url

    async def stop(self) -> None:
        """Stop serving; long polls in progress are answered at once."""
        self._closing = True
        self._notify()
        if self._pusher is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._pusher, timeout=5)
            self._pusher = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    # ----- person side -----
    def person(self, user_id: int, first_name: str = "Sara", **profile: Any) -> Person:
        if user_id not in self.people:
            self.people[user_id] = Person(self, user_id, first_name, **profile)
        return self.people[user_id]

    def push_update(self, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.pending.append({"update_id": update_id, **payload})
        self._notify()
        return update_id

    async def wait_confirmed(self, timeout: float = 10.0) -> None:
        """Until the bot has taken and confirmed every update sent so far."""
        await self._wait_until(lambda: not self.pending, timeout)

    def redeliver(self, update_id: int) -> None:
        """Send an update again, as a server does when the bot's confirmation got lost."""
        for update in self.delivered:
            if update["update_id"] == update_id:
                self.pending.insert(0, copy.deepcopy(update))
                self._redelivered.add(update_id)
                self._notify()
                return
        raise KeyError(update_id)

    def store_file(
        self,
        content: bytes,
        folder: str,
        suffix: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        number = next(self._file_ids)
        stored = StoredFile(
            file_id=f"{self.flavour.value}-file-{number}",
            file_unique_id=f"u{number}",
            content=content,
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def chat_messages(self, chat_id: int) -> list[BotMessage]:
        return [copy.deepcopy(m) for m in self.messages.values() if m.chat_id == chat_id]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def hold(self) -> None:
        """Take sending requests and answer none of them until `release` (a platform gone
        slow: what the bot sends meanwhile stays on the wire)."""
        if self._holding is None:
            self._holding = asyncio.Event()

    def release(self) -> None:
        """Carry out and answer what `hold` kept waiting."""
        if self._holding is not None:
            self._holding.set()
            self._holding = None

    def in_flight(self, at: float, chats: frozenset[int] | None = None) -> int:
        """Sending requests (into `chats`, if given) that had arrived by the moment `at`
        and were not answered by then."""
        into = None if chats is None else {str(n) for n in chats}
        return sum(
            1
            for c in self.calls
            if c.method.lower() in SENDING_METHODS
            and c.at <= at
            and (c.answered is None or c.answered > at)
            and (into is None or str(c.params.get("chat_id")) in into)
        )

    async def wait_event(self, chat_id: int, index: int, timeout: float) -> ChatEvent:
        await self._wait_until(lambda: len(self.events.get(chat_id, [])) > index, timeout)
        return self.events[chat_id][index]

    def message_json(self, message: BotMessage) -> dict[str, Any]:
        person = self.people.get(message.chat_id)
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": {
                "id": message.chat_id,
                "type": "private",
                "first_name": person.first_name if person else "Person",
            },
            "from": self._me(),
        }
        if message.kind in ("text", "copy"):
            result["text"] = message.raw_text if self.flavour is Flavour.BALE else message.text
        else:
            result["caption"] = message.text
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Until `predicate` holds, checked at every change (an update, a message, an edit,
        a stop); TimeoutError after `timeout` seconds."""
        await self._wait_until(lambda: predicate() or self._closing, timeout)

    # ----- internals -----
    def _notify(self) -> None:
        """Wake everyone waiting for a change (new update, new message, edit)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:
        async def wait() -> None:
            while not predicate():
                await self._changed.wait()

        await asyncio.wait_for(wait(), timeout)

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "ideabot",
            "username": self.bot_username,
        }

    def _record(self, chat_id: int, kind: str, message: BotMessage) -> None:
        self.events.setdefault(chat_id, []).append(ChatEvent(kind, copy.deepcopy(message)))
        self._notify()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body if isinstance(body, dict) else {})
            return params
        if request.method == "POST" and request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[f"__file__{key}"] = (value.filename, value.file.read())
                else:
                    params[key] = value
        return params

    async def _bot_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except (ValueError, json.JSONDecodeError):
            return self._error(ApiCall(method, {}), ApiError(400, "Bad Request: malformed body"))
        call = ApiCall(method, params, agent=request.headers.get("User-Agent", ""))
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return self._error(call, ApiError(401, "Unauthorized"))
        handler = getattr(self, f"_m_{method.lower()}", None)
        if self.latency and method.lower() in SENDING_METHODS:
            await asyncio.sleep(self.latency)
        holding = self._holding
        if holding is not None and method.lower() in SENDING_METHODS:
            await holding.wait()
        fault = self._fault(method, params)
        try:
            if fault is not None and fault.status:
                raise ApiError(fault.status, fault.description, fault.retry_after)
            if self.flavour is Flavour.BALE and "parse_mode" in params:
                raise ApiError(400, "Bad Request: parse_mode is not supported")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
        except ApiError as exc:
            return self._error(call, exc)
        if fault is not None and request.transport is not None:  # done, but never answered
            call.status = 0
            request.transport.abort()
        else:
            call.answered = time.monotonic()
        return web.json_response({"ok": True, "result": result})

    def _fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        name = method.lower()
        if name in SENDING_METHODS and self.blocked_chats:
            chat = str(params.get("chat_id"))
            if chat.lstrip("-").isdigit() and int(chat) in self.blocked_chats:
                return Fault(403, "Forbidden: bot was blocked by the user")
        for fault in self.faults:
            if fault.method is None and name not in SENDING_METHODS:
                continue
            if fault.method is not None and fault.method.lower() != name:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            if fault.chats is not None and str(params.get("chat_id")) not in {
                str(c) for c in fault.chats
            }:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    def _error(self, call: ApiCall, exc: ApiError) -> web.Response:
        call.status = exc.status
        call.answered = time.monotonic()
        body: dict[str, Any] = {
            "ok": False,
            "error_code": exc.status,
            "description": exc.description,
        }
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        return web.json_response(body, status=exc.status)

    @staticmethod
    def _json(params: dict[str, Any], key: str) -> Any:
        value = params.get(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        return value

    @staticmethod
    def _int(params: dict[str, Any], key: str, required: bool = True) -> int | None:
        value = params.get(key)
        if value is None or value == "":
            if required:
                raise ApiError(400, f"Bad Request: {key} is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: {key} is invalid") from None

    def _chat(self, params: dict[str, Any]) -> int:
        chat_id = self._int(params, "chat_id")
        assert chat_id is not None
        if chat_id not in self.people and not (self.open_chats and chat_id > 0):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = self._json(params, "reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: reply_markup is invalid")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _entities(self, raw: str) -> list[dict[str, Any]]:
        return bale_to_text(raw)[1] if self.flavour is Flavour.BALE else []

    def _shown_text(self, params: dict[str, Any], key: str, limit: int) -> tuple[str, str]:
        raw = str(params.get(key) or "")
        mode = params.get("parse_mode")
        if mode is not None and str(mode).upper() == "HTML":
            shown = html_to_text(raw)
        elif mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {mode}")
        elif self.flavour is Flavour.BALE:
            shown, _entities = bale_to_text(raw)
        else:
            shown = raw
        if len(shown) > limit:
            raise ApiError(400, "Bad Request: message is too long")
        return raw, shown

    def _new_message(
        self,
        chat_id: int,
        kind: str,
        raw: str,
        shown: str,
        params: dict[str, Any],
        file_id: str | None = None,
    ) -> BotMessage:
        message = BotMessage(
            message_id=next(self.message_ids),
            chat_id=chat_id,
            kind=kind,
            text=shown,
            raw_text=raw,
            parse_mode=params.get("parse_mode"),
            reply_markup=self._markup(params),
            date=int(time.time()),
            file_id=file_id,
            entities=self._entities(raw),
        )
        self.messages[message.message_id] = message
        self._record(chat_id, "message", message)
        return message

    # ----- bot methods -----
    async def _m_getme(self, _params: dict[str, Any]) -> Any:
        return self._me()

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        """Updates stay pending until a later call confirms them with its offset, as on
        the real servers: a poll whose answer was lost is answered again."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = self._int(params, "offset", required=False)
        limit = self._int(params, "limit", required=False) or 100
        timeout = min(self._int(params, "timeout", required=False) or 0, 50)
        if offset is not None and offset < 0:
            self.pending = self.pending[offset:]  # Bale: a negative offset drops the backlog
        elif offset is not None:
            self.pending = [
                u
                for u in self.pending
                if u["update_id"] >= offset or u["update_id"] in self._redelivered
            ]
        self._notify()
        if not self.pending and timeout:
            with contextlib.suppress(TimeoutError):
                await self._wait_until(lambda: bool(self.pending) or self._closing, timeout)
        batch = self.pending[:limit]
        self.delivered.extend(copy.deepcopy(batch))
        self._redelivered.difference_update(u["update_id"] for u in batch)
        return batch

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        raw, shown = self._shown_text(params, "text", TEXT_LIMIT)
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return self.message_json(self._new_message(chat_id, "text", raw, shown, params))

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        message = self._own_message(chat_id, params)
        raw, shown = self._shown_text(params, "text", TEXT_LIMIT)
        markup = self._markup(params)
        if shown == message.text and markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.raw_text, message.text, message.reply_markup = raw, shown, markup
        message.parse_mode = params.get("parse_mode")
        message.entities = self._entities(raw)
        message.edits += 1
        self._record(chat_id, "edit", message)
        return self.message_json(message)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        message = self._own_message(chat_id, params)
        message.reply_markup = self._markup(params)
        message.edits += 1
        self._record(chat_id, "edit", message)
        return self.message_json(message)

    def _own_message(self, chat_id: int, params: dict[str, Any]) -> BotMessage:
        message_id = self._int(params, "message_id")
        message = self.messages.get(message_id or 0)
        if message is None or message.chat_id != chat_id:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old or query ID is invalid")
        self.callback_answers.append(params)
        return True

    async def _send_file(self, params: dict[str, Any], field_name: str, folder: str) -> Any:
        chat_id = self._chat(params)
        value = params.get(field_name)
        upload = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.get(f"__file__{value.removeprefix('attach://')}")
        upload = upload or params.get(f"__file__{field_name}")
        if upload is not None:
            name, content = upload
            stored = self.store_file(content, folder, "", name)
        elif isinstance(value, str) and value in self.files:
            stored = self.files[value]
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        limit = TEXT_LIMIT if self.flavour is Flavour.BALE else 1024
        raw, shown = self._shown_text(params, "caption", limit)
        kind = "photo" if field_name == "photo" else "document"
        message = self._new_message(chat_id, kind, raw, shown, params, file_id=stored.file_id)
        result = self.message_json(message)
        if kind == "photo":
            result["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 800,
                    "height": 600,
                }
            ]
        else:
            result["document"] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
            }
        return result

    async def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        return await self._send_file(params, "photo", "photos")

    async def _m_senddocument(self, params: dict[str, Any]) -> Any:
        return await self._send_file(params, "document", "documents")

    async def _m_copymessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._chat(params)
        source_message_id = self._int(params, "message_id")
        self._int(params, "from_chat_id")
        source = self._find_person_message(source_message_id or 0)
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        text = source.get("text") or source.get("caption") or ""
        file_id = None
        if source.get("photo"):
            file_id = source["photo"][-1]["file_id"]
        elif source.get("document"):
            file_id = source["document"]["file_id"]
        kind = "copy" if file_id is None else ("photo" if source.get("photo") else "document")
        message = self._new_message(chat_id, kind, text, text, params, file_id=file_id)
        return {"message_id": message.message_id}

    def _find_person_message(self, message_id: int) -> dict[str, Any] | None:
        for update in [*self.delivered, *self.pending]:
            message = update.get("message")
            if message and message.get("message_id") == message_id:
                return dict(message)
        return None

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for stored in self.files.values():
            if stored.file_path == request.match_info["path"]:
                return web.Response(body=stored.content)
        return web.Response(status=404)

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        if self.flavour is Flavour.BALE:
            raise ApiError(404, "Not Found: method not found")
        commands = self._json(params, "commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands are invalid")
        scope = self._json(params, "scope") or {"type": "default"}
        key = json.dumps([scope, params.get("language_code") or ""], sort_keys=True)
        self.commands[key] = commands
        return True

    async def _m_deletewebhook(self, _params: dict[str, Any]) -> Any:
        self.webhook = None
        self._notify()
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        if self.flavour is Flavour.BALE and params.get("secret_token"):
            raise ApiError(400, "Bad Request: secret_token is not supported")
        if not str(params.get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = params
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push())
        self._notify()
        return True

    async def _m_getwebhookinfo(self, _params: dict[str, Any]) -> Any:
        hook = self.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if hook.get("max_connections"):
            info["max_connections"] = int(hook["max_connections"])
        if self.webhook_error:
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = self.webhook_error
        return info

    # ----- webhook delivery -----
    def deliver_to(self, *urls: str, secret_token: str | None = None) -> None:
        """Post updates to these addresses, in turn (tests and benchmarks, which need
        neither TLS nor a proxy in front of their workers; setWebhook is how the bot
        asks for it)."""
        self.webhook = {"url": urls[0], "urls": list(urls), "secret_token": secret_token}
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push())
        self._notify()

    async def _push(self) -> None:
        """Post pending updates to the webhook as Telegram does: in order of their ids,
        a chat's next update only once the one before got a 2xx, others' at the same
        time (up to max_connections), and a post answered otherwise sent again."""
        in_flight: dict[int, asyncio.Task[None]] = {}
        # A test's server certificate is its own: not checked here (Telegram is given
        # it with setWebhook's `certificate`).
        connector = aiohttp.TCPConnector(ssl=False, limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            while self.webhook is not None and not self._closing:
                limit = int(self.webhook.get("max_connections") or 40)
                for update in list(self.pending):
                    if len(in_flight) >= limit:
                        break
                    chat = chat_of(update)
                    if chat in in_flight:
                        continue  # its chat's previous update is not answered yet
                    self.pending.remove(update)
                    task = asyncio.create_task(self._post(session, update))
                    in_flight[chat] = task

                    def finished(_task: asyncio.Task[None], chat: int = chat) -> None:
                        in_flight.pop(chat, None)
                        self._notify()

                    task.add_done_callback(finished)
                await self._changed.wait()
            for task in list(in_flight.values()):
                task.cancel()
            await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        while self.webhook is not None and not self._closing:
            hook = self.webhook
            urls = hook.get("urls") or [hook["url"]]
            url = urls[next(self._turns) % len(urls)]
            headers = {}
            if hook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
            try:
                async with session.post(
                    url,
                    json=update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=30),
                ) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, self.webhook_error = 0, f"Connection failed: {exc}"
            self.webhook_posts.append((update["update_id"], status, time.monotonic()))
            if 200 <= status < 300:
                self.delivered.append(copy.deepcopy(update))
                self._notify()
                return
            if status:
                self.webhook_error = f"Wrong response from the webhook: {status}"
            self.webhook_resends += 1
            await asyncio.sleep(self.webhook_retry)
        self.pending.insert(0, update)  # the webhook went away: it waits for the next one

    # ----- person JSON API (for trying the bot by hand) -----
    async def _person_action(self, request: web.Request) -> web.Response:
        try:
            return await self._person_do(request.match_info["action"], await request.json())
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)

    async def _person_do(self, action: str, body: dict[str, Any]) -> web.Response:
        person = self.person(int(body["user_id"]), body.get("first_name", "Sara"))
        if action == "send":
            update_id = person.send(str(body["text"]))
        elif action == "press":
            message = self.messages[int(body["message_id"])]
            update_id = person.press(message, body.get("label"), data=body.get("data"))
        elif action == "contact":
            update_id = person.share_contact(str(body["phone"]), own=bool(body.get("own", True)))
        elif action == "location":
            update_id = person.share_location(float(body["latitude"]), float(body["longitude"]))
        else:
            return web.json_response({"ok": False, "description": "unknown action"}, status=404)
        return web.json_response({"ok": True, "update_id": update_id})

    async def _person_chat(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["user_id"])
        messages = [
            {
                "message_id": m.message_id,
                "kind": m.kind,
                "keyboard": next(iter(m.reply_markup or {}), None),
                "text": m.text,
                "buttons": m.button_texts(),
                "edits": m.edits,
            }
            for m in self.chat_messages(chat_id)
        ]
        return web.json_response({"ok": True, "messages": messages})


async def run_standalone(flavour: Flavour, host: str, port: int) -> None:
    """Serve until interrupted; prints how to point ideabot at it."""
    # Distinct bot ids, as real Telegram and Bale bots have.
    token = DEFAULT_TOKEN if flavour is Flavour.TELEGRAM else "654321:TEST-fake-bale-token"
    server = FakeBotAPI(flavour, token=token, host=host, port=port)
    await server.start()
    variable = "TELEGRAM" if server.flavour is Flavour.TELEGRAM else "BALE"
    print(  # noqa: T201
        f"fake {server.flavour.value} Bot API on {server.url}\n"
        f"  {variable}_BOT_TOKEN={server.token} {variable}_API_URL={server.url} ideabot run\n"
        f"  person: curl -XPOST {server.url}/_person/send "
        f'-d \'{{"user_id": 1, "text": "/start"}}\'\n'
        f"  press:  curl -XPOST {server.url}/_person/press "
        f'-d \'{{"user_id": 1, "message_id": 2, "label": "BUTTON"}}\' (inline buttons; '
        "reply-keyboard buttons are sent as text)\n"
        f"  chat:   curl {server.url}/_person/1/chat",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
