"""A tolerant long-polling loop, one per platform, all feeding the one gateway.

Updates are fetched as raw JSON and each is parsed on its own, so one that does not
parse is logged and skipped instead of failing its whole batch forever (Bale sends
shapes the framework does not expect). A platform that cannot be reached is retried
with backoff without touching the others, and a stop request lets the updates in hand
finish.

An update is confirmed to the server (by the offset of a later poll) only once it and
every update before it has been handled: a process killed mid-way gets them again when
it starts, and the gateway's record of handled updates (committed with their effects)
skips those that were done. So every update is handled once, not at most once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from telegram.error import Conflict, InvalidToken, RetryAfter
from telegram.request import RequestData

from bot.platform.bots import POLL_SECONDS, Connection

log = logging.getLogger(__name__)

Handle = Callable[[dict[str, Any]], Awaitable[object]]
OnConnect = Callable[[Connection], Awaitable[None]]
# Update kinds ideabot handles (Telegram is told; Bale documents no allowed_updates).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


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


def as_seconds(value: Any) -> float:
    """A retry_after as seconds, whether the framework gives an int or a timedelta."""
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class Poller:
    def __init__(
        self,
        connection: Connection,
        handle: Handle,
        stop: asyncio.Event,
        *,
        on_connect: OnConnect | None = None,
        polling_timeout: int = POLL_SECONDS,
        backoff: Backoff | None = None,
    ) -> None:
        self.connection = connection
        self.handle = handle
        self.stop = stop
        self.on_connect = on_connect
        self.polling_timeout = polling_timeout
        self.backoff = backoff or Backoff()
        self.next_id: int | None = None  # every update below it was taken in hand
        self.unfinished: set[int] = set()  # ids taken in hand and not yet handled
        self.in_flight: set[asyncio.Task[Any]] = set()
        self.connected = False
        self._name = connection.platform.value

    async def run(self) -> None:
        failing = False
        while not self.stop.is_set():
            try:
                if not self.connected and not await self._until_stopped(self._connect()):
                    break
                sent = self.offset
                batch = await self._until_stopped(self._fetch(sent))
                if batch is None:
                    break
            except RetryAfter as exc:
                log.warning("%s: asked to wait %s", self._name, exc.retry_after)
                await self._sleep(as_seconds(exc.retry_after))
                continue
            except Conflict as exc:
                log.error(
                    "%s: another poller or a webhook is using this token (%s); retrying",
                    self._name,
                    exc,
                )
                await self._sleep(self.backoff.maximum)
                continue
            except InvalidToken as exc:
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
            if self._dispatch(batch, sent) or not batch:
                self.backoff.reset()
            elif self.unfinished:  # only updates in hand came back: wait for one to finish
                await asyncio.wait(set(self.in_flight), timeout=1.0)
            elif self.offset != sent:  # handled since that poll: the next one confirms them
                continue
            else:  # nothing in the batch could be taken: ask again later, and later
                await self._sleep(self.backoff.next())
        await self.drain()

    async def _connect(self) -> bool:
        me = await self.connection.bot.get_me()
        await self.connection.application.initialize()  # once; later calls do nothing
        log.info("%s: connected as @%s (id %s)", self._name, me.username, me.id)
        self.connected = True
        if self.on_connect is not None:
            try:  # start-up chores (the command menus) must never stop the polling
                await self.on_connect(self.connection)
            except Exception:
                log.exception("%s: start-up hook failed, polling anyway", self._name)
        return True

    async def _fetch(self, offset: int | None) -> Any:
        """One long poll confirming what is below `offset`, its answer kept as raw JSON
        (the framework's own getUpdates parses the whole batch at once, so one odd update
        would fail all of them)."""
        bot = self.connection.bot
        query: dict[str, object] = {"timeout": self.polling_timeout}
        if offset is not None:
            query["offset"] = offset
        if bot.profile.sends_allowed_updates:
            query["allowed_updates"] = json.dumps(ALLOWED_UPDATES)
        return await self.connection.updates.post(
            f"{bot.base_url}/getUpdates?{urlencode(query)}",
            request_data=RequestData(),
            read_timeout=self.polling_timeout + 10,
        )

    @property
    def offset(self) -> int | None:
        """What the next poll confirms: everything below the oldest update still in hand
        (or below the next one, when none is)."""
        if self.next_id is None:
            return None
        return min(self.unfinished | {self.next_id})

    def _dispatch(self, batch: Any, sent: int | None) -> bool:
        """Start handling each new update of a batch fetched with offset `sent` (one
        already in hand, or handled and not confirmed by that poll, is sent again and
        is not new); True if any was new."""
        taken = False
        for raw in batch if isinstance(batch, list) else []:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                log.error("%s: update without an id skipped: %.300r", self._name, raw)
                continue
            if update_id in self.unfinished:
                continue  # in hand (twice in one batch, or sent again)
            if self.next_id is not None and update_id < self.next_id:
                # Judged by the offset that poll sent, not today's: an update handled
                # since then is still unconfirmed there, and taking it again as new
                # would move the offset back to it, poll after poll.
                if sent is not None and update_id >= sent:
                    continue  # handled and not confirmed yet: sent again
                # Below what was confirmed: the server numbers its updates afresh.
                log.warning("%s: update ids start again at %s", self._name, update_id)
            self.next_id = update_id + 1
            self.unfinished.add(update_id)
            taken = True
            task = asyncio.create_task(self._handle(update_id, raw))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        return taken

    async def _handle(self, update_id: int, raw: dict[str, Any]) -> None:
        try:
            await self.handle(raw)
        except Exception:
            log.exception("%s: update %s failed", self._name, update_id)
        # Handled, or failed for good (the person was told): either way it is done. A
        # cancelled one (the process stopping) stays unconfirmed, to be handled next time.
        self.unfinished.discard(update_id)

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
