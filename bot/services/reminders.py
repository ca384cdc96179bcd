"""Automatic messages the clock asks for: call deadline reminders, news of a call that
opened, the weekly digest, and one nudge for a forgotten draft. Each is an outbox row
with a dedupe key, so a job that runs twice (or in two processes) writes it once; those
for many people are written together, a thousand rows to a statement, as a broadcast's
are."""

from __future__ import annotations

import logging
from datetime import timedelta, tzinfo

from bot.core.clock import Clock, utcnow
from bot.core.notices import CallDeadline, CallOpened, Digest, DraftNudge, Kind, Notifier
from bot.core.platforms import Platform
from bot.core.views import Reader
from bot.core.vocabulary import CALLS, EVENTS
from bot.services.calls import call_info
from bot.services.events import event_info
from storage import Database, calls, drafts, events
from storage.audiences import Recipient, deadline_audience, topic_audience

log = logging.getLogger(__name__)
DIGEST_WINDOW = timedelta(days=7)


class AutomaticMessages:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        tz: tzinfo,
        *,
        call_offsets: tuple[timedelta, ...],
        draft_nudge: timedelta | None,
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
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
            for row in await calls.open_calls(session, now):
                call = call_info(row)
                for offset in self.call_offsets:
                    due = call.closes_at - offset
                    expires = min(call.closes_at, due + offset / 4)
                    if due > now or due < row.created_at or now >= expires:
                        continue  # not yet; before the call existed; or no longer true
                    readers = [_reader(r) for r in await deadline_audience(session, row)]
                    written += await self.notifier.notify_all(
                        readers,
                        CallDeadline(call, offset),
                        kind=Kind.DEADLINE,
                        due_at=due,
                        dedupe=f"deadline:{call.id}:{int(offset.total_seconds())}:",
                    )
        return written

    async def call_openings(self, grace: timedelta) -> int:
        """When a call opens, its news goes to those who follow calls (once each). It
        opens for them when it opens or when it is saved, whichever comes later: a call
        saved with an opening time already past is news too. One whose opening passed
        longer than `grace` ago while no clock ran is not announced late."""
        now, written = self.clock(), 0
        async with self.db.write() as session:
            for row in await calls.open_calls(session, now):
                if max(row.opens_at, row.created_at) < now - grace:
                    continue
                call = call_info(row)
                readers = [_reader(r) for r in await topic_audience(session, [CALLS])]
                written += await self.notifier.notify_all(
                    readers,
                    CallOpened(call),
                    kind=Kind.ANNOUNCE,
                    expires_at=call.closes_at,
                    dedupe=f"opened:{call.id}:",
                )
        return written

    async def weekly_digest(self) -> int:
        """New calls and events of the last week, to those subscribed to them; nothing
        is sent in a week with nothing new."""
        now, written = self.clock(), 0
        stamp = now.astimezone(self.tz).strftime("%Y%m%d")
        async with self.db.write() as session:
            new_calls = [
                call_info(c)
                for c in await calls.calls_created_since(session, now - DIGEST_WINDOW, now)
            ]
            new_events = [
                event_info(e)
                for e in await events.events_created_since(session, now - DIGEST_WINDOW, now)
            ]
            if not new_calls and not new_events:
                log.info("weekly digest: nothing new, skipped")
                return 0
            # Readers grouped by what they follow: one digest each, written together.
            groups: dict[frozenset[str], list[Reader]] = {}
            for person, topics in (await topic_audience(session, [CALLS, EVENTS])).items():
                groups.setdefault(frozenset(topics), []).append(_reader(person))
            for followed, readers in groups.items():
                mine_calls = new_calls if CALLS in followed else []
                mine_events = new_events if EVENTS in followed else []
                if mine_calls or mine_events:
                    written += await self.notifier.notify_all(
                        readers,
                        Digest(mine_calls, mine_events),
                        kind=Kind.DIGEST,
                        dedupe=f"digest:{stamp}:",
                    )
        log.info("weekly digest: %d written", written)
        return written

    async def draft_nudges(self) -> int:
        """One nudge per intake draft left untouched for `draft_nudge`."""
        if self.draft_nudge is None:
            return 0
        written = 0
        async with self.db.write() as session:
            for draft in await drafts.stale_drafts(session, self.clock() - self.draft_nudge):
                delivery = await self.notifier.notify(
                    draft.user_id,
                    DraftNudge(),
                    kind=Kind.NUDGE,
                    dedupe=f"nudge:{draft.id}:{draft.updated_at:%Y%m%d%H%M%S}",
                )
                written += delivery is not None
            if written:
                self.notifier.wake()
        return written


def _reader(recipient: Recipient) -> Reader:
    user_id, platform, chat_id, locale = recipient
    return Reader(user_id, Platform(platform), chat_id, locale)
