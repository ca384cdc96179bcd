"""Reviewers' scores: one row per idea, reviewer and criterion."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import upsert
from storage.models import Score, utcnow


async def put_score(
    session: AsyncSession,
    idea_id: int,
    platform: str,
    user_id: int,
    criterion: str,
    *,
    value: int | None = None,
    note: str | None = None,
) -> None:
    """Set the value or the note (whichever is given) of one criterion."""
    values = {"value": value} if value is not None else {"note": note}
    statement = upsert(session, Score).values(
        idea_id=idea_id,
        platform=platform,
        user_id=user_id,
        criterion=criterion,
        updated_at=utcnow(),
        **values,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["idea_id", "platform", "user_id", "criterion"],
            set_={**values, "updated_at": utcnow()},
        )
    )


async def scores_of(session: AsyncSession, idea_ids: Sequence[int]) -> list[Score]:
    if not idea_ids:
        return []
    return list(
        await session.scalars(
            select(Score).where(Score.idea_id.in_(list(idea_ids))).order_by(Score.updated_at)
        )
    )
