"""Where every update comes in (each poller hands its updates here): read tolerantly, kept in
order per chat (with concurrency between chats), and handled as one unit of work.

One update, one turn:
1. cleaned (`bot.core.text.sanitize`, every string of it) and parsed on its own (Bale
   may omit what the framework requires: it is filled in, and an update that still
   does not parse is logged and skipped, never allowed to stall);
2. only private chats are served; a pressed button is answered at once, so it stops
   spinning whatever happens next;
3. the person is looked up (created, refreshed or unblocked only when needed), with
   their role, language and conversation;
4. one transaction holds the whole turn: the update's id is claimed first, then the
   handlers run, and everything they change commits with the claim, once, so a
   redelivered update is handled once and a crash leaves nothing half done (on
   PostgreSQL the chat's lock is taken first, so several workers take one chat's
   updates in turn; in webhook mode the record keeps the replies, sent again if the
   update comes again);
5. then the replies go out, in order. A failure rolls everything back and the person
   is told, never left without an answer.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from telegram import Chat, Update, User
from telegram.error import TelegramError

from bot.core.platforms import Platform
from bot.core.text import sanitize
from bot.core.views import Profile, UpdateKey
from bot.platform import turn as turns
from bot.platform import wire
from bot.platform.bots import Connection
from bot.platform.turn import Services, Turn, TurnContext
from bot.services.health import unavailable
from bot.ui import common as screens
from bot.ui.states import State
from locales.i18n import known, set_locale, use_locale

log = logging.getLogger(__name__)


class _RolledBack(Exception):
    """The turn's changes must not be committed (a handler failed)."""


class _Handled(Exception):
    """This update was handled before (a redelivery), here or by another worker."""

    def __init__(self, replies: list[dict[str, Any]]) -> None:
        super().__init__()
        self.replies = replies


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def digest_of(raw: dict[str, Any]) -> str:
    """A digest of an update's content, as the platform sent it: a redelivery has the
    same, a new update under a reused id another."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def cleaned(value: Any) -> Any:
    """Every string of an update as `sanitize` keeps it (names, texts, captions, file
    names alike): nothing a person sends reaches the handlers, the database or other
    people's screens with control or reordering characters in it."""
    if isinstance(value, str):
        return sanitize(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    return value


_BARE_MESSAGE = ("message_id", "date", "chat", "from")
_BARE_CALLBACK = ("id", "from", "chat_instance", "data")


def bare(raw: dict[str, Any]) -> dict[str, Any]:
    """An update cut down to who sent it, where, and nothing of what (a text is kept only
    if it is a string): what is left of a shape the framework refuses."""
    found: dict[str, Any] = {"update_id": raw.get("update_id")}
    for kind in ("message", "edited_message"):
        message = _dict(raw.get(kind))
        if message:
            kept = {key: message[key] for key in _BARE_MESSAGE if key in message}
            if isinstance(message.get("text"), str):
                kept["text"] = message["text"]
            found[kind] = kept
    callback = _dict(raw.get("callback_query"))
    if callback:
        kept = {key: callback[key] for key in _BARE_CALLBACK if key in callback}
        message = _dict(callback.get("message"))
        if message:
            kept["message"] = {key: message[key] for key in _BARE_MESSAGE if key in message}
        found["callback_query"] = kept
    return found


def fill_gaps(raw: dict[str, Any]) -> dict[str, Any]:
    """What a Bale update may lack and the framework requires: a callback query's
    `chat_instance` (undocumented on Bale)."""
    callback = raw.get("callback_query")
    if isinstance(callback, dict) and not callback.get("chat_instance"):
        chat_id = _dict(_dict(callback.get("message")).get("chat")).get("id")
        if chat_id is None:
            chat_id = _dict(callback.get("from")).get("id")
        callback["chat_instance"] = str(chat_id if chat_id is not None else 0)
    return raw


def _sound(update: Update) -> bool:
    """The framework checks shapes, not types: a text that is not a string would reach
    the handlers as whatever it is."""
    message = update.effective_message
    if message is None:
        return True
    texts = (message.text, message.caption)
    ids = (message.chat.id, *(u.id for u in (update.effective_user,) if u is not None))
    return all(t is None or isinstance(t, str) for t in texts) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    )


def _person(update: Update) -> User | Chat | None:
    """Who is behind an update: its sender, or in a private chat the chat itself (the
    same person, for an update that arrives without `from`); None for a bot or nobody."""
    sender = update.effective_user
    if sender is not None:
        return None if sender.is_bot else sender
    chat = update.effective_chat
    return chat if chat is not None and chat.type == "private" else None


class ChatLocks:
    """One lock per chat, held while its update is handled: one chat's updates are
    handled in the order they came, different chats' at the same time."""

    def __init__(self) -> None:
        self._locks: dict[tuple[Platform, int], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: tuple[Platform, int]) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


# One unit of work: everything written inside commits together at its end, or not at all.
Unit = Callable[[], AbstractAsyncContextManager[None]]


