"""The outbox as the one sender and the messenger use it: who a person is to write to,
writing rows (in the caller's transaction), claiming due ones, and recording what became
of each (a person who blocked the bot is marked so and unsubscribed)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock, utcnow
from bot.core.notices import TIMELY_KINDS
from bot.core.platforms import Platform
from bot.core.views import Due, Reader, Result
from storage import Database, cluster, outbox, users
from storage.db import AfterCommit

log = logging.getLogger(__name__)


class OutboxService:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._announcing: set[asyncio.Task[None]] = set()

    async def reader(self, user_id: int) -> Reader | None:
        """Where to write to `user_id`; None if they can't be reached (they blocked the
        bot, or never had a private chat with it)."""
        async with self.db.read() as session:
            user = await users.get_user_by_id(session, user_id)
        if user is None or user.chat_id is None or user.blocked:
            return None
        return Reader(user.id, Platform(user.platform), user.chat_id, user.locale)

    async def add(
        self,
        reader: Reader,
        text: str,
        markup: dict[str, Any] | None,
        *,
        kind: str,
        due_at: datetime | None,
        expires_at: datetime | None,
        dedupe: str | None,
    ) -> int | None:
        """Write one row; None when a row with the same `dedupe` key exists."""
        fields = self._fields(reader, text, markup, kind, due_at or self.clock(), expires_at)
        async with self.db.write() as session:
            if dedupe is not None:
                return await outbox.add_once(session, dedupe=dedupe, **fields)
            return await outbox.add_outbox(session, **fields)

    async def add_all(
        self,
        letters: Sequence[tuple[Reader, str, dict[str, Any] | None, str]],
        *,
        kind: str,
        due_at: datetime | None,
        expires_at: datetime | None,
    ) -> int:
        """Write many rows at once: each (reader, text, markup, dedupe key), those whose
        key was written before passed over. How many were written."""
        due = due_at or self.clock()
        rows = [
            {**self._fields(reader, text, markup, kind, due, expires_at), "dedupe": dedupe}
            for reader, text, markup, dedupe in letters
        ]
        async with self.db.write() as session:
            return await outbox.add_all_once(session, rows)

    @staticmethod
    def _fields(
        reader: Reader,
        text: str,
        markup: dict[str, Any] | None,
        kind: str,
        due_at: datetime,
        expires_at: datetime | None,
    ) -> dict[str, Any]:
        return {
            "user_id": reader.user_id,
            "platform": reader.platform.value,
            "chat_id": reader.chat_id,
            "text": text,
            "reply_markup": markup,
            "kind": kind,
            "due_at": due_at,
            "expires_at": expires_at,
        }

    def after_commit(self, callback: AfterCommit) -> None:
        self.db.after_commit(callback)

    def announce(self) -> None:
        """Tell the sender in another process that rows were written: with the current
        write's commit, or at once (in the background) if there is none."""
        if self.db.notify_at_commit(cluster.CHANNEL):
            return
        task = asyncio.get_running_loop().create_task(self._announce_now())
        self._announcing.add(task)
        task.add_done_callback(self._announcing.discard)

    async def _announce_now(self) -> None:
        try:
            await self.db.notify(cluster.CHANNEL)
        except Exception as exc:  # the sender's clock finds the rows on its next tick
            log.warning("could not wake the sender: %s", exc)

    def in_write(self) -> bool:
        """Whether the caller is inside a write (whose commit is still to come)."""
        return self.db.in_write()

    async def claim_due(self, platform: Platform, limit: int) -> list[Due]:
        async with self.db.write() as session:
            rows = await outbox.claim_due(session, platform.value, self.clock(), limit)
        return [Due(**row) for row in rows]

    async def claim_one(self, row_id: int) -> Due | None:
        async with self.db.write() as session:
            row = await outbox.claim_one(session, row_id, self.clock())
        return Due(**row) if row is not None else None

    async def record(self, results: Sequence[Result], sending: Sequence[int] = ()) -> set[int]:
        """Record what became of `results`, and mark `sending` the rows about to go out
        (in the same write); returns those of them still claimed, which may be sent."""
        now = self.clock()
        async with self.db.write() as session:
            by_status: dict[str, list[int]] = {}
            errors: dict[int, str] = {}
            for result in results:
                if result.status == "pending":
                    await outbox.retry(
                        session,
                        result.id,
                        at=result.retry_at,
                        error=result.error,
                    )
                    continue
                by_status.setdefault(result.status, []).append(result.id)
                if result.error:
                    errors[result.id] = result.error
            await outbox.finish(session, by_status, errors, now)
            blocked = [r.user_id for r in results if r.status == "blocked" and r.user_id]
            await users.set_blocked(session, blocked, True)
            return await outbox.mark_sending(session, sending)

    async def sweep(self, stale_after: timedelta, grace: timedelta) -> tuple[int, int]:
        """Rows a dead process left `sending` become `unknown`; reminders overdue by more
        than `grace` become `missed`. Returns both counts."""
        now = self.clock()
        async with self.db.write() as session:
            unknown = await outbox.expire_sending(session, now - stale_after)
            missed = await outbox.miss_overdue(
                session, [k.value for k in TIMELY_KINDS], now - grace, now
            )
        return unknown, missed

    async def pending(self, platform: Platform | None = None) -> int:
        async with self.db.read() as session:
            return await outbox.pending_count(session, platform.value if platform else None)
