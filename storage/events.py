"""Events (workshops, pitch days, open days) and who signed up for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import is_postgresql, rowcount, upsert
from storage.models import Event, Signup, utcnow


async def add_event(session: AsyncSession, **fields: Any) -> Event:
    row = Event(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_event(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event | None:
    statement = select(Event).where(Event.id == event_id)
    if lock and is_postgresql(session):
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def update_event(session: AsyncSession, event_id: int, **fields: Any) -> None:
    await session.execute(
        update(Event).where(Event.id == event_id).values(updated_at=utcnow(), **fields)
    )


async def upcoming_events(session: AsyncSession, now: datetime) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(Event.starts_at > now, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
    )
    return list(rows)


async def recent_events(session: AsyncSession, limit: int = 20) -> list[Event]:
    return list(await session.scalars(select(Event).order_by(Event.id.desc()).limit(limit)))


async def events_created_since(
    session: AsyncSession, since: datetime, now: datetime
) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(Event.created_at >= since, Event.starts_at > now, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at)
    )
    return list(rows)


async def count_signups(session: AsyncSession, event_id: int) -> int:
    total = await session.scalar(select(func.count()).where(Signup.event_id == event_id))
    return int(total or 0)


async def signed_up(session: AsyncSession, event_id: int, user_id: int) -> bool:
    return (await session.get(Signup, (event_id, user_id))) is not None


async def add_signup(session: AsyncSession, event_id: int, user_id: int) -> bool:
    result = await session.execute(
        upsert(session, Signup)
        .values(event_id=event_id, user_id=user_id, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    return bool(rowcount(result))


async def remove_signup(session: AsyncSession, event_id: int, user_id: int) -> bool:
    result = await session.execute(
        delete(Signup).where(Signup.event_id == event_id, Signup.user_id == user_id)
    )
    return bool(rowcount(result))


async def attendees(session: AsyncSession, event_id: int) -> list[int]:
    rows = await session.scalars(
        select(Signup.user_id).where(Signup.event_id == event_id).order_by(Signup.created_at)
    )
    return list(rows)


async def signups_of(session: AsyncSession, user_id: int) -> set[int]:
    return set(await session.scalars(select(Signup.event_id).where(Signup.user_id == user_id)))
