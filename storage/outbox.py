"""The outbox: every message that must reach someone later, one row per recipient,
and the queue the one sender drains.

A row goes pending -> claimed -> sending -> sent | failed | blocked | unknown. A claimed
row was not tried yet: after a crash it is pending again. A row left `sending` by a
process that died may or may not have arrived: it becomes unknown and is never sent
again. Reminders that fell due while down become `missed`; `cancelled` ones are never
sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import is_postgresql, rowcount, upsert
from storage.lean import Insert, Lean
from storage.models import Outbox, User, utcnow


def _row(fields: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {"status": "pending", "attempts": 0, "created_at": now, "due_at": now, **fields}


_ADD = Insert(cast(Table, Outbox.__table__))


async def add_outbox(session: AsyncSession, **fields: Any) -> int:
    return await _ADD.add(session, _row(fields))


async def add_once(session: AsyncSession, **fields: Any) -> int | None:
    """A row with a `dedupe` key, written only if no row has that key yet; its id."""
    statement = (
        upsert(session, Outbox)
        .values(**_row(fields))
        .on_conflict_do_nothing(index_elements=["dedupe"])
        .returning(Outbox.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


# Rows written by one statement: well under SQLite's and asyncpg's limits on a
# statement's parameters (about 32,000), with 12 columns a row.
ROWS_AT_ONCE = 1000


async def add_all_once(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Many rows, each with its own `dedupe` key, written a thousand to a statement;
    those whose key exists are passed over. How many were written."""
    written = 0
    for start in range(0, len(rows), ROWS_AT_ONCE):
        statement = (
            upsert(session, Outbox)
            .values([_row(fields) for fields in rows[start : start + ROWS_AT_ONCE]])
            .on_conflict_do_nothing(index_elements=["dedupe"])
            .returning(Outbox.id)
        )
        written += len((await session.execute(statement)).all())
    return written


def _due(row: Outbox | _Due, locale: str | None, attempts: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "user_id": row.user_id,
        "platform": row.platform,
        "chat_id": row.chat_id,
        "text": row.text,
        "reply_markup": row.reply_markup,
        "kind": row.kind,
        "broadcast_id": row.broadcast_id,
        "locale": locale,
        "attempts": attempts,
    }


_BULK_LAST = case((Outbox.kind == "notice", 0), else_=1)


async def claim_due(
    session: AsyncSession, platform: str, now: datetime, limit: int
) -> list[dict[str, Any]]:
    """Take up to `limit` due rows of one platform and mark them `claimed`; each as the
    sender needs it (with the reader's locale, and the attempt this will be)."""

    def due(*more: ColumnElement[bool]) -> Any:
        query = (
            select(Outbox.id)
            .where(
                Outbox.status == "pending",
                Outbox.platform == platform,
                Outbox.due_at <= now,
                or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
                or_(Outbox.expires_at.is_(None), Outbox.expires_at > now),
                *more,
            )
            .order_by(Outbox.due_at, Outbox.id)
        )
        return query.with_for_update(skip_locked=True) if is_postgresql(session) else query

    # A person's notices (a receipt, an answer, an alert) before the bulk: a broadcast
    # of thousands must not keep someone waiting for their receipt. Two queries, each
    # read in an index's order: one sorted by kind first sorted every due row (a claim
    # took 28 ms of the loop with a broadcast's 100,000 waiting; 10 ms now).
    ids = list(await session.scalars(due(Outbox.kind == "notice").limit(limit)))
    if len(ids) < limit:
        ids += await session.scalars(due(Outbox.kind != "notice").limit(limit - len(ids)))
    if not ids:
        return []
    await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(ids))
        .values(status="claimed", next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        select(Outbox, User.locale)
        .outerjoin(User, User.id == Outbox.user_id)
        .where(Outbox.id.in_(ids))
        .order_by(_BULK_LAST, Outbox.due_at, Outbox.id)
    )
    return [_due(row, locale, row.attempts + 1) for row, locale in rows]


async def mark_sending(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    """Rows about to be sent; returns those still claimed (a sweep may have given a row
    back to `pending`, and another sender may hold it now: it is not sent from here)."""
    if not ids:
        return set()
    result = await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(list(ids)), Outbox.status == "claimed")
        .values(status="sending", attempts=Outbox.attempts + 1)
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


