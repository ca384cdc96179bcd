"""Calls for proposals: open between two times, for some focus areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, utcnow


async def add_call(session: AsyncSession, **fields: Any) -> Call:
    row = Call(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_call(session: AsyncSession, call_id: int) -> Call | None:
    return await session.get(Call, call_id)


async def update_call(session: AsyncSession, call_id: int, **fields: Any) -> None:
    await session.execute(
        update(Call).where(Call.id == call_id).values(updated_at=utcnow(), **fields)
    )


async def open_calls(session: AsyncSession, now: datetime, area: str | None = None) -> list[Call]:
    rows = await session.scalars(
        select(Call)
        .where(Call.opens_at <= now, Call.closes_at > now)
        .order_by(Call.closes_at, Call.id)
    )
    calls = list(rows)
    return [c for c in calls if area in c.areas] if area else calls


async def recent_calls(session: AsyncSession, limit: int = 20) -> list[Call]:
    return list(await session.scalars(select(Call).order_by(Call.id.desc()).limit(limit)))


async def calls_created_since(session: AsyncSession, since: datetime, now: datetime) -> list[Call]:
    rows = await session.scalars(
        select(Call).where(Call.created_at >= since, Call.closes_at > now).order_by(Call.closes_at)
    )
    return list(rows)
