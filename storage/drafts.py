"""Conversations under way: one draft per person and conversation (the intake, a staff
form, a prompt), with the step reached and the answers so far."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import built_once, rowcount
from storage.models import Draft, utcnow

# Asked for at every step: built once, its values passed when it runs.
_DRAFT = select(Draft).where(Draft.user_id == bindparam("user"), Draft.flow == bindparam("flow_"))


async def get_draft(session: AsyncSession, user_id: int, flow: str = "intake") -> Draft | None:
    return await session.scalar(_DRAFT, {"user": user_id, "flow_": flow})


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
    result = await session.execute(
        _saving(session),
        {
            "user": user_id,
            "flow_": flow,
            "step_": step,
            "answers_": answers,
            "returning": returning_to_review,
            "now": now,
        },
    )
    return int(result.scalar_one())


def _save(insert: Any) -> Any:
    table = Draft.__table__
    statement = insert(table).values(
        user_id=bindparam("user"),
        flow=bindparam("flow_"),
        step=bindparam("step_"),
        answers=bindparam("answers_", type_=table.c.answers.type),
        returning_to_review=bindparam("returning"),
        created_at=bindparam("now", type_=table.c.created_at.type),
        updated_at=bindparam("now", type_=table.c.updated_at.type),
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["user_id", "flow"],
        set_={
            "step": excluded.step,
            "answers": excluded.answers,
            "returning_to_review": excluded.returning_to_review,
            "updated_at": excluded.updated_at,
        },
    ).returning(table.c.id)


_saving = built_once(_save)


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
