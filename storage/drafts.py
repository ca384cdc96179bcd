"""Conversations under way: one draft per person and conversation (the intake, a staff
form, a prompt), with the step reached and the answers so far."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount, upsert
from storage.models import Draft, utcnow


async def get_draft(session: AsyncSession, user_id: int, flow: str = "intake") -> Draft | None:
    return await session.scalar(select(Draft).where(Draft.user_id == user_id, Draft.flow == flow))


async def save_draft(
    session: AsyncSession,
    user_id: int,
    step: str,
    answers: dict[str, Any],
    returning_to_review: bool,
    flow: str = "intake",
) -> int:
    """Write the draft (a new one, or over the person's draft of this conversation);
    returns its id."""
    now = utcnow()
    values = {
        "step": step,
        "answers": answers,
        "returning_to_review": returning_to_review,
        "updated_at": now,
    }
    statement = upsert(session, Draft).values(user_id=user_id, flow=flow, created_at=now, **values)
    statement = statement.on_conflict_do_update(index_elements=["user_id", "flow"], set_=values)
    result = await session.execute(statement.returning(Draft.id))
    return int(result.scalar_one())


async def delete_draft(
    session: AsyncSession, user_id: int, draft_id: int | None = None, flow: str = "intake"
) -> bool:
    statement = delete(Draft).where(Draft.user_id == user_id, Draft.flow == flow)
    if draft_id is not None:
        statement = statement.where(Draft.id == draft_id)
    return bool(rowcount(await session.execute(statement)))


async def prune_drafts(session: AsyncSession, untouched_since: datetime) -> int:
    result = await session.execute(delete(Draft).where(Draft.updated_at < untouched_since))
    return rowcount(result)


async def stale_drafts(session: AsyncSession, untouched_since: datetime) -> list[Draft]:
    """Intake drafts left untouched since then (for one nudge each)."""
    rows = await session.scalars(
        select(Draft).where(Draft.flow == "intake", Draft.updated_at < untouched_since)
    )
    return list(rows)
