"""The one sender: notices, reminders and broadcast deliveries are outbox rows; this
drains the due ones under each platform's rate limit and records what became of every
row.

- the platform's rate (`Pace`): sends evenly spaced, no second holding more than the
  configured rate, and at most one message a second into a chat;
- 429 (or Bale's "bot limit exceed"): the platform pauses for `retry_after`, claims
  nothing meanwhile, and the rows waiting behind it go back to pending untried;
- 403, or "blocked": the person is marked blocked and unsubscribed;
- 5xx, or a connection that was refused or never made: tried again with bounded
  backoff, then `failed`;
- a read timeout or a dropped connection: `unknown` (it may have arrived), never sent
  again, and counted;
- a crash: rows only claimed go back to pending; a row is marked `sending` just before
  its request starts, and its result recorded as it comes in, so only what was on the
  wire becomes unknown;
- a notice to one person about their own doing (`deliver_soon`) is claimed and sent
  as soon as its change commits, in the background and under the same bucket: the
  update that wrote it does not wait for the platform's turn.

Each platform's lane keeps about a second of rows in hand, waiting their turn at the
bucket, and claims more whenever half of them have gone: the bucket never idles
between batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from aiolimiter import AsyncLimiter
from telegram import InputFile
from telegram.error import RetryAfter, TelegramError

from bot.core.clock import Clock, utcnow
from bot.core.platforms import Platform
from bot.core.views import Due, Result
from bot.platform import wire
from bot.platform.bots import SENDS_AT_ONCE, Connection, MessengerBot
from bot.platform.errors import Verdict, verdict_of
from bot.platform.polling import as_seconds
from bot.services.outbox import OutboxService

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0


@dataclass(slots=True)
class Media:
    """A photo or document shared by many rows. A file id belongs to one bot: until this
    platform's bot has one, the first row uploads the bytes (once, under the lock) and
    `save` records the id the platform gave it."""

    kind: str  # photo, document
    file_id: str | None
    fetch: Callable[[], Awaitable[tuple[bytes, str]]]
    save: Callable[[str], Awaitable[None]]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(slots=True)
class Content:
    """What one row sends: text, or a photo or document with the text as caption."""

    text: str
    markup: dict[str, Any] | None = None
    media: Media | None = None


class ContentSource(Protocol):
    """Gives the message of rows that keep no text of their own (broadcast deliveries)."""

    async def content(self, due: Due, bot: MessengerBot) -> Content | None: ...


class ChatGate:
    """At most one message a second into one chat (Telegram's limit, Bale's too)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._next: dict[tuple[str, int], float] = {}

    def delay(self, platform: str, chat_id: int) -> float:
        """Reserve the chat's next slot; returns how long to wait for it."""
        now = time.monotonic()
        if len(self._next) > 10_000:
            self._next = {k: t for k, t in self._next.items() if t > now}
        slot = max(now, self._next.get((platform, chat_id), now))
        self._next[(platform, chat_id)] = slot + self.interval
        return slot - now


class Pace:
    """A platform's rate, kept two ways. A leaky bucket (aiolimiter) spaces the sends
    evenly; holding a tenth of a second's messages, it makes up for timers that fire
    late (a bucket of one loses every late wake-up: measured on an idle loop, 0.95 of
    500 a second; on the sender's busy one, 0.80). And no second, as the platform
    counts arrivals, ever holds more than the rate: each send takes a turn, noted as
    its request starts (after its mark's write, which holds some longer than others),
    and a turn waits until the one `rate` turns before it, and every earlier one, went
    a second ago. The waiting is all before the mark: a row marked `sending` goes on
    the wire at once.
    """

    # What the bucket holds: lateness up to this is made up, and the turns, which repeat
    # the last second's pattern a little later each time, are not held back by it too
    # (measured with `python -m bench.broadcast`: 0.02 s held 500/s to 0.96, 0.1 s to
    # 0.975). Below 15 a second that is one message, every one spaced from the last.
    HELD_SECONDS = 0.1
    # Requests arrive a little unevenly after they leave: a second is counted this
    # much longer, so that one arriving late does not crowd the next second's.
    MARGIN = 0.003

    def __init__(self, rate: float) -> None:
        held = max(1, round(rate * self.HELD_SECONDS))
        self.bucket = AsyncLimiter(held, held / rate)
        self.most = max(1, int(rate))
        # The last turns taken, oldest first; each is resolved with the moment its
        # request started (or -inf if it never went).
        self.turns: deque[asyncio.Future[float]] = deque()
        self.latest_gone = -math.inf  # the latest start among turns no longer kept

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[Callable[[], None]]:
        """Wait for the next turn; the caller calls what it yields as its request
        starts. A turn left without going counts for nothing."""
        await self.bucket.acquire()
        loop = asyncio.get_running_loop()
        while True:
            if len(self.turns) >= self.most:  # the turn `rate` back must have gone
                first = self.turns[0]
                # Shielded: a waiter cancelled (a shutdown) must not cancel another's turn.
                started = await asyncio.shield(first)
                if self.turns and self.turns[0] is first:
                    self.turns.popleft()
                    self.latest_gone = max(self.latest_gone, started)
                continue
            wait = self.latest_gone + 1.0 + self.MARGIN - loop.time()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        mine: asyncio.Future[float] = loop.create_future()
        self.turns.append(mine)

        def going() -> None:
            if not mine.done():
                mine.set_result(loop.time())

        try:
            yield going
        finally:
            if not mine.done():
                mine.set_result(-math.inf)


