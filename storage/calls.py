"""Calls for proposals: open between two times, for some focus areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lean import Lean
from storage.models import Call, utcnow

# The calls open now, kept for the rest of one transaction: the intake asks for them on
# nearly every step (is the call step offered? which calls for this area?), and one
# update's handling is one transaction. Changing a call forgets them.
_OPEN = "ideabot_open_calls"


class CallRow(NamedTuple):
    """A call as it is read (not an object the session tracks)."""

    id: int
    title: str
    description: str
    areas: list[str]
    opens_at: datetime
    closes_at: datetime
    guidance: str | None
    rubric: list[dict[str, Any]] | None
    created_at: datetime
    updated_at: datetime


_TABLE = cast(Table, Call.__table__)
assert CallRow._fields == tuple(_TABLE.c.keys()), "CallRow follows the calls table"

_OPEN_AT = Lean(
    lambda _: (
        select(_TABLE)
        .where(
            _TABLE.c.opens_at <= bindparam("now", type_=_TABLE.c.opens_at.type),
            _TABLE.c.closes_at > bindparam("now", type_=_TABLE.c.closes_at.type),
        )
        .order_by(_TABLE.c.closes_at, _TABLE.c.id)
    )
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


async def open_calls(
    session: AsyncSession, now: datetime, area: str | None = None
) -> list[CallRow]:
    kept: tuple[datetime, list[CallRow]] | None = session.info.get(_OPEN)
    if kept is not None and abs((now - kept[0]).total_seconds()) < 1:
        calls = kept[1]
    else:
        calls = [CallRow(*row) for row in await _OPEN_AT.rows(session, {"now": now})]
        session.info[_OPEN] = (now, calls)
    return [c for c in calls if area in c.areas] if area else calls


async def recent_calls(session: AsyncSession, limit: int = 20) -> list[Call]:
    return list(await session.scalars(select(Call).order_by(Call.id.desc()).limit(limit)))


async def calls_created_since(session: AsyncSession, since: datetime, now: datetime) -> list[Call]:
    rows = await session.scalars(
        select(Call).where(Call.created_at >= since, Call.closes_at > now).order_by(Call.closes_at)
    )
    return list(rows)
