"""The append-only history of each idea: status changes, questions, answers, notes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import History, utcnow


async def add_entry(session: AsyncSession, **fields: Any) -> History:
    entry = History(**{"created_at": utcnow(), **fields})
    session.add(entry)
    await session.flush()
    return entry


async def get_entry(session: AsyncSession, entry_id: int) -> History | None:
    return await session.get(History, entry_id)


async def list_entries(
    session: AsyncSession, idea_id: int, *, applicant_view: bool = False
) -> list[History]:
    statement = select(History).where(History.idea_id == idea_id)
    if applicant_view:
        statement = statement.where(History.visible_to_applicant.is_(True))
    return list(await session.scalars(statement.order_by(History.id)))


async def last_status_entry(session: AsyncSession, idea_id: int, to_status: str) -> History | None:
    return await session.scalar(
        select(History)
        .where(History.idea_id == idea_id, History.to_status == to_status)
        .order_by(History.id.desc())
        .limit(1)
    )


async def latest_move(session: AsyncSession, idea_id: int) -> History | None:
    """The idea's latest change of status (a move, a question, an answer's return, an undo)."""
    return await session.scalar(
        select(History)
        .where(History.idea_id == idea_id, History.to_status.is_not(None))
        .order_by(History.id.desc())
        .limit(1)
    )
