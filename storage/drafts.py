"""Conversations under way: one draft per person and conversation (the intake, a staff
form, a prompt), with the step reached and the answers so far."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount
from storage.lean import Lean
from storage.models import Draft, utcnow


class DraftRow(NamedTuple):
    """A draft as it is read (not an object the session tracks)."""

    id: int
    user_id: int
    flow: str
    step: str
    answers: dict[str, Any]
    returning_to_review: bool
    created_at: datetime
    updated_at: datetime


_TABLE = cast(Table, Draft.__table__)
assert DraftRow._fields == tuple(_TABLE.c.keys()), "DraftRow follows the drafts table"

# Asked for at every step.
_DRAFT = Lean(
    lambda _: select(_TABLE).where(
        _TABLE.c.user_id == bindparam("user"), _TABLE.c.flow == bindparam("flow_")
    )
)


async def get_draft(session: AsyncSession, user_id: int, flow: str = "intake") -> DraftRow | None:
    row = await _DRAFT.first(session, {"user": user_id, "flow_": flow})
    return DraftRow(*row) if row is not None else None


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
    [(draft_id,)] = await _SAVE.rows(
        session,
        {
            "user": user_id,
            "flow_": flow,
            "step_": step,
            "answers_": answers,
            "returning": returning_to_review,
            "now": now,
        },
    )
    return int(draft_id)


def _save(insert: Any) -> Any:
    table = _TABLE
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


_SAVE = Lean(_save)


_DELETE = Lean(
    lambda _: delete(_TABLE).where(
        _TABLE.c.user_id == bindparam("user"), _TABLE.c.flow == bindparam("flow_")
    )
)
_DELETE_ONE = Lean(
    lambda _: delete(_TABLE).where(
        _TABLE.c.user_id == bindparam("user"),
        _TABLE.c.flow == bindparam("flow_"),
        _TABLE.c.id == bindparam("id_"),
    )
)


async def delete_draft(
    session: AsyncSession, user_id: int, draft_id: int | None = None, flow: str = "intake"
) -> bool:
    """Delete the person's draft of `flow` (only if it is still `draft_id`, when given)."""
    which = {"user": user_id, "flow_": flow}
    if draft_id is None:
        return bool(await _DELETE.count(session, which))
    return bool(await _DELETE_ONE.count(session, which | {"id_": draft_id}))


async def prune_drafts(session: AsyncSession, untouched_since: datetime) -> int:
    result = await session.execute(delete(Draft).where(Draft.updated_at < untouched_since))
    return rowcount(result)


async def stale_drafts(session: AsyncSession, untouched_since: datetime) -> list[Draft]:
    """Intake drafts left untouched since then (for one nudge each)."""
    rows = await session.scalars(
        select(Draft).where(Draft.flow == "intake", Draft.updated_at < untouched_since)
    )
    return list(rows)
