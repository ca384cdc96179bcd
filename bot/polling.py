"""A tolerant long-polling loop, one per platform, all feeding one Dispatcher.

Unlike aiogram's own polling, an update that does not parse is logged and
skipped instead of failing its whole batch forever (Bale sends shapes aiogram
does not expect), a missing `chat_instance` is filled in, a platform that
cannot be reached is retried with backoff without touching the others, and a
stop request lets the updates in hand finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Dispatcher
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import Update
from pydantic import ValidationError

from bot.bots import GetRawUpdates, IdeaBot

log = logging.getLogger(__name__)

OnConnect = Callable[[IdeaBot], Awaitable[None]]


class Backoff:
    """Exponential backoff with jitter: 1 s, 2 s, 4 s … up to `maximum`."""

    def __init__(self, minimum: float = 1.0, maximum: float = 60.0, factor: float = 2.0) -> None:
        self.minimum, self.maximum, self.factor = minimum, maximum, factor
        self.current = minimum

    def next(self) -> float:
        delay = self.current
        self.current = min(self.current * self.factor, self.maximum)
        return delay * random.uniform(0.8, 1.2)

    def reset(self) -> None:
        self.current = self.minimum


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def prepare_raw_update(raw: dict[str, Any], fill_chat_instance: bool) -> dict[str, Any]:
    """Fill in what a Bale update may lack and aiogram requires."""
    callback = raw.get("callback_query")
    if fill_chat_instance and isinstance(callback, dict) and not callback.get("chat_instance"):
        chat_id = _dict(_dict(callback.get("message")).get("chat")).get("id")
        if chat_id is None:
            chat_id = _dict(callback.get("from")).get("id")
        callback["chat_instance"] = str(chat_id if chat_id is not None else 0)
    return raw


class Poller:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: IdeaBot,
        stop: asyncio.Event,
        *,
        on_connect: OnConnect | None = None,
        polling_timeout: int = 25,
        backoff: Backoff | None = None,
    ) -> None:
        self.dp = dispatcher
        self.bot = bot
        self.stop = stop
        self.on_connect = on_connect
        self.polling_timeout = polling_timeout
        self.backoff = backoff or Backoff()
        self.offset: int | None = None
        self.in_flight: set[asyncio.Task[Any]] = set()
        self.connected = False
        self._name = bot.platform.value

    async def run(self) -> None:
        failing = False
        while not self.stop.is_set():
            try:
                if not self.connected:
                    me = await self._until_stopped(self.bot.get_me())
                    if me is None:
                        break
                    log.info("%s: connected as @%s (id %s)", self._name, me.username, me.id)
                    self.connected = True
                    if self.on_connect is not None:
                        await self._connected_hook()
                batch = await self._until_stopped(self._fetch())
                if batch is None:
                    break
            except TelegramRetryAfter as exc:
                log.warning("%s: asked to wait %s s", self._name, exc.retry_after)
                await self._sleep(float(exc.retry_after))
                continue
            except TelegramConflictError as exc:
                log.error(
                    "%s: another poller or a webhook is using this token (%s); retrying",
                    self._name,
                    exc,
                )
                await self._sleep(self.backoff.maximum)
                continue
            except TelegramUnauthorizedError as exc:
                log.error("%s: the token was refused (%s); check the token", self._name, exc)
                self.connected = False
                await self._sleep(self.backoff.maximum)
                continue
            except Exception as exc:  # network, server or decoding trouble: retry later
                delay = self.backoff.next()
                if not failing:
                    log.warning("%s: unreachable (%s); retrying with backoff", self._name, exc)
                    failing = True
                else:
                    log.debug(
                        "%s: still unreachable (%s); next try in %.1f s", self._name, exc, delay
                    )
                await self._sleep(delay)
                continue
            if failing:
                log.info("%s: reachable again", self._name)
                failing = False
            if self._dispatch(batch) or not batch:
                self.backoff.reset()
            else:  # nothing in the batch could be confirmed: ask again later, and later
                await self._sleep(self.backoff.next())
        await self.drain()

    async def _connected_hook(self) -> None:
        """Start-up chores (setMyCommands) must never stop the polling."""
        assert self.on_connect is not None
        try:
            await self.on_connect(self.bot)
        except Exception:
            log.exception("%s: start-up hook failed, polling anyway", self._name)

    async def _fetch(self) -> list[dict[str, Any]]:
        profile = self.bot.profile
        allowed = self.dp.resolve_used_update_types() if profile.sends_allowed_updates else None
        method = GetRawUpdates(
            offset=self.offset, timeout=self.polling_timeout, allowed_updates=allowed
        )
        return await self.bot(method, request_timeout=self.polling_timeout + 10)

    def _dispatch(self, batch: list[dict[str, Any]]) -> bool:
        """Start handling each update of the batch; True if the offset moved on."""
        moved = False
        for raw in batch if isinstance(batch, list) else []:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                log.error("%s: update without an id skipped: %.300r", self._name, raw)
                continue
            self.offset = max(self.offset or 0, update_id + 1)
            moved = True
            try:
                prepared = prepare_raw_update(raw, self.bot.profile.fills_chat_instance)
                update = Update.model_validate(prepared, context={"bot": self.bot})
            except ValidationError as exc:
                log.error(
                    "%s: update %s does not parse, skipped: %s",
                    self._name,
                    update_id,
                    exc.errors(include_url=False)[:3],
                )
                continue
            except Exception:  # whatever else a malformed update does, it is only skipped
                log.exception("%s: update %s could not be read, skipped", self._name, update_id)
                continue
            task = asyncio.create_task(self._handle(update))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        return moved

    async def _handle(self, update: Update) -> None:
        try:
            await self.dp.feed_update(self.bot, update)
        except Exception:
            log.exception("%s: update %s failed", self._name, update.update_id)

    async def drain(self, timeout: float = 30.0) -> None:
        """Let the updates in hand finish."""
        if self.in_flight:
            log.info("%s: finishing %d update(s) in hand", self._name, len(self.in_flight))
            _done, pending = await asyncio.wait(set(self.in_flight), timeout=timeout)
            for task in pending:
                task.cancel()

    async def _until_stopped(self, coro: Awaitable[Any]) -> Any:
        """Await `coro` unless stop is requested first (then cancel it, return None)."""
        task = asyncio.ensure_future(coro)
        stopper = asyncio.ensure_future(self.stop.wait())
        try:
            await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
