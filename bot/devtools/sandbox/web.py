"""`ideabot sandbox`: the fake Bot API (both flavours), the real bot and a web page, in one
process.

The bot runs exactly as `ideabot run` does (`bot.app.serve`), polling the fake servers over
HTTP on loopback. The page talks only to this module's JSON API, which drives the fake
servers' person side and reads back what the bot sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import mimetypes
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.config import Settings, normalize_database_url
from bot.devtools.fakeapi import FakeBotAPI, Flavour, Person
from bot.devtools.sandbox.demo import (
    DEMO_LATITUDE,
    DEMO_LONGITUDE,
    PEOPLE,
    PEOPLE_BY_KEY,
    TOKENS,
    DemoPerson,
    sandbox_settings,
)
from bot.devtools.sandbox.render import bot_message
from locales.i18n import LOCALES, use_locale
from locales.sandbox import PAGE_TEXTS
from storage import Database

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
POLL_SECONDS = 20.0  # a page's long poll is answered at the latest after this
STOP_SECONDS = 40.0  # the bot's own drain takes up to 30 s
TEXT_LIMIT = 4096
UPLOAD_LIMIT = 20 * 1024 * 1024
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

RunBot = Callable[[Settings, asyncio.Event], Coroutine[Any, Any, None]]


class NotLoopback(ValueError):
    pass


def check_loopback(host: str) -> str:
    """The page has no login and its staff account is an administrator: loopback only."""
    if host == "localhost":
        return host
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise NotLoopback(f"--host {host} is not a loopback address (use 127.0.0.1 or ::1)")


@dataclass
class Chat:
    """One demo person's chat on one flavour: what they sent and what the bot did, in order."""

    flavour: Flavour
    person: DemoPerson
    items: list[dict[str, Any]] = field(default_factory=list)
    synced: int = 0  # how many of the fake server's events for this chat are in `items`


def image_type(content: bytes) -> str | None:
    for magic, mime in IMAGE_TYPES.items():
        if content.startswith(magic):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


async def _serve_bot(settings: Settings, stop: asyncio.Event) -> None:
    from bot.app import serve

    await serve(settings, stop)


def _remove_sqlite_files(name: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".clock"):
        Path(name + suffix).expanduser().unlink(missing_ok=True)


async def wipe_database(url: str) -> None:
    """Empty the sandbox's database: a SQLite file is removed, anything else migrated down."""
    url = normalize_database_url(url)  # as the bot's settings read it
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        name = parsed.database or ""
        if name and name != ":memory:":
            await asyncio.to_thread(_remove_sqlite_files, name)
        return
    db = Database(url)
    try:
        await db.downgrade("base")
    finally:
        await db.dispose()