@dataclass
class Lane:
    bot: MessengerBot
    pace: Pace
    rate: float
    # A row is marked `sending` only once it holds one of these: it then goes on the
    # wire at once, never waiting for a connection.
    flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(SENDS_AT_ONCE))
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    paused_until: float = 0.0  # monotonic time; set by a 429

    @property
    def batch(self) -> int:
        """Rows claimed at once: about a second of sending."""
        return max(1, min(500, int(self.rate)))


def _backoff(attempts: int) -> float:
    return float(min(MAX_BACKOFF, 2 ** max(0, attempts - 1)))


async def _first(*waits: Awaitable[object]) -> None:
    """Until the first of `waits` is done; the others are cancelled."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


class Journal:
    """What the sender writes, gathered: rows whose requests are starting (marked
    `sending` just before they go) and results as they come in, many in one write, one
    write at a time and at most one every `gap` seconds. A row is `sending` only from
    the moment its request starts, so a crash leaves ambiguous only what was truly on
    the wire.

    Why the gap: a write as soon as the last one ends would, at 500 messages a second,
    be a transaction for every one or two rows, and those transactions cost more than
    the sending (measured with `python -m bench.broadcast`). Waiting a few milliseconds
    gathers the rows that got their turn meanwhile into one write; a row waits at most
    a gap more before its request starts, and sends shift by no more than that."""

    def __init__(self, outbox: OutboxService, gap: float = 0.004) -> None:
        self.outbox = outbox
        self.gap = gap
        self._starting: list[tuple[int, asyncio.Future[bool]]] = []
        self._results: list[tuple[Result, asyncio.Future[None] | None]] = []
        self._writer: asyncio.Task[None] | None = None
        self._last = -gap  # when the last write began (the loop's clock)

    async def start(self, row_id: int) -> bool:
        """Mark the row `sending`; False if it is no longer ours to send (a sweep gave
        it back, and another sender may hold it)."""
        started: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._starting.append((row_id, started))
        self._write_soon()
        return await started

    def finished(self, result: Result) -> None:
        """Record `result` with the next write."""
        self._results.append((result, None))
        self._write_soon()

    async def record(self, result: Result) -> None:
        """Record `result` and wait until it is written."""
        written = asyncio.get_running_loop().create_future()
        self._results.append((result, written))
        self._write_soon()
        await written

    async def flush(self) -> None:
        """Wait until everything given so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    def _write_soon(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="sender-journal")

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        while self._starting or self._results:
            wait = self._last + self.gap - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last = loop.time()
            starting, self._starting = self._starting, []
            results, self._results = self._results, []
            try:
                ours = await self.outbox.record(
                    [result for result, _ in results], [row_id for row_id, _ in starting]
                )
            except Exception as exc:
                # Not written: these rows are not sent, and their results stay unrecorded
                # (the sweep turns them unknown); every waiter hears of it.
                log.exception("the sender could not record %d row(s)", len(starting) + len(results))
                for _, future in starting:
                    if not future.done():
                        future.set_exception(exc)
                for _, written in results:
                    if written is not None and not written.done():
                        written.set_exception(exc)
                continue
            for row_id, future in starting:
                if not future.done():
                    future.set_result(row_id in ours)
            for _, written in results:
                if written is not None and not written.done():
                    written.set_result(None)


