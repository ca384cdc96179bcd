"""Calls for proposals: open between two times, for some focus areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, utcnow

# The calls open now, kept for the rest of one transaction: the intake asks for them on
# nearly every step (is the call step offered? which calls for this area?), and one
# update's handling is one transaction. Changing a call forgets them.
_OPEN = "ideabot_open_calls"
# Built once, its moment passed when it runs (building it cost more than running it).
_OPEN_AT = (
    select(Call)
    .where(
        Call.opens_at <= bindparam("now", type_=Call.opens_at.type),
        Call.closes_at > bindparam("now", type_=Call.closes_at.type),
    )
    .order_by(Call.closes_at, Call.id)
)


async def add_call(session: AsyncSession, **fields: Any) -> Call:
    session.info.pop(_OPEN, None)
    row = Call(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_call(session: AsyncSession, call_id: int) -> Call | None:
    return await session.get(Call, call_id)


async def update_call(session: AsyncSession, call_id: int, **fields: Any) -> None:
    session.info.pop(_OPEN, None)
    await session.execute(
        update(Call).where(Call.id == call_id).values(updated_at=utcnow(), **fields)
    )


async def open_calls(session: AsyncSession, now: datetime, area: str | None = None) -> list[Call]:
    kept: tuple[datetime, list[Call]] | None = session.info.get(_OPEN)
    if kept is not None and abs((now - kept[0]).total_seconds()) < 1:
        calls = kept[1]
    else:
        calls = list(await session.scalars(_OPEN_AT, {"now": now}))
        session.info[_OPEN] = (now, calls)
    return [c for c in calls if area in c.areas] if area else calls


async def recent_calls(session: AsyncSession, limit: int = 20) -> list[Call]:
    return list(await session.scalars(select(Call).order_by(Call.id.desc()).limit(limit)))


async def calls_created_since(session: AsyncSession, since: datetime, now: datetime) -> list[Call]:
    rows = await session.scalars(
        select(Call).where(Call.created_at >= since, Call.closes_at > now).order_by(Call.closes_at)
    )
    return list(rows)