_OUTBOX = cast(Table, Outbox.__table__)
_USERS = cast(Table, User.__table__)
# A notice is claimed as soon as it is written (a receipt, an answer, an alert).
_CLAIM_ONE = Lean(
    lambda _: (
        update(_OUTBOX)
        .where(_OUTBOX.c.id == bindparam("id_"), _OUTBOX.c.status == "pending")
        .values(
            status="claimed",
            next_attempt_at=bindparam("now", type_=_OUTBOX.c.next_attempt_at.type),
        )
    )
)


class _Due(NamedTuple):
    """What the sender needs of a row."""

    id: int
    user_id: int | None
    platform: str
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    kind: str
    broadcast_id: int | None
    attempts: int


_DUE_ONE = Lean(
    lambda _: (
        select(*(_OUTBOX.c[name] for name in _Due._fields), _USERS.c.locale)
        .select_from(_OUTBOX.outerjoin(_USERS, _USERS.c.id == _OUTBOX.c.user_id))
        .where(_OUTBOX.c.id == bindparam("id_"))
    )
)


async def claim_one(session: AsyncSession, row_id: int, now: datetime) -> dict[str, Any] | None:
    """Claim one pending row (a notice sent as soon as it is written)."""
    if not await _CLAIM_ONE.count(session, {"id_": row_id, "now": now}):
        return None
    row = await _DUE_ONE.first(session, {"id_": row_id})
    assert row is not None, "claimed in this transaction"
    *fields, locale = row
    due = _Due(*fields)
    return _due(due, locale, due.attempts + 1)


async def retry(
    session: AsyncSession,
    row_id: int,
    *,
    at: datetime | None,
    error: str | None,
) -> None:
    """Pending again, to be tried at `at` (an attempt is counted only as a request
    starts, so a row given back untried keeps its count)."""
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status="pending", next_attempt_at=at, last_error=error)
    )


async def finish(
    session: AsyncSession,
    by_status: Mapping[str, Sequence[int]],
    errors: Mapping[int, str],
    now: datetime,
) -> None:
    """Rows that are done: sent, failed, blocked or unknown, with their errors."""
    for status, ids in by_status.items():
        values: dict[str, Any] = {"status": status}
        if status == "sent":
            values["sent_at"] = now
        await session.execute(
            update(Outbox)
            .where(Outbox.id.in_(list(ids)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    for row_id, error in errors.items():
        await session.execute(
            update(Outbox)
            .where(Outbox.id == row_id)
            .values(last_error=error[:255])
            .execution_options(synchronize_session=False)
        )


async def expire_sending(session: AsyncSession, claimed_before: datetime) -> int:
    """Rows still `sending` long after they were claimed belong to a process that died
    mid-send: whether they reached the person is unknown, so they are not sent again.
    Rows it had only claimed were never tried: they go back to `pending`."""
    await session.execute(
        update(Outbox)
        .where(Outbox.status == "claimed", Outbox.next_attempt_at < claimed_before)
        .values(status="pending", next_attempt_at=None)
    )
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == "sending", Outbox.next_attempt_at < claimed_before)
        .values(status="unknown", last_error="the sending process stopped mid-send")
    )
    return rowcount(result)


async def miss_overdue(
    session: AsyncSession, timely_kinds: Sequence[str], due_before: datetime, now: datetime
) -> int:
    """Reminders that fell due too long ago (the process was down), or whose moment has
    passed (`expires_at`), are recorded as missed."""
    result = await session.execute(
        update(Outbox)
        .where(
            Outbox.status == "pending",
            or_(
                and_(Outbox.kind.in_(list(timely_kinds)), Outbox.due_at < due_before),
                Outbox.expires_at <= now,
            ),
        )
        .values(status="missed")
    )
    return rowcount(result)


async def cancel_pending(session: AsyncSession, dedupe_prefix: str) -> int:
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == "pending", Outbox.dedupe.startswith(dedupe_prefix, autoescape=True))
        .values(status="cancelled", dedupe=None)  # the key is free for a new row
    )
    return rowcount(result)


async def pending_count(session: AsyncSession, platform: str | None = None) -> int:
    conditions: list[ColumnElement[bool]] = [Outbox.status.in_(["pending", "claimed", "sending"])]
    if platform:
        conditions.append(Outbox.platform == platform)
    return int(await session.scalar(select(func.count()).where(and_(*conditions))) or 0)