class Sandbox:
    def __init__(self, database_url: str, *, run_bot: RunBot = _serve_bot) -> None:
        self.database_url = database_url
        self.run_bot = run_bot
        self.fakes: dict[Flavour, FakeBotAPI] = {}
        self.chats: dict[tuple[Flavour, str], Chat] = {}
        self.generation = 0
        self.finished = asyncio.Event()
        self._bot: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._resetting = False
        self._lock = asyncio.Lock()

    # ----- lifecycle -----
    async def start(self) -> None:
        await self._start_fakes()
        self._start_bot()

    async def close(self) -> None:
        await self._stop_bot()
        for fake in self.fakes.values():
            await fake.stop()

    async def wait(self) -> None:
        """Until the bot stops for a reason other than a reset (SIGINT, SIGTERM, a failure);
        its exception, if it failed, is raised here."""
        await self.finished.wait()
        if self._bot is not None and self._bot.done() and not self._bot.cancelled():
            error = self._bot.exception()
            if error is not None:
                raise error

    async def reset(self) -> None:
        """Stop the bot, empty its database and every chat, start again."""
        async with self._lock:
            self._resetting = True
            try:
                await self._stop_bot()
                try:
                    await wipe_database(self.database_url)
                finally:  # even if the database could not be emptied, the demo goes on
                    old = self.fakes
                    await self._start_fakes()
                    self.chats.clear()
                    self.generation += 1
                    for fake in old.values():
                        await fake.stop()  # answers the pages' waiting polls
                    self._start_bot()
            finally:
                self._resetting = False
        log.info("sandbox: the demo was reset")

    async def _start_fakes(self) -> None:
        fakes = {}
        for flavour in Flavour:
            fake = FakeBotAPI(
                flavour,
                token=TOKENS[flavour],
                bot_username="ideabot_sandbox_bot",
                # Its update ids start again, as a real server's may; its message and file
                # ids go on from where the sandbox's database left them (the clock's seconds).
                first_message_id=int(time.time()),
            )
            await fake.start()
            # The bot may write to any demo person, as to anyone who has started it.
            for person in PEOPLE:
                fake.person(person.user_id, person.first_name, last_name=person.last_name)
            fakes[flavour] = fake
        self.fakes = fakes

    def _start_bot(self) -> None:
        self._stop = asyncio.Event()
        urls = {flavour: fake.url for flavour, fake in self.fakes.items()}
        settings = sandbox_settings(urls, self.database_url)
        self._bot = asyncio.create_task(self.run_bot(settings, self._stop), name="ideabot")
        self._bot.add_done_callback(self._bot_done)

    def _bot_done(self, task: asyncio.Task[None]) -> None:
        if task is self._bot and not self._resetting:
            self.finished.set()

    async def _stop_bot(self) -> None:
        if self._bot is None or self._bot.done():
            return
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._bot), STOP_SECONDS)
        except TimeoutError:
            log.warning("sandbox: the bot did not stop in %.0f s, cancelled", STOP_SECONDS)
            self._bot.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._bot
        except Exception:
            log.exception("sandbox: the bot failed while stopping")

    # ----- chats -----
    def chat(self, flavour: Flavour, key: str) -> Chat:
        person = PEOPLE_BY_KEY[key]
        chat = self.chats.get((flavour, key))
        if chat is None:
            chat = self.chats[(flavour, key)] = Chat(flavour, person)
        fake = self.fakes[flavour]
        events = fake.events.get(person.user_id, [])
        for event in events[chat.synced :]:
            item = bot_message(event.message, flavour.value, event.kind)
            stored = fake.files.get(event.message.file_id or "")
            item["name"] = stored.file_name if stored else None
            chat.items.append(item)
        chat.synced = len(events)
        return chat

    def version(self) -> str:
        """Changes whenever any chat does (or the demo is reset)."""
        events = sum(len(e) for fake in self.fakes.values() for e in fake.events.values())
        sent = sum(len(c.items) - c.synced for c in self.chats.values())
        return f"{self.generation}.{events}.{sent}"

    def unread_counts(self) -> dict[str, int]:
        """How many messages the bot has sent into each chat."""
        counts = {}
        for flavour in Flavour:
            for person in PEOPLE:
                events = self.fakes[flavour].events.get(person.user_id, [])
                counts[f"{flavour.value}/{person.key}"] = sum(e.kind == "message" for e in events)
        return counts

    async def wait_change(self, version: str, timeout: float) -> None:
        """Until version() differs from `version`, at most `timeout` seconds."""
        if self.version() != version:
            return
        waiters = [
            asyncio.ensure_future(fake.wait_until(lambda: self.version() != version, timeout))
            for fake in self.fakes.values()
        ]
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    def _sent(self, chat: Chat, item: dict[str, Any]) -> None:
        self.chat(chat.flavour, chat.person.key)  # the bot's earlier messages come first
        chat.items.append({"from": "person", **item})

    # ----- what a person does -----
    def send_text(self, flavour: Flavour, key: str, text: str) -> None:
        chat = self.chat(flavour, key)
        self._sent(chat, {"kind": "text", "text": text})
        self._person(chat).send(text)

    def press(self, flavour: Flavour, key: str, message_id: int, data: str) -> None:
        chat = self.chat(flavour, key)
        message = self.fakes[flavour].messages.get(message_id)
        if message is None or message.chat_id != chat.person.user_id:
            raise LookupError("no such message in this chat")
        if data not in {button.get("callback_data") for button in message.buttons()}:
            raise LookupError("no such button on this message")
        self._person(chat).press(message, data=data)

    def share_contact(self, flavour: Flavour, key: str, phone: str) -> None:
        chat = self.chat(flavour, key)
        self._sent(chat, {"kind": "contact", "text": phone})
        self._person(chat).share_contact(phone)

    def share_location(self, flavour: Flavour, key: str, latitude: float, longitude: float) -> None:
        chat = self.chat(flavour, key)
        self._sent(chat, {"kind": "location", "latitude": latitude, "longitude": longitude})
        self._person(chat).share_location(latitude, longitude)

    def send_file(
        self, flavour: Flavour, key: str, name: str, content: bytes, mime: str, caption: str
    ) -> None:
        chat = self.chat(flavour, key)
        fake = self.fakes[flavour]
        person = self._person(chat)
        if image_type(content):
            update_id = person.send_photo(content, caption or None)
        else:
            update_id = person.send_document(content, name, mime)
        message = next(u["message"] for u in fake.pending if u["update_id"] == update_id)
        photo, document = message.get("photo"), message.get("document")
        file_id = photo[-1]["file_id"] if photo else document["file_id"]
        if photo:  # documents go without a caption, as the fake's person sends them
            self._sent(chat, {"kind": "photo", "file": file_id, "name": name, "text": caption})
        else:
            self._sent(chat, {"kind": "document", "file": file_id, "name": name, "text": ""})

    def _person(self, chat: Chat) -> Person:
        person = chat.person
        return self.fakes[chat.flavour].person(
            person.user_id, person.first_name, last_name=person.last_name
        )

    def commands(self, flavour: Flavour, key: str) -> list[dict[str, str]]:
        """The command menu a Telegram client would show this person (Bale has none): the
        person's own, else the default list in the default language."""
        user_id = PEOPLE_BY_KEY[key].user_id
        own: list[Any] = []
        default: list[Any] = []
        for raw_key, commands in self.fakes[flavour].commands.items():
            scope, language = json.loads(raw_key)
            if scope.get("type") == "chat" and str(scope.get("chat_id")) == str(user_id):
                own = commands
            elif scope.get("type") == "default" and not language:
                default = commands
        return [
            {"command": str(c.get("command", "")), "description": str(c.get("description", ""))}
            for c in own or default
            if isinstance(c, dict)
        ]

    # ----- the page's words -----
    def texts(self, locale: str) -> dict[str, str]:
        with use_locale(locale):
            texts = {key: str(text) for key, text in PAGE_TEXTS.items()}
            texts.update({f"person_{p.key}": str(p.label) for p in PEOPLE})
        return texts


