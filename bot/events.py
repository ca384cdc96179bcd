"""Events (workshops, pitch days, open days): sign-ups within capacity, reminders
before the start as outbox rows, and word to attendees when an event moves or is
cancelled."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot import announcements
from bot.delivery import Clock
from bot.messenger import Messenger
from storage import Database, outreach
from storage.models import Event, utcnow


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    capacity: int | None
    cancelled: bool
    taken: int = 0
    mine: bool = False

    @classmethod
    def of(cls, row: Event, taken: int = 0, mine: bool = False) -> EventInfo:
        return cls(
            row.id,
            row.title,
            row.description,
            row.place,
            row.starts_at,
            row.capacity,
            row.cancelled_at is not None,
            taken,
            mine,
        )

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


class Signup(StrEnum):
    DONE = "done"
    ALREADY = "already"
    FULL = "full"
    CLOSED = "closed"  # cancelled, started, or gone


def _reminder_key(event_id: int, user_id: int | None = None) -> str:
    return f"event:{event_id}:" + (f"{user_id}:" if user_id is not None else "")


class EventService:
    def __init__(
        self,
        db: Database,
        messenger: Messenger,
        offsets: tuple[timedelta, ...],
        tz: tzinfo,
        clock: Clock = utcnow,
    ) -> None:
        self.tz = tz
        self.db = db
        self.messenger = messenger
        self.offsets = offsets
        self.clock = clock

    async def _info(self, session: AsyncSession, row: Event, user_id: int | None) -> EventInfo:
        taken = await outreach.count_signups(session, row.id)
        mine = user_id is not None and await outreach.signed_up(session, row.id, user_id)
        return EventInfo.of(row, taken, mine)

    async def upcoming(self, user_id: int | None = None) -> list[EventInfo]:
        async with self.db.read() as session:
            rows = await outreach.upcoming_meetups(session, self.clock())
            return [await self._info(session, row, user_id) for row in rows]

    async def recent(self) -> list[EventInfo]:
        async with self.db.read() as session:
            rows = await outreach.recent_meetups(session)
            return [await self._info(session, row, None) for row in rows]

    async def get(self, event_id: int, user_id: int | None = None) -> EventInfo | None:
        async with self.db.read() as session:
            row = await outreach.get_meetup(session, event_id)
            return await self._info(session, row, user_id) if row else None

    # ----- reminders -----
    async def _remind(self, session: AsyncSession, event: EventInfo, user_id: int) -> None:
        now = self.clock()
        for offset in self.offsets:
            due = event.starts_at - offset
            if due <= now:
                continue  # too late for this one (signed up within the hour, say)
            stamp = f"{int(offset.total_seconds())}:{event.starts_at:%Y%m%d%H%M}"
            await self.messenger.queue(
                session,
                user_id,
                announcements.event_reminder(event, offset, self.tz),
                kind="reminder",
                due_at=due,
                # "Starts in one hour" is still true a quarter of the way late, not later.
                expires_at=min(event.starts_at, due + offset / 4),
                dedupe=_reminder_key(event.id, user_id) + stamp,
            )

    # ----- people -----
    async def signup(self, event_id: int, user_id: int) -> tuple[Signup, EventInfo | None]:
        async with self.db.write() as session:  # one writer at a time: capacity holds
            row = await outreach.get_meetup(session, event_id, lock=True)
            if row is None:
                return Signup.CLOSED, None
            event = await self._info(session, row, user_id)
            if event.cancelled or event.starts_at <= self.clock():
                return Signup.CLOSED, event
            if event.mine:
                return Signup.ALREADY, event
            if event.full:
                return Signup.FULL, event
            await outreach.add_signup(session, event_id, user_id)
            await self._remind(session, event, user_id)
            return Signup.DONE, replace(event, taken=event.taken + 1, mine=True)

    async def withdraw(self, event_id: int, user_id: int) -> EventInfo | None:
        async with self.db.write() as session:
            removed = await outreach.remove_signup(session, event_id, user_id)
            if removed:
                await outreach.cancel_pending(session, _reminder_key(event_id, user_id))
            row = await outreach.get_meetup(session, event_id)
            return await self._info(session, row, user_id) if row else None

    # ----- staff -----
    async def save(self, event_id: int | None, fields: dict[str, object]) -> EventInfo:
        """Create, or edit; a new start time re-plans reminders and tells the attendees."""
        async with self.db.write() as session:
            if event_id is None:
                now = self.clock()
                row = await outreach.add_meetup(session, created_at=now, updated_at=now, **fields)
                return EventInfo.of(row)
            before = await outreach.get_meetup(session, event_id)
            assert before is not None
            old = EventInfo.of(before)
            await outreach.update_meetup(session, event_id, **fields)
            after = await outreach.get_meetup(session, event_id)
            assert after is not None
            event = await self._info(session, after, None)
            moved, new_place = event.starts_at != old.starts_at, event.place != old.place
            if (moved or new_place or event.title != old.title) and not event.cancelled:
                # The reminders say when and where: they are written again.
                await outreach.cancel_pending(session, _reminder_key(event_id))
                for user_id in await outreach.attendees(session, event_id):
                    if moved:
                        notice = announcements.event_moved(event, old.starts_at, self.tz)
                        await self.messenger.queue(session, user_id, notice)
                    elif new_place:
                        notice = announcements.event_new_place(event, self.tz)
                        await self.messenger.queue(session, user_id, notice)
                    await self._remind(session, event, user_id)
        self.messenger.sender.wake()
        return event

    async def cancel(self, event_id: int) -> EventInfo | None:
        async with self.db.write() as session:
            row = await outreach.get_meetup(session, event_id)
            if row is None or row.cancelled_at is not None:
                return None
            await outreach.update_meetup(session, event_id, cancelled_at=self.clock())
            await outreach.cancel_pending(session, _reminder_key(event_id))
            event = replace(await self._info(session, row, None), cancelled=True)
            for user_id in await outreach.attendees(session, event_id):
                await self.messenger.queue(
                    session, user_id, announcements.event_cancelled(event, self.tz)
                )
        self.messenger.sender.wake()
        return event
