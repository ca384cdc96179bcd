"""Automatic messages the clock asks for: call deadline reminders, the weekly digest,
and one nudge for a forgotten draft. Each is an outbox row with a dedupe key, so a
job that runs twice (or in two processes) writes it once."""

from __future__ import annotations

import logging
from datetime import timedelta, tzinfo

from bot import announcements
from bot.calls import CallInfo
from bot.delivery import Clock
from bot.events import EventInfo
from bot.messenger import Messenger
from bot.topics import CALLS, EVENTS
from storage import Database, outreach
from storage.models import utcnow

log = logging.getLogger(__name__)
DIGEST_WINDOW = timedelta(days=7)


class AutomaticMessages:
    def __init__(
        self,
        db: Database,
        messenger: Messenger,
        tz: tzinfo,
        *,
        call_offsets: tuple[timedelta, ...],
        draft_nudge: timedelta | None,
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.messenger = messenger
        self.tz = tz
        self.call_offsets = call_offsets
        self.draft_nudge = draft_nudge
        self.clock = clock

    async def call_deadlines(self) -> int:
        """For each open call and each offset now due: remind subscribers of its areas
        who haven't submitted to it. Offsets that fell due before the call existed
        are passed over."""
        now, written = self.clock(), 0
        async with self.db.write() as session:
            for row in await outreach.open_calls(session, now):
                call = CallInfo.of(row)
                for offset in self.call_offsets:
                    due = call.closes_at - offset
                    expires = min(call.closes_at, due + offset / 4)
                    if due > now or due < row.created_at or now >= expires:
                        continue  # not yet; before the call existed; or no longer true
                    key = f"deadline:{call.id}:{int(offset.total_seconds())}:"
                    for user_id in await outreach.deadline_audience(session, row):
                        compose = announcements.call_deadline(call, offset, self.tz)
                        if (
                            await self.messenger.queue(
                                session,
                                user_id,
                                compose,
                                kind="deadline",
                                due_at=due,
                                dedupe=f"{key}{user_id}",
                            )
                            is not None
                        ):
                            written += 1
        if written:
            self.messenger.sender.wake()
        return written

    async def call_openings(self, grace: timedelta) -> int:
        """When a call opens, its news goes to those who follow calls (once each); a call
        that opened longer than `grace` ago is not announced late."""
        now, written = self.clock(), 0
        async with self.db.write() as session:
            for row in await outreach.open_calls(session, now):
                if row.opens_at < now - grace:
                    continue
                call = CallInfo.of(row)
                for user_id in await outreach.topic_audience(session, [CALLS]):
                    if (
                        await self.messenger.queue(
                            session,
                            user_id,
                            announcements.call_opened(call, self.tz),
                            kind="announce",
                            expires_at=call.closes_at,
                            dedupe=f"opened:{call.id}:{user_id}",
                        )
                        is not None
                    ):
                        written += 1
        if written:
            self.messenger.sender.wake()
        return written

    async def weekly_digest(self) -> int:
        """New calls and events of the last week, to those subscribed to them; nothing
        is sent in a week with nothing new."""
        now, written = self.clock(), 0
        stamp = now.astimezone(self.tz).strftime("%Y%m%d")
        async with self.db.write() as session:
            calls = [
                CallInfo.of(c)
                for c in await outreach.calls_created_since(session, now - DIGEST_WINDOW, now)
            ]
            events = [
                EventInfo.of(e)
                for e in await outreach.meetups_created_since(session, now - DIGEST_WINDOW, now)
            ]
            if not calls and not events:
                log.info("weekly digest: nothing new, skipped")
                return 0
            followers = await outreach.topic_audience(session, [CALLS, EVENTS])
            for user_id, topics in followers.items():
                mine_calls = calls if CALLS in topics else []
                mine_events = events if EVENTS in topics else []
                if not mine_calls and not mine_events:
                    continue
                compose = announcements.digest(mine_calls, mine_events, self.tz)
                if (
                    await self.messenger.queue(
                        session, user_id, compose, kind="digest", dedupe=f"digest:{stamp}:{user_id}"
                    )
                    is not None
                ):
                    written += 1
        log.info("weekly digest: %d written", written)
        self.messenger.sender.wake()
        return written

    async def draft_nudges(self) -> int:
        """One nudge per draft left untouched for `draft_nudge`."""
        if self.draft_nudge is None:
            return 0
        written = 0
        async with self.db.write() as session:
            for draft in await outreach.stale_drafts(session, self.clock() - self.draft_nudge):
                key = f"nudge:{draft.id}:{draft.updated_at:%Y%m%d%H%M%S}"
                if (
                    await self.messenger.queue(
                        session,
                        draft.user_id,
                        announcements.draft_nudge(),
                        kind="nudge",
                        dedupe=key,
                    )
                    is not None
                ):
                    written += 1
        if written:
            self.messenger.sender.wake()
        return written