# ----- HTTP -----
SANDBOX: web.AppKey[Sandbox] = web.AppKey("sandbox", Sandbox)


class BadRequest(Exception):
    pass


def _flavour(value: object) -> Flavour:
    try:
        return Flavour(str(value))
    except ValueError:
        raise BadRequest("unknown flavour") from None


def _person_key(value: object) -> str:
    if str(value) not in PEOPLE_BY_KEY:
        raise BadRequest("unknown person")
    return str(value)


def _text(value: object, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "")
    if len(text) > limit:
        raise BadRequest("too long")
    return text


def _number(value: object, low: float, high: float) -> float:
    try:
        number = float(str(value))
    except ValueError:
        raise BadRequest("not a number") from None
    if not low <= number <= high:
        raise BadRequest("out of range")
    return number


@web.middleware
async def _guard(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        response = await handler(request)
    except BadRequest as exc:
        response = web.json_response({"ok": False, "description": str(exc)}, status=400)
    except LookupError as exc:
        response = web.json_response({"ok": False, "description": str(exc)}, status=404)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def _index(_request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def _no_icon(_request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _config(request: web.Request) -> web.Response:
    sandbox = request.app[SANDBOX]
    locale = request.query.get("locale", "fa")
    if locale not in LOCALES:
        locale = "fa"
    people = [
        {
            "key": p.key,
            "name": f"{p.first_name} {p.last_name}",
            "phone": p.phone,
            "staff": p.staff,
        }
        for p in PEOPLE
    ]
    return web.json_response(
        {
            "ok": True,
            "locale": locale,
            "locales": list(LOCALES),
            "texts": sandbox.texts(locale),
            "people": people,
            "flavours": [f.value for f in Flavour],
            "location": {"latitude": DEMO_LATITUDE, "longitude": DEMO_LONGITUDE},
        }
    )


async def _chat(request: web.Request) -> web.Response:
    """Long poll: the chat's items from `since` on, once there is something new anywhere
    (or after POLL_SECONDS)."""
    sandbox = request.app[SANDBOX]
    flavour = _flavour(request.match_info["flavour"])
    key = _person_key(request.match_info["person"])
    try:
        since = max(0, int(request.query.get("since", "0")))
    except ValueError:
        raise BadRequest("since is not a number") from None
    version = request.query.get("version", "")
    generation = sandbox.generation
    if request.query.get("generation", "") not in ("", str(generation)):
        since = 0  # the page still shows the chat from before a reset
    chat = sandbox.chat(flavour, key)
    if since >= len(chat.items) and version == sandbox.version():
        await sandbox.wait_change(version, POLL_SECONDS)
    if sandbox.generation != generation:
        since = 0
    chat = sandbox.chat(flavour, key)
    return web.json_response(
        {
            "ok": True,
            "generation": sandbox.generation,
            "version": sandbox.version(),
            "since": since,
            "items": chat.items[since:],
            "next": len(chat.items),
            "counts": sandbox.unread_counts(),
        }
    )


async def _body(request: web.Request) -> tuple[Sandbox, Flavour, str, dict[str, Any]]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("the body is not JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body is not an object")
    return (
        request.app[SANDBOX],
        _flavour(body.get("flavour")),
        _person_key(body.get("person")),
        body,
    )


def _ok() -> web.Response:
    return web.json_response({"ok": True})


async def _send(request: web.Request) -> web.Response:
    sandbox, flavour, key, body = await _body(request)
    text = _text(body.get("text"))
    if not text.strip():
        raise BadRequest("empty message")
    sandbox.send_text(flavour, key, text)
    return _ok()


async def _press(request: web.Request) -> web.Response:
    sandbox, flavour, key, body = await _body(request)
    try:
        message_id = int(body.get("message_id", 0))
    except (TypeError, ValueError):
        raise BadRequest("message_id is not a number") from None
    sandbox.press(flavour, key, message_id, _text(body.get("data"), 64))
    return _ok()


async def _contact(request: web.Request) -> web.Response:
    sandbox, flavour, key, body = await _body(request)
    phone = _text(body.get("phone"), 32).strip()
    if not phone:
        raise BadRequest("empty phone number")
    sandbox.share_contact(flavour, key, phone)
    return _ok()


async def _location(request: web.Request) -> web.Response:
    sandbox, flavour, key, body = await _body(request)
    latitude = _number(body.get("latitude"), -90, 90)
    longitude = _number(body.get("longitude"), -180, 180)
    sandbox.share_location(flavour, key, latitude, longitude)
    return _ok()


async def _upload(request: web.Request) -> web.Response:
    sandbox = request.app[SANDBOX]
    form = await request.post()
    flavour, key = _flavour(form.get("flavour")), _person_key(form.get("person"))
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise BadRequest("no file")
    content = upload.file.read()
    if not content:
        raise BadRequest("empty file")
    name = _text(upload.filename or "file", 255)
    mime = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    caption = _text(form.get("caption"), 1024)
    sandbox.send_file(flavour, key, name, content, mime, caption)
    return _ok()


async def _file(request: web.Request) -> web.Response:
    """A file the bot or a person sent. Only images are shown in the page; anything else
    is a download, never a page of this origin."""
    sandbox = request.app[SANDBOX]
    fake = sandbox.fakes[_flavour(request.match_info["flavour"])]
    stored = fake.files.get(request.match_info["file_id"])
    if stored is None:
        raise LookupError("no such file")
    mime = image_type(stored.content)
    if mime is not None:
        return web.Response(body=stored.content, content_type=mime)
    name = (stored.file_name or Path(stored.file_path).name).replace('"', "")
    return web.Response(
        body=stored.content,
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _commands(request: web.Request) -> web.Response:
    sandbox = request.app[SANDBOX]
    flavour = _flavour(request.match_info["flavour"])
    key = _person_key(request.match_info["person"])
    return web.json_response({"ok": True, "commands": sandbox.commands(flavour, key)})


async def _reset(request: web.Request) -> web.Response:
    await request.app[SANDBOX].reset()
    return _ok()


def web_app(sandbox: Sandbox) -> web.Application:
    app = web.Application(middlewares=[_guard], client_max_size=UPLOAD_LIMIT)
    app[SANDBOX] = sandbox
    app.router.add_get("/", _index)
    app.router.add_get("/favicon.ico", _no_icon)
    app.router.add_static("/static/", STATIC_DIR)
    app.router.add_get("/api/config", _config)
    app.router.add_get("/api/chat/{flavour}/{person}", _chat)
    app.router.add_get("/api/commands/{flavour}/{person}", _commands)
    app.router.add_get("/api/file/{flavour}/{file_id}", _file)
    app.router.add_post("/api/send", _send)
    app.router.add_post("/api/press", _press)
    app.router.add_post("/api/contact", _contact)
    app.router.add_post("/api/location", _location)
    app.router.add_post("/api/upload", _upload)
    app.router.add_post("/api/reset", _reset)
    return app


async def run_sandbox(host: str, port: int, database_url: str) -> None:
    """Serve the page until the bot stops (SIGINT/SIGTERM reach it through `serve`)."""
    sandbox = Sandbox(database_url)
    await sandbox.start()
    runner = web.AppRunner(web_app(sandbox), access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        shown = f"[{host}]" if ":" in host else host
        print(  # noqa: T201
            f"ideabot sandbox: open http://{shown}:{port}/ (Ctrl+C stops it)\n"
            f"  database: {make_url(database_url).render_as_string(hide_password=True)}",
            flush=True,
        )
        await sandbox.wait()
    finally:
        await sandbox.close()  # first: stopping the fake servers answers the waiting polls
        await runner.cleanup()
