"""Which reviewers an idea is assigned to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount, upsert
from storage.lean import Lean
from storage.models import Assignment, utcnow

_TABLE = cast(Table, Assignment.__table__)
# Read for every alert (each new idea makes one) and every card.
_ASSIGNEES = Lean(
    lambda _: (
        select(_TABLE.c.platform, _TABLE.c.user_id)
        .where(_TABLE.c.idea_id == bindparam("idea"))
        .order_by(_TABLE.c.created_at)
    )
)


async def assignees(session: AsyncSession, idea_id: int) -> list[tuple[str, int]]:
    return [(str(p), int(u)) for p, u in await _ASSIGNEES.rows(session, {"idea": idea_id})]


async def assign(session: AsyncSession, idea_id: int, platform: str, user_id: int) -> bool:
    """False if they already had it."""
    statement = upsert(session, Assignment).values(
        idea_id=idea_id, platform=platform, user_id=user_id, created_at=utcnow()
    )
    result = await session.execute(statement.on_conflict_do_nothing())
    return bool(rowcount(result))


async def unassign(session: AsyncSession, idea_id: int, platform: str, user_id: int) -> bool:
    result = await session.execute(
        delete(Assignment).where(
            Assignment.idea_id == idea_id,
            Assignment.platform == platform,
            Assignment.user_id == user_id,
        )
    )
    return bool(rowcount(result))


async def assigned_ideas(session: AsyncSession, platform: str, user_id: int) -> set[int]:
    rows = await session.scalars(
        select(Assignment.idea_id).where(
            Assignment.platform == platform, Assignment.user_id == user_id
        )
    )
    return set(rows)


async def held_counts(
    session: AsyncSession, members: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    """How many ideas each of `members` holds, for the round robin."""
    if not members:
        return {}
    rows = await session.execute(
        select(Assignment.platform, Assignment.user_id, func.count()).group_by(
            Assignment.platform, Assignment.user_id
        )
    )
    counts = {(str(p), int(u)): int(n) for p, u, n in rows.all()}
    return {m: counts.get(m, 0) for m in members}


async def assignees_of(
    session: AsyncSession, idea_ids: Sequence[int]
) -> dict[int, list[tuple[str, int]]]:
    """Who holds each of `idea_ids` (a page of the console's queue), in one query."""
    found: dict[int, list[tuple[str, int]]] = {i: [] for i in idea_ids}
    if not idea_ids:
        return found
    rows = await session.execute(
        select(Assignment.idea_id, Assignment.platform, Assignment.user_id)
        .where(Assignment.idea_id.in_(list(idea_ids)))
        .order_by(Assignment.created_at)
    )
    for idea_id, platform, user_id in rows.all():
        found[int(idea_id)].append((str(platform), int(user_id)))
    return found
