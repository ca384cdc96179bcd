"""Ideas and their files: submitting, finding, the reviewers' queue, counts, exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lean import Insert, Lean
from storage.models import Assignment, Attachment, Idea, utcnow

_IDEAS = cast(Table, Idea.__table__)
# Asked at the start and at the end of every intake.
_COUNT_SINCE = Lean(
    lambda _: select(func.count(_IDEAS.c.id)).where(
        _IDEAS.c.user_id == bindparam("user"),
        _IDEAS.c.created_at >= bindparam("since", type_=_IDEAS.c.created_at.type),
    )
)
_CODE = Lean(lambda _: select(_IDEAS.c.id).where(_IDEAS.c.code == bindparam("code_")))


async def count_ideas_since(session: AsyncSession, user_id: int, since: datetime) -> int:
    [(count,)] = await _COUNT_SINCE.rows(session, {"user": user_id, "since": since})
    return int(count or 0)


async def count_ideas(session: AsyncSession, user_id: int) -> int:
    return int(
        await session.scalar(select(func.count(Idea.id)).where(Idea.user_id == user_id)) or 0
    )


async def code_exists(session: AsyncSession, code: str) -> bool:
    return await _CODE.first(session, {"code_": code}) is not None


_ADD_IDEA = Insert(_IDEAS)
_ADD_ATTACHMENT = Insert(cast(Table, Attachment.__table__))


async def add_idea(
    session: AsyncSession, fields: dict[str, Any], attachments: list[dict[str, Any]]
) -> int:
    """A new idea and its files; the idea's id."""
    idea_id = await _ADD_IDEA.add(session, fields)
    for attachment in attachments:
        await _ADD_ATTACHMENT.add(session, {**attachment, "idea_id": idea_id})
    return idea_id


async def list_ideas(session: AsyncSession, user_id: int, limit: int = 50) -> list[Idea]:
    result = await session.scalars(
        select(Idea).where(Idea.user_id == user_id).order_by(Idea.created_at.desc()).limit(limit)
    )
    return list(result)


async def ideas_in_status(session: AsyncSession, user_id: int, status: str) -> list[Idea]:
    """A person's ideas in one status, oldest first."""
    result = await session.scalars(
        select(Idea).where(Idea.user_id == user_id, Idea.status == status).order_by(Idea.id)
    )
    return list(result)


async def get_idea(session: AsyncSession, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def get_idea_by_code(session: AsyncSession, code: str) -> Idea | None:
    return await session.scalar(select(Idea).where(Idea.code == code))


async def set_idea_status(
    session: AsyncSession, idea_id: int, status: str, duplicate_of: int | None = None
) -> None:
    """A staff member's move: the idea no longer waits for them."""
    await session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(
            status=status, duplicate_of=duplicate_of, awaiting_staff_at=None, updated_at=utcnow()
        )
    )


async def set_awaiting_staff(session: AsyncSession, idea_id: int, since: datetime | None) -> None:
    """The applicant answered or added something (since then), or staff took it up (None).
    The first moment is kept: the queue shows the longest waiting first."""
    value = func.coalesce(Idea.awaiting_staff_at, since) if since is not None else None
    await session.execute(update(Idea).where(Idea.id == idea_id).values(awaiting_staff_at=value))


async def ideas_since(session: AsyncSession, since: datetime) -> list[Idea]:
    return list(
        await session.scalars(select(Idea).where(Idea.created_at >= since).order_by(Idea.id))
    )


async def awaiting_staff(session: AsyncSession, limit: int = 50) -> list[Idea]:
    return list(
        await session.scalars(
            select(Idea)
            .where(Idea.awaiting_staff_at.is_not(None))
            .order_by(Idea.awaiting_staff_at)
            .limit(limit)
        )
    )


async def ideas_of_call(
    session: AsyncSession, call_id: int | None, statuses: Sequence[str]
) -> list[Idea]:
    """The ideas sent to a call (None: outside every call) in these statuses."""
    where = Idea.call_id.is_(None) if call_id is None else Idea.call_id == call_id
    return list(
        await session.scalars(
            select(Idea).where(where, Idea.status.in_(list(statuses))).order_by(Idea.id)
        )
    )


async def add_attachment(session: AsyncSession, **fields: Any) -> None:
    session.add(Attachment(**fields))
    await session.flush()


async def get_attachment(session: AsyncSession, attachment_id: int) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def list_attachments(session: AsyncSession, idea_id: int) -> list[Attachment]:
    result = await session.scalars(
        select(Attachment).where(Attachment.idea_id == idea_id).order_by(Attachment.id)
    )
    return list(result)


