"""The append-only history of each idea: status changes, questions, answers, notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import History, Idea, utcnow


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


async def milestones(
    session: AsyncSession, decisions: Sequence[str]
) -> list[tuple[datetime, datetime | None, datetime | None, str]]:
    """Per idea: when it came, when staff first answered its applicant (a move or a
    question; not an internal note or an assignment), when it was decided, and its
    status now."""
    answered = and_(History.staff_user_id.is_not(None), History.visible_to_applicant.is_(True))
    first_staff = func.min(case((answered, History.created_at)))
    decided = func.min(case((History.to_status.in_(list(decisions)), History.created_at)))
    rows = await session.execute(
        select(Idea.created_at, first_staff, decided, Idea.status)
        .select_from(Idea)
        .outerjoin(History, History.idea_id == Idea.id)
        .group_by(Idea.id, Idea.created_at, Idea.status)
    )
    return [
        (_aware(c), _aware(f), _aware(d), str(s))  # type: ignore[misc]
        for c, f, d, s in rows.all()
    ]


async def statuses_reached(session: AsyncSession) -> list[tuple[int, str]]:
    """Every (idea, status) an idea has been in, its current one included."""
    moved = await session.execute(
        select(History.idea_id, History.to_status).where(History.to_status.is_not(None)).distinct()
    )
    now = await session.execute(select(Idea.id, Idea.status))
    return [(int(i), str(s)) for i, s in [*moved.all(), *now.all()]]


def _aware(moment: datetime | None) -> datetime | None:
    # Aggregates come back without the column's type: SQLite gives text, or a naive time.
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