class Sender:
    def __init__(
        self,
        outbox: OutboxService,
        rates: Mapping[Platform, float],
        *,
        clock: Clock = utcnow,
        max_attempts: int = 5,
    ) -> None:
        self.outbox = outbox
        self.rates = dict(rates)
        self.clock = clock
        self.max_attempts = max_attempts
        self.lanes: dict[Platform, Lane] = {}
        self.gate = ChatGate()
        self.journal = Journal(outbox)
        self.sources: dict[str, ContentSource] = {}
        self._delivering: set[asyncio.Task[None]] = set()

    def attach(self, connection: Connection) -> None:
        rate = self.rates[connection.platform]
        self.lanes[connection.platform] = Lane(connection.bot, Pace(rate), rate)

    def source(self, kind: str, source: ContentSource) -> None:
        self.sources[kind] = source

    def wake(self) -> None:
        for lane in self.lanes.values():
            lane.wake.set()

    # ----- the loop -----
    async def run(self, stop: asyncio.Event) -> None:
        """Drain every platform until `stop`; the clock calls `wake`. What is in hand
        when it comes is sent (about a second of each lane's rows), then written."""
        tasks = [
            asyncio.create_task(self._lane(platform, stop), name=f"sender-{platform}")
            for platform in self.lanes
        ]
        try:
            await stop.wait()
        finally:  # stopped or cancelled: what is in hand is sent and written all the same
            stop.set()
            self.wake()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.settled()

    async def _lane(self, platform: Platform, stop: asyncio.Event) -> None:
        """Keep up to a batch of rows in hand, claiming more when half of it is gone."""
        lane = self.lanes[platform]
        in_hand: set[asyncio.Task[None]] = set()
        low = lane.batch // 2
        room = asyncio.Event()

        def gone(task: asyncio.Task[None]) -> None:
            in_hand.discard(task)
            if len(in_hand) <= low:
                room.set()

        while not stop.is_set():
            pause = lane.paused_until - time.monotonic()
            if pause > 0:  # a 429: claim nothing until the platform lets us send again
                await _first(stop.wait(), asyncio.sleep(pause))
                continue
            lane.wake.clear()  # before claiming: a wake that comes meanwhile is kept
            try:
                batch = await self.outbox.claim_due(platform, lane.batch - len(in_hand))
            except Exception:
                log.exception("%s: the sender failed; trying again on the next tick", platform)
                batch = []
            for due in batch:
                task = asyncio.create_task(self._one(lane, due))
                in_hand.add(task)
                task.add_done_callback(gone)
            if len(in_hand) > low:
                room.clear()
                await _first(stop.wait(), room.wait())
            elif not batch:  # nothing due now: until something is written, or the clock
                await _first(stop.wait(), lane.wake.wait())
        if in_hand:
            await asyncio.wait(in_hand)
        await self.journal.flush()

    async def _one(self, lane: Lane, due: Due) -> None:
        result = await self._send(lane, due)
        if result is not None:
            self.journal.finished(result)

    async def drain_once(self, platform: Platform) -> int:
        """Claim one batch of due rows and send it; returns how many rows it took
        (tests and benchmarks; production runs `run`)."""
        lane = self.lanes[platform]
        batch = await self.outbox.claim_due(platform, lane.batch)
        await asyncio.gather(*(self._one(lane, due) for due in batch))
        await self.journal.flush()
        return len(batch)

    async def drain(self, platform: Platform) -> int:
        """Send everything due now (tests and benchmarks; production runs `run`)."""
        total = 0
        while sent := await self.drain_once(platform):
            total += sent
        return total

    def deliver_soon(self, row_id: int, settle: Callable[[str], None]) -> None:
        """Send one row in the background as soon as the bucket allows (a notice right
        after the change that wrote it); `settle` hears what became of it."""
        task = asyncio.create_task(self._deliver(row_id, settle), name=f"deliver-{row_id}")
        self._delivering.add(task)
        task.add_done_callback(self._delivering.discard)

    async def _deliver(self, row_id: int, settle: Callable[[str], None]) -> None:
        try:
            status = await self.deliver(row_id)
        except Exception:  # still pending or claimed: a lane or the sweep takes it
            log.exception("row %s could not be sent at once; the sender takes it later", row_id)
            status = "queued"
        settle(status)

    async def settled(self) -> None:
        """Until every row handed to `deliver_soon` so far has been tried."""
        while self._delivering:
            await asyncio.wait(set(self._delivering))

    async def deliver(self, row_id: int) -> str:
        """Send one row now, if it is still pending, under the same bucket as everything
        else (the platform's limit counts every message); "queued" if a lane has it."""
        due = await self.outbox.claim_one(row_id)
        if due is None:
            return "queued"
        lane = self.lanes.get(Platform(due.platform))
        if lane is None:  # that platform isn't served by this process: leave it for one that is
            found: Result | None = Result(due.id, "pending", retry_at=self.clock())
        elif lane.paused_until > time.monotonic():  # rate limited: the lane sends it later
            found = self._released(lane, due)
        else:
            found = await self._send(lane, due)
        if found is None:
            return "queued"
        await self.journal.record(found)
        return found.status

    # ----- one message -----
    async def _content(self, lane: Lane, due: Due) -> Content | None:
        source = self.sources.get(due.kind)
        if source is not None:
            return await source.content(due, lane.bot)
        return Content(due.text, due.reply_markup)

    async def _send(self, lane: Lane, due: Due) -> Result | None:
        """Send one claimed row, under the chat's and the platform's limits; None if it
        is no longer ours."""
        try:
            content = await self._content(lane, due)
            if content is None:
                return Result(due.id, "failed", error="nothing to send (its broadcast is gone)")
            if lane.paused_until > time.monotonic():
                return self._released(lane, due)
            media = content.media
            if media is not None and media.file_id is None and media.lock.locked():
                async with media.lock:  # another row is uploading it: this one waits
                    pass  # unmarked, and then sends the file id
            delay = self.gate.delay(due.platform, due.chat_id)
            if delay > 0:
                await asyncio.sleep(delay)
            async with lane.flight, lane.pace.turn() as going:
                if lane.paused_until > time.monotonic():  # a 429 came while it waited
                    return self._released(lane, due)
                if not await self.journal.start(due.id):
                    return None
                going()
                return await self._attempt(lane, due, content)
        except Exception as exc:
            log.exception("%s: cannot send row %s", lane.bot.platform, due.id)
            return Result(due.id, "failed", error=f"{type(exc).__name__}: {exc}")

    async def _attempt(self, lane: Lane, due: Due, content: Content) -> Result:
        try:
            await self._call(lane.bot, due.chat_id, content)
        except TelegramError as exc:
            verdict = verdict_of(exc)
            if verdict is Verdict.PAUSE:
                if isinstance(exc, RetryAfter):
                    return self._retry_after(lane, due, as_seconds(exc.retry_after), exc.message)
                if due.attempts >= self.max_attempts:  # a pause that never ends: give up
                    return Result(due.id, "failed", error=exc.message)
                return self._retry_after(lane, due, _backoff(due.attempts + 1), exc.message)
            if verdict is Verdict.RETRY:
                return self._again(due, exc.message)
            if verdict is Verdict.UNKNOWN:
                log.warning(
                    "%s: row %s may or may not have arrived: %s", lane.bot.platform, due.id, exc
                )
            user_id = due.user_id if verdict is Verdict.BLOCKED else None
            return Result(
                due.id, verdict.value, error=exc.message or type(exc).__name__, user_id=user_id
            )
        return Result(due.id, "sent")

    def _released(self, lane: Lane, due: Due) -> Result:
        """Not sent (the platform asked us to wait): pending again, due when the pause
        ends. Nothing is held while waiting, so no sweep can mistake it for abandoned."""
        wait = max(0.0, lane.paused_until - time.monotonic())
        retry_at = self.clock() + timedelta(seconds=wait)
        return Result(due.id, "pending", retry_at=retry_at)

    def _retry_after(self, lane: Lane, due: Due, seconds: float, error: str) -> Result:
        lane.paused_until = max(lane.paused_until, time.monotonic() + seconds)
        log.info("%s: rate limited, pausing %.1f s", lane.bot.platform, seconds)
        return Result(
            due.id, "pending", error=error, retry_at=self.clock() + timedelta(seconds=seconds)
        )

    def _again(self, due: Due, error: str) -> Result:
        if due.attempts >= self.max_attempts:
            return Result(due.id, "failed", error=error)
        retry_at = self.clock() + timedelta(seconds=_backoff(due.attempts))
        return Result(due.id, "pending", error=error, retry_at=retry_at)

    @staticmethod
    async def _call(bot: MessengerBot, chat_id: int, content: Content) -> None:
        """Send one row's message: as the Bot API's JSON (`wire.post`), except a file's
        first upload, which only the framework's call can make (and whose answer gives
        the file id every later row sends instead)."""
        media = content.media
        if media is not None and media.file_id is None:
            async with media.lock:
                if media.file_id is None:
                    data, name = await media.fetch()
                    file = InputFile(data, filename=name)
                    markup = wire.stored_markup(content.markup)
                    if media.kind == "photo":
                        sent = await bot.send_photo(
                            chat_id, file, caption=content.text, reply_markup=markup
                        )
                    else:
                        sent = await bot.send_document(
                            chat_id, file, caption=content.text, reply_markup=markup
                        )
                    uploaded = sent.photo[-1] if sent.photo else sent.document
                    if uploaded is not None:
                        media.file_id = uploaded.file_id
                        await media.save(uploaded.file_id)
                    return
        kept = {
            "text": content.text,
            "markup": content.markup,
            "media": [media.kind, media.file_id] if media is not None else None,
        }
        await wire.post(bot, chat_id, kept)

    # ----- housekeeping -----
    async def sweep(self, stale_after: timedelta, grace: timedelta) -> tuple[int, int]:
        """Rows a dead process left `sending` become `unknown`; reminders overdue by more
        than `grace` become `missed`. Returns both counts."""
        unknown, missed = await self.outbox.sweep(stale_after, grace)
        if unknown or missed:
            log.info(
                "sweep: %d row(s) unknown after a stop, %d reminder(s) missed", unknown, missed
            )
        return unknown, missed