async def queue(
    session: AsyncSession,
    statuses: Sequence[str],
    area: str | None,
    platform: str | None,
    offset: int,
    limit: int,
    call_id: int | None = None,
    viewer: tuple[str, int] | None = None,
    mine_only: bool = False,
) -> tuple[list[Idea], int]:
    """Ideas for review, one page of them and how many in all: those assigned to the
    viewer first, then those waiting for staff since an applicant's reply (the longest
    waiting first), then the rest, oldest first."""
    conditions: list[ColumnElement[bool]] = [Idea.status.in_(list(statuses))]
    if call_id:
        conditions.append(Idea.call_id == call_id)
    if area:
        conditions.append(Idea.area == area)
    if platform:
        conditions.append(Idea.platform == platform)
    order: list[Any] = []
    if viewer is not None:
        theirs = exists().where(
            and_(
                Assignment.idea_id == Idea.id,
                Assignment.platform == viewer[0],
                Assignment.user_id == viewer[1],
            )
        )
        if mine_only:
            conditions.append(theirs)
        order.append(case((theirs, 0), else_=1))
    order += [
        case((Idea.awaiting_staff_at.is_(None), 1), else_=0),
        Idea.awaiting_staff_at,
        Idea.created_at,
        Idea.id,
    ]
    total = await session.scalar(select(func.count(Idea.id)).where(*conditions))
    rows = await session.scalars(
        select(Idea).where(*conditions).order_by(*order).offset(offset).limit(limit)
    )
    return list(rows), int(total or 0)


@dataclass(frozen=True, slots=True)
class Search:
    """What the console's queue asks for; None (or empty) means any."""

    statuses: Sequence[str] = ()
    area: str | None = None
    platform: str | None = None
    call_id: int | None = None
    assignee: tuple[str, int] | None = None
    since: datetime | None = None
    until: datetime | None = None
    words: str | None = None  # in the title (or the applicant's name, `with_names`)
    with_names: bool = True
    code: str | None = None
    phone_digits: str | None = None  # the last digits of a phone number
    sort: str = "waiting"  # waiting, newest, oldest, updated


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SORTS: dict[str, tuple[Any, ...]] = {
    "waiting": (
        case((Idea.awaiting_staff_at.is_(None), 1), else_=0),
        Idea.awaiting_staff_at,
        Idea.created_at,
    ),
    "newest": (Idea.created_at.desc(),),
    "oldest": (Idea.created_at,),
    "updated": (Idea.updated_at.desc(),),
}


async def search(
    session: AsyncSession, found: Search, offset: int, limit: int
) -> tuple[list[Idea], int]:
    """One page of the ideas that match, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if found.statuses:
        conditions.append(Idea.status.in_(list(found.statuses)))
    for column, value in (
        (Idea.area, found.area),
        (Idea.platform, found.platform),
        (Idea.call_id, found.call_id),
        (Idea.code, found.code),
    ):
        if value:
            conditions.append(column == value)
    if found.assignee is not None:
        conditions.append(
            exists().where(
                Assignment.idea_id == Idea.id,
                Assignment.platform == found.assignee[0],
                Assignment.user_id == found.assignee[1],
            )
        )
    if found.since is not None:
        conditions.append(Idea.created_at >= found.since)
    if found.until is not None:
        conditions.append(Idea.created_at < found.until)
    for word in (found.words or "").split()[:8]:  # every word, in any order
        pattern = _like(word)
        title = Idea.title.ilike(pattern, escape="\\")
        name = Idea.full_name.ilike(pattern, escape="\\")
        conditions.append(or_(title, name) if found.with_names else title)
    if found.phone_digits:
        conditions.append(Idea.phone.like(_like(found.phone_digits), escape="\\"))
    order = (*SORTS.get(found.sort, SORTS["waiting"]), Idea.id)
    total = await session.scalar(select(func.count(Idea.id)).where(*conditions))
    rows = await session.scalars(
        select(Idea).where(*conditions).order_by(*order).offset(offset).limit(limit)
    )
    return list(rows), int(total or 0)


COUNTED_BY = {
    "area": Idea.area,
    "persona": Idea.persona,
    "status": Idea.status,
    "platform": Idea.platform,
}


async def count_ideas_by(
    session: AsyncSession, field: str, since: datetime | None
) -> dict[str, int]:
    """How many ideas per value of `field` (area, persona, status, platform)."""
    column = COUNTED_BY[field]
    statement = select(column, func.count(Idea.id)).group_by(column)
    if since is not None:
        statement = statement.where(Idea.created_at >= since)
    return {str(key): int(count) for key, count in (await session.execute(statement)).all()}


async def recent_ideas(session: AsyncSession, limit: int) -> list[Idea]:
    return list(await session.scalars(select(Idea).order_by(Idea.id.desc()).limit(limit)))


async def ideas_for_export(
    session: AsyncSession,
    status: str | None,
    area: str | None,
    call_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> list[Idea]:
    conditions: list[ColumnElement[bool]] = []
    if status:
        conditions.append(Idea.status == status)
    if area:
        conditions.append(Idea.area == area)
    if call_id is not None:
        conditions.append(Idea.call_id == call_id)
    if since is not None:
        conditions.append(Idea.created_at >= since)
    if until is not None:
        conditions.append(Idea.created_at < until)
    return list(await session.scalars(select(Idea).where(*conditions).order_by(Idea.id)))
