"""Broadcasts: an announcement, its audience and when it is due; when it starts, its
recipients become outbox rows, one per person, in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audiences import audience_query
from storage.dialect import rowcount
from storage.models import Broadcast, Outbox, UTCDateTime, utcnow


async def add_broadcast(session: AsyncSession, **fields: Any) -> Broadcast:
    row = Broadcast(**{"created_at": utcnow(), "total": 0, "media_ids": {}, **fields})
    session.add(row)
    await session.flush()
    return row


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def update_broadcast(session: AsyncSession, broadcast_id: int, **fields: Any) -> None:
    await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(**fields))


async def broadcasts_in(session: AsyncSession, statuses: Sequence[str]) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.status.in_(list(statuses))).order_by(Broadcast.due_at)
    )
    return list(rows)


async def due_broadcasts(session: AsyncSession, now: datetime) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast)
        .where(Broadcast.status == "scheduled", Broadcast.due_at <= now)
        .order_by(Broadcast.due_at, Broadcast.id)
    )
    return list(rows)


async def cancel_broadcast(session: AsyncSession, broadcast_id: int) -> bool:
    """Cancel a broadcast that has not started; False if it already has (or is gone)."""
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "scheduled")
        .values(status="cancelled", finished_at=utcnow())
    )
    return bool(rowcount(result))


async def expand_broadcast(
    session: AsyncSession,
    broadcast: Broadcast,
    now: datetime,
    platforms: Sequence[str] | None = None,
) -> int | None:
    """Start a scheduled broadcast: one outbox row per recipient, written in one
    statement. None if it was no longer scheduled (cancelled, or started by another
    process): the status moves first, so only one caller ever expands it."""
    started = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status == "scheduled")
        .values(status="sending", started_at=now)
    )
    if not rowcount(started):
        return None
    audience = broadcast.audience
    recipients = audience_query(audience["kind"], audience.get("value"), platforms).subquery()
    constants = {
        "text": literal("", Text()),
        "status": literal("pending", String()),
        "kind": literal("broadcast", String()),
        "broadcast_id": literal(broadcast.id, Integer()),
        "attempts": literal(0, Integer()),
        "due_at": literal(now, UTCDateTime()),
        "created_at": literal(now, UTCDateTime()),
    }
    source = select(
        recipients.c.id, recipients.c.platform, recipients.c.chat_id, *constants.values()
    )
    await session.execute(
        insert(Outbox).from_select(
            ["user_id", "platform", "chat_id", *constants], source, include_defaults=False
        )
    )
    total = await session.scalar(select(func.count()).where(Outbox.broadcast_id == broadcast.id))
    await update_broadcast(session, broadcast.id, total=int(total or 0))
    return int(total or 0)


async def delivery_counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Outbox.status, func.count())
        .where(Outbox.broadcast_id == broadcast_id)
        .group_by(Outbox.status)
    )
    return {status: int(count) for status, count in rows}


async def recent_broadcasts(session: AsyncSession, limit: int = 30) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).order_by(Broadcast.due_at.desc(), Broadcast.id.desc()).limit(limit)
    )
    return list(rows)