class Gateway:
    def __init__(
        self,
        unit: Unit,
        services: Services,
        connections: dict[Platform, Connection],
        *,
        replay: bool = False,
    ) -> None:
        self.unit = unit
        self.services = services
        self.connections = connections
        # Webhook mode: an update comes again only if its answer did not reach the
        # platform, so its replies are kept with it and sent again.
        self.replay = replay
        self.locks = ChatLocks()
        for connection in connections.values():
            connection.application.add_error_handler(self._on_error)

    def parse(self, platform: Platform, raw: dict[str, Any]) -> Update | None:
        """The update; if the framework refuses its shape, the same update with only what
        answering needs (so that a person still gets an answer: "not understood", or
        their conversation's question again); None (logged) if even that fails."""
        bot = self.connections[platform].bot
        update_id = raw.get("update_id")
        raw = fill_gaps(cleaned(raw))
        try:
            update = Update.de_json(raw, bot)
            if _sound(update):
                return update
            log.warning(
                "%s: update %s has a field of a wrong type: read as bare", platform, update_id
            )
        except Exception as exc:  # whatever a malformed update does, it must not stop us
            log.warning("%s: update %s does not parse (%s): read as bare", platform, update_id, exc)
        try:
            update = Update.de_json(bare(raw), bot)
        except Exception as exc:
            log.error("%s: update %s does not parse, skipped: %s", platform, update_id, exc)
            return None
        if not _sound(update):  # not even who sent it can be read
            log.error("%s: update %s is unreadable, skipped", platform, update_id)
            return None
        return update

    async def handle(self, platform: Platform, raw: dict[str, Any]) -> bool:
        """Handle one update as the platform sent it (raw JSON). False only when the
        database could not be reached in webhook mode: nothing was done, and the
        platform should send the update again."""
        update = self.parse(platform, raw)
        if update is None:
            return True
        chat = update.effective_chat
        if chat is not None and chat.type != "private":
            return True  # ideabot talks with people one to one; groups are not its place
        sender = update.effective_user
        where = chat.id if chat is not None else sender.id if sender is not None else 0
        async with self.locks.hold((platform, where)):
            return await self._turn(self.connections[platform], update, digest_of(raw), where)

    async def _turn(self, connection: Connection, update: Update, digest: str, where: int) -> bool:
        bot = connection.bot
        key: UpdateKey = (connection.platform, bot.numeric_id, update.update_id, digest)
        users = self.services.users
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as exc:  # Bale's older clients refuse: it must not matter
                log.debug("%s: answerCallbackQuery failed: %s", connection.platform, exc)
        turn = Turn(self.services, bot, bot.profile, update)
        token = turns.begin(turn)
        try:
            with use_locale(self.services.default_locale):
                try:
                    async with self.unit():
                        # Across workers too, one chat's updates are handled one at a time.
                        await users.hold_chat(connection.platform, where)
                        # The update is claimed first, in the transaction that commits
                        # what it changes: handled once, even if posted again to another
                        # worker meanwhile (found handled once the chat's lock is ours).
                        if not await users.handled(key):
                            raise _Handled(await users.seen(key) or [])
                        await self._meet(turn)
                        await connection.application.process_update(update)
                        if turn.failed is not None:
                            raise _RolledBack
                        if self.replay and turn.kept:
                            await users.keep(key, turn.kept)
                except _Handled as handled:
                    log.info("%s update %s already handled, skipped", key[0], key[2])
                    if self.replay and handled.replies:
                        await self._resend(turn, handled.replies)
                    return True
                except _RolledBack:
                    if turn.failed is not None:
                        await self._apologise(turn)
                    return True
                except Exception as exc:  # the database, say: rolled back, and told
                    if self.replay and unavailable(exc):
                        log.warning(
                            "%s update %s: %s; left for the platform to send again",
                            key[0],
                            key[2],
                            exc,
                        )
                        return False
                    turn.failed = exc
                    await self._apologise(turn)
                    return True
                await turn.flush()
                return True
        finally:
            turns.end(token)

    async def _resend(self, turn: Turn, replies: list[dict[str, Any]]) -> None:
        """The replies of an update handled before whose answer the platform never got
        (the worker died between the commit and the answer)."""
        for reply in replies:
            try:
                await wire.resend(turn.bot, turn.chat_id, reply)
            except TelegramError as exc:
                log.warning(
                    "%s: a reply sent again to %s was refused: %s", turn.platform, turn.chat_id, exc
                )

    async def _meet(self, turn: Turn) -> None:
        """Who sent the update: their row, role, language and conversation."""
        who = _person(turn.update)
        if who is None:
            return
        chat = turn.update.effective_chat
        private = chat is not None and chat.type == "private"
        profile = Profile(
            platform=turn.platform,
            platform_user_id=who.id,
            chat_id=chat.id if chat is not None and private else None,
            first_name=who.first_name or "",
            last_name=who.last_name,
            username=who.username,
        )
        turn.user = await self.services.users.visit(profile)
        await self.services.staff.load()
        turn.role = self.services.staff.role_of(turn.platform, who.id)
        turn.state = State.decode(turn.user.state)
        if known(turn.user.locale):
            set_locale(str(turn.user.locale))

    async def _on_error(self, update: object, context: TurnContext) -> None:
        turn = turns.current()
        turn.failed = context.error or RuntimeError("unknown failure")

    async def _apologise(self, turn: Turn) -> None:
        """Whatever failed (even before the person was known), a person is told."""
        log.error("%s update %s failed", turn.platform, turn.update.update_id, exc_info=turn.failed)
        if _person(turn.update) is None:
            return
        turn.replies = []
        turn.reply(screens.sorry(turn.render))
        await turn.flush()
