"""Events (workshops, pitch days, open days): sign-ups within capacity, reminders before
the start as outbox rows, and word to attendees when an event moves or is cancelled."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, utcnow
from bot.core.notices import (
    EventCancelled,
    EventMoved,
    EventNewPlace,
    EventReminder,
    Kind,
    Notifier,
)
from bot.core.views import EventInfo, Signup
from storage import Database, events, outbox
from storage.models import Event


def event_info(row: Event, taken: int = 0, mine: bool = False) -> EventInfo:
    return EventInfo(
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


def _reminder_key(event_id: int, user_id: int | None = None) -> str:
    return f"event:{event_id}:" + (f"{user_id}:" if user_id is not None else "")


class EventService:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        offsets: tuple[timedelta, ...],
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.offsets = offsets
        self.clock = clock

    async def _info(self, session: AsyncSession, row: Event, user_id: int | None) -> EventInfo:
        taken = await events.count_signups(session, row.id)
        mine = user_id is not None and await events.signed_up(session, row.id, user_id)
        return event_info(row, taken, mine)

    async def upcoming(self, user_id: int | None = None) -> list[EventInfo]:
        async with self.db.read() as session:
            rows = await events.upcoming_events(session, self.clock())
            return [await self._info(session, row, user_id) for row in rows]

    async def recent(self) -> list[EventInfo]:
        async with self.db.read() as session:
            rows = await events.recent_events(session)
            return [await self._info(session, row, None) for row in rows]

    async def get(self, event_id: int, user_id: int | None = None) -> EventInfo | None:
        async with self.db.read() as session:
            row = await events.get_event(session, event_id)
            return await self._info(session, row, user_id) if row else None

    # ----- reminders -----
    async def _remind(self, event: EventInfo, user_id: int) -> None:
        now = self.clock()
        for offset in self.offsets:
            due = event.starts_at - offset
            if due <= now:
                continue  # too late for this one (signed up within the hour, say)
            stamp = f"{int(offset.total_seconds())}:{event.starts_at:%Y%m%d%H%M}"
            await self.notifier.notify(
                user_id,
                EventReminder(event, offset),
                kind=Kind.REMINDER,
                due_at=due,
                # "Starts in one hour" is still true a quarter of the way late, not later.
                expires_at=min(event.starts_at, due + offset / 4),
                dedupe=_reminder_key(event.id, user_id) + stamp,
            )

    # ----- people -----
    async def signup(self, event_id: int, user_id: int) -> tuple[Signup, EventInfo | None]:
        async with self.db.write() as session:  # one writer at a time: capacity holds
            row = await events.get_event(session, event_id, lock=True)
            if row is None:
                return Signup.CLOSED, None
            event = await self._info(session, row, user_id)
            if event.cancelled or event.starts_at <= self.clock():
                return Signup.CLOSED, event
            if event.mine:
                return Signup.ALREADY, event
            if event.full:
                return Signup.FULL, event
            await events.add_signup(session, event_id, user_id)
            await self._remind(event, user_id)
            return Signup.DONE, replace(event, taken=event.taken + 1, mine=True)

    async def withdraw(self, event_id: int, user_id: int) -> EventInfo | None:
        async with self.db.write() as session:
            removed = await events.remove_signup(session, event_id, user_id)
            if removed:
                await outbox.cancel_pending(session, _reminder_key(event_id, user_id))
            row = await events.get_event(session, event_id)
            return await self._info(session, row, user_id) if row else None

    # ----- staff -----
    async def save(self, event_id: int | None, fields: dict[str, object]) -> EventInfo:
        """Create, or edit; a new start time re-plans reminders and tells the attendees."""
        async with self.db.write() as session:
            if event_id is None:
                now = self.clock()
                row = await events.add_event(session, created_at=now, updated_at=now, **fields)
                return event_info(row)
            before = await events.get_event(session, event_id)
            assert before is not None
            old = event_info(before)
            await events.update_event(session, event_id, **fields)
            after = await events.get_event(session, event_id)
            assert after is not None
            await session.refresh(after)
            event = await self._info(session, after, None)
            moved, new_place = event.starts_at != old.starts_at, event.place != old.place
            if (moved or new_place or event.title != old.title) and not event.cancelled:
                # The reminders say when and where: they are written again.
                await outbox.cancel_pending(session, _reminder_key(event_id))
                for user_id in await events.attendees(session, event_id):
                    if moved:
                        await self.notifier.notify(
                            user_id, EventMoved(event, old.starts_at), kind=Kind.CHANGE
                        )
                    elif new_place:
                        await self.notifier.notify(user_id, EventNewPlace(event), kind=Kind.CHANGE)
                    await self._remind(event, user_id)
        return event

    async def cancel(self, event_id: int) -> EventInfo | None:
        async with self.db.write() as session:
            row = await events.get_event(session, event_id)
            if row is None or row.cancelled_at is not None:
                return None
            await events.update_event(session, event_id, cancelled_at=self.clock())
            await outbox.cancel_pending(session, _reminder_key(event_id))
            event = replace(await self._info(session, row, None), cancelled=True)
            for user_id in await events.attendees(session, event_id):
                await self.notifier.notify(user_id, EventCancelled(event), kind=Kind.CHANGE)
        return event
