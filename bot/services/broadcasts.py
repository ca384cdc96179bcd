"""Broadcasts: staff compose a message and choose an audience; when it is due, the
audience becomes one outbox row per person, which the one sender delivers, while the
author is shown its progress and then a report."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.clock import Clock, utcnow
from bot.core.notices import Notifier
from bot.core.platforms import Platform
from bot.core.statuses import STATUSES
from bot.core.views import (
    Audience,
    BroadcastContent,
    BroadcastInfo,
    Counts,
    Plan,
    Progress,
)
from bot.core.vocabulary import AREAS, PERSONAS, PLATFORM_NAMES, Option
from storage import Database, broadcasts, calls, events
from storage.audiences import audience_size
from storage.models import Broadcast

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 3.0


def broadcast_info(row: Broadcast) -> BroadcastInfo:
    audience = Audience(row.audience["kind"], row.audience.get("value"))
    return BroadcastInfo(row.id, row.status, row.due_at, audience, row.total, row.text)


class BroadcastService:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        platforms: tuple[Platform, ...],
        clock: Clock = utcnow,
    ) -> None:
        # Only people on platforms this deployment serves are counted and sent to.
        self.platforms = [p.value for p in platforms]
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self._contents: dict[int, BroadcastContent] = {}

    # ----- composing -----
    async def audience_options(self, answers: Mapping[str, Any]) -> list[Option]:
        """The values of the chosen kind of audience (the composer's choices)."""
        kind = answers.get("audience")
        if kind == "area":
            return list(AREAS)
        if kind == "persona":
            return list(PERSONAS)
        if kind == "platform":
            return [Option(key, name) for key, name in PLATFORM_NAMES.items()]
        if kind == "status":
            return [Option(key, status.name) for key, status in STATUSES.items()]
        async with self.db.read() as session:
            if kind == "event":
                rows = await events.recent_events(session)
                return [Option(str(e.id), e.title[:40]) for e in rows]
            if kind == "call":
                found = await calls.recent_calls(session)
                return [Option(str(c.id), c.title[:40]) for c in found]
        return []

    async def size(self, audience: Audience) -> dict[str, int]:
        async with self.db.read() as session:
            return await audience_size(session, audience.kind, audience.value, self.platforms)

    async def create(
        self, plan: Plan, staff_chat_id: int, staff_locale: str, due_at: datetime | None
    ) -> BroadcastInfo:
        """Save the broadcast; one due now starts at once."""
        async with self.db.write() as session:
            row = await broadcasts.add_broadcast(
                session,
                text=plan.text,
                media_kind=plan.media_kind,
                media_ids={plan.platform.value: plan.media_file_id} if plan.media_file_id else {},
                media_name=plan.media_name,
                audience={"kind": plan.audience.kind, "value": plan.audience.value},
                status="scheduled",
                due_at=due_at or self.clock(),
                staff_platform=plan.platform.value,
                staff_chat_id=staff_chat_id,
                staff_locale=staff_locale,
            )
            info = broadcast_info(row)
            if due_at is None:
                await self.start_due()
        return info

    async def counts(self, broadcast_id: int) -> Counts | None:
        async with self.db.read() as session:
            row = await broadcasts.get_broadcast(session, broadcast_id)
            if row is None:
                return None
            return Counts.of(row.total, await broadcasts.delivery_counts(session, broadcast_id))

    async def cancel(self, broadcast_id: int) -> bool:
        async with self.db.write() as session:
            return await broadcasts.cancel_broadcast(session, broadcast_id)

    async def history(self, limit: int = 30) -> list[tuple[BroadcastInfo, Counts]]:
        """The latest broadcasts, newest first, each with what became of its messages."""
        async with self.db.read() as session:
            rows = await broadcasts.recent_broadcasts(session, limit)
            return [
                (
                    broadcast_info(row),
                    Counts.of(row.total, await broadcasts.delivery_counts(session, row.id)),
                )
                for row in rows
            ]

    async def scheduled(self) -> list[BroadcastInfo]:
        async with self.db.read() as session:
            rows = await broadcasts.broadcasts_in(session, ["scheduled"])
            return [broadcast_info(row) for row in rows]

    # ----- the clock's jobs -----
    async def start_due(self) -> int:
        """Turn every due broadcast into its delivery rows; returns how many started."""
        started = 0
        async with self.db.write() as session:
            for row in await broadcasts.due_broadcasts(session, self.clock()):
                total = await broadcasts.expand_broadcast(
                    session, row, self.clock(), self.platforms
                )
                if total is None:
                    continue  # cancelled, or started elsewhere, meanwhile
                log.info("broadcast %s started: %d recipient(s)", row.id, total)
                started += 1
            if started:
                self.notifier.wake()
        return started

    async def progress(self) -> list[Progress]:
        """The running broadcasts whose author should see where they are: a finished one
        (for its report), or one whose progress was last shown a while ago."""
        now = self.clock()
        found = []
        async with self.db.read() as session:
            for row in await broadcasts.broadcasts_in(session, ["sending"]):
                counts = Counts.of(row.total, await broadcasts.delivery_counts(session, row.id))
                finished = counts.left == 0
                due = row.progress_at is None or (
                    (now - row.progress_at).total_seconds() >= PROGRESS_EVERY_SECONDS
                )
                if finished or due:
                    found.append(
                        Progress(
                            row.id,
                            Platform(row.staff_platform),
                            row.staff_chat_id,
                            row.staff_locale,
                            row.progress_message_id,
                            counts,
                            finished,
                        )
                    )
        return found

    async def progress_shown(self, broadcast_id: int, message_id: int | None) -> None:
        fields: dict[str, object] = {"progress_at": self.clock()}
        if message_id is not None:
            fields["progress_message_id"] = message_id
        async with self.db.write() as session:
            await broadcasts.update_broadcast(session, broadcast_id, **fields)

    async def finish(self, broadcast_id: int, counts: Counts) -> None:
        """Done, whether or not its author could be told."""
        now = self.clock()
        async with self.db.write() as session:
            await broadcasts.update_broadcast(
                session, broadcast_id, status="done", finished_at=now, progress_at=now
            )
        self._contents.pop(broadcast_id, None)
        log.info("broadcast %s finished: %s", broadcast_id, counts)

    # ----- what each delivery sends -----
    async def content(self, broadcast_id: int) -> BroadcastContent | None:
        found = self._contents.get(broadcast_id)
        if found is None:
            async with self.db.read() as session:
                row = await broadcasts.get_broadcast(session, broadcast_id)
            if row is None:
                return None
            found = BroadcastContent(
                row.id,
                row.text,
                row.media_kind,
                dict(row.media_ids),
                row.media_name,
                Platform(row.staff_platform),
            )
            self._contents[broadcast_id] = found
        return found

    async def save_media_id(self, broadcast_id: int, platform: Platform, file_id: str) -> None:
        """A file id belongs to one bot: the one this platform gave the uploaded file."""
        async with self.db.write() as session:
            fresh = await broadcasts.get_broadcast(session, broadcast_id)
            if fresh is not None:
                await broadcasts.update_broadcast(
                    session, broadcast_id, media_ids={**fresh.media_ids, platform.value: file_id}
                )
        cached = self._contents.get(broadcast_id)
        if cached is not None:
            cached.media_ids[platform.value] = file_id
