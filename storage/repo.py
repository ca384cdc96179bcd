"""Repositories: the only place that speaks SQL. Each function takes an open session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attachment,
    Draft,
    FsmRecord,
    Idea,
    IdeaEvent,
    Outbox,
    ProcessedUpdate,
    Signup,
    StaffMember,
    Subscription,
    User,
    utcnow,
)


def _insert(session: AsyncSession, table: Any) -> Any:
    """INSERT with ON CONFLICT support for the session's dialect."""
    bind = session.get_bind()
    module = postgresql if bind.dialect.name == "postgresql" else sqlite
    return module.insert(table)


@dataclass(frozen=True, slots=True)
class Profile:
    """What a platform tells us about a person in each update."""

    platform: str
    platform_user_id: int
    chat_id: int | None
    first_name: str
    last_name: str | None
    username: str | None


async def claim_update(session: AsyncSession, platform: str, bot_id: int, update_id: int) -> bool:
    """Record an update id; False if it was already recorded (a redelivery)."""
    statement = (
        _insert(session, ProcessedUpdate)
        .values(platform=platform, bot_id=bot_id, update_id=update_id, processed_at=utcnow())
        .on_conflict_do_nothing()
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def prune_updates(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def get_user(session: AsyncSession, platform: str, platform_user_id: int) -> User | None:
    return await session.scalar(
        select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
    )


async def upsert_user(session: AsyncSession, profile: Profile) -> tuple[User, bool]:
    """Create the user on first sight (True) or refresh chat and names when they change."""
    user = await get_user(session, profile.platform, profile.platform_user_id)
    if user is None:
        now = utcnow()
        await session.execute(
            _insert(session, User)
            .values(
                platform=profile.platform,
                platform_user_id=profile.platform_user_id,
                chat_id=profile.chat_id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        )
        user = await get_user(session, profile.platform, profile.platform_user_id)
        assert user is not None
        return user, True
    fresh: dict[str, Any] = {
        "chat_id": profile.chat_id if profile.chat_id is not None else user.chat_id,
    }
    if not user.erased:  # after an erasure, the messenger's names are not kept again
        fresh |= {
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "username": profile.username,
        }
    if any(getattr(user, name) != value for name, value in fresh.items()):
        for name, value in fresh.items():
            setattr(user, name, value)
        await session.flush()
    return user, False


async def set_user_locale(session: AsyncSession, user_id: int, locale: str | None) -> None:
    await session.execute(
        update(User).where(User.id == user_id).values(locale=locale, updated_at=utcnow())
    )


async def fsm_get(session: AsyncSession, key: str) -> FsmRecord | None:
    return await session.get(FsmRecord, key)


async def fsm_put(session: AsyncSession, key: str, **fields: Any) -> None:
    """Upsert the given fields (state and/or data) of one FSM record."""
    values = {"key": key, "state": None, "data": {}, "updated_at": utcnow(), **fields}
    statement = _insert(session, FsmRecord).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={**fields, "updated_at": values["updated_at"]}
    )
    await session.execute(statement)


async def get_user_by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def set_user_contact(
    session: AsyncSession, user_id: int, full_name: str | None, phone: str | None
) -> None:
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(full_name=full_name, phone=phone, updated_at=utcnow())
    )


# ----- drafts -----
async def get_draft(session: AsyncSession, user_id: int) -> Draft | None:
    return await session.scalar(select(Draft).where(Draft.user_id == user_id))


async def save_draft(
    session: AsyncSession,
    user_id: int,
    step: str,
    answers: dict[str, Any],
    returning_to_review: bool,
) -> None:
    now = utcnow()
    values = {
        "step": step,
        "answers": answers,
        "returning_to_review": returning_to_review,
        "updated_at": now,
    }
    statement = _insert(session, Draft).values(user_id=user_id, created_at=now, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


async def delete_draft(session: AsyncSession, user_id: int, draft_id: int | None = None) -> bool:
    statement = delete(Draft).where(Draft.user_id == user_id)
    if draft_id is not None:
        statement = statement.where(Draft.id == draft_id)
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def prune_drafts(session: AsyncSession, untouched_since: datetime) -> int:
    result = await session.execute(delete(Draft).where(Draft.updated_at < untouched_since))
    return int(result.rowcount)  # type: ignore[attr-defined]


# ----- ideas -----
async def count_ideas_since(session: AsyncSession, user_id: int, since: datetime) -> int:
    count = await session.scalar(
        select(func.count(Idea.id)).where(Idea.user_id == user_id, Idea.created_at >= since)
    )
    return int(count or 0)


async def count_ideas(session: AsyncSession, user_id: int) -> int:
    return int(
        await session.scalar(select(func.count(Idea.id)).where(Idea.user_id == user_id)) or 0
    )


async def code_exists(session: AsyncSession, code: str) -> bool:
    return await session.scalar(select(Idea.id).where(Idea.code == code)) is not None


async def add_idea(
    session: AsyncSession, fields: dict[str, Any], attachments: list[dict[str, Any]]
) -> Idea:
    idea = Idea(**fields)
    session.add(idea)
    await session.flush()
    for attachment in attachments:
        session.add(Attachment(idea_id=idea.id, **attachment))
    await session.flush()
    return idea


async def list_ideas(session: AsyncSession, user_id: int, limit: int = 50) -> list[Idea]:
    result = await session.scalars(
        select(Idea).where(Idea.user_id == user_id).order_by(Idea.created_at.desc()).limit(limit)
    )
    return list(result)


async def add_attachment(session: AsyncSession, **fields: Any) -> None:
    session.add(Attachment(**fields))
    await session.flush()


async def list_attachments(session: AsyncSession, idea_id: int) -> list[Attachment]:
    result = await session.scalars(
        select(Attachment).where(Attachment.idea_id == idea_id).order_by(Attachment.id)
    )
    return list(result)


# ----- privacy -----
async def erase_person(session: AsyncSession, user_id: int) -> int:
    """Erase a person's profile and contact details and detach their ideas, which stay,
    anonymous, for statistics. Returns how many ideas were detached."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            first_name="",
            last_name=None,
            username=None,
            full_name=None,
            phone=None,
            erased=True,
            updated_at=utcnow(),
        )
    )
    idea_ids = list(await session.scalars(select(Idea.id).where(Idea.user_id == user_id)))
    if idea_ids:
        # A file's chat and message would lead back to the person: the files go.
        await session.execute(delete(Attachment).where(Attachment.idea_id.in_(idea_ids)))
        await session.execute(
            update(Idea)
            .where(Idea.id.in_(idea_ids))
            .values(
                user_id=None,
                full_name=None,
                phone=None,
                latitude=None,
                longitude=None,
                updated_at=utcnow(),
            )
        )
    await session.execute(delete(Draft).where(Draft.user_id == user_id))
    # What they asked to hear about, and the events they signed up for, go too.
    await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    await session.execute(delete(Signup).where(Signup.user_id == user_id))
    # Sent notices name the person's ideas: they would tie the ideas back to them.
    await session.execute(delete(Outbox).where(Outbox.user_id == user_id))
    return len(idea_ids)


# ----- review -----
async def get_idea(session: AsyncSession, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def get_idea_by_code(session: AsyncSession, code: str) -> Idea | None:
    return await session.scalar(select(Idea).where(Idea.code == code))


async def set_idea_status(
    session: AsyncSession, idea_id: int, status: str, duplicate_of: int | None = None
) -> None:
    await session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(status=status, duplicate_of=duplicate_of, updated_at=utcnow())
    )


async def add_event(session: AsyncSession, **fields: Any) -> IdeaEvent:
    event = IdeaEvent(**{"created_at": utcnow(), **fields})
    session.add(event)
    await session.flush()
    return event


async def get_event(session: AsyncSession, event_id: int) -> IdeaEvent | None:
    return await session.get(IdeaEvent, event_id)


async def list_events(
    session: AsyncSession, idea_id: int, *, applicant_view: bool = False
) -> list[IdeaEvent]:
    statement = select(IdeaEvent).where(IdeaEvent.idea_id == idea_id)
    if applicant_view:
        statement = statement.where(IdeaEvent.visible_to_applicant.is_(True))
    return list(await session.scalars(statement.order_by(IdeaEvent.id)))


async def last_status_event(
    session: AsyncSession, idea_id: int, to_status: str
) -> IdeaEvent | None:
    return await session.scalar(
        select(IdeaEvent)
        .where(IdeaEvent.idea_id == idea_id, IdeaEvent.to_status == to_status)
        .order_by(IdeaEvent.id.desc())
        .limit(1)
    )


# ----- outbox -----
async def add_outbox(session: AsyncSession, **fields: Any) -> Outbox:
    row = Outbox(**{"status": "pending", "attempts": 0, "created_at": utcnow(), **fields})
    session.add(row)
    await session.flush()
    return row


async def mark_outbox(session: AsyncSession, row_id: int, status: str, error: str | None) -> None:
    values: dict[str, Any] = {"status": status, "last_error": error}
    if status == "sent":
        values["sent_at"] = utcnow()
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(attempts=Outbox.attempts + 1, **values)
    )


async def get_outbox(session: AsyncSession, row_id: int) -> Outbox | None:
    return await session.get(Outbox, row_id)


async def queue(
    session: AsyncSession,
    statuses: Sequence[str],
    area: str | None,
    platform: str | None,
    offset: int,
    limit: int,
    call_id: int | None = None,
) -> tuple[list[Idea], int]:
    """Ideas for review, oldest first, one page of them and how many in all."""
    conditions: list[ColumnElement[bool]] = [Idea.status.in_(list(statuses))]
    if call_id:
        conditions.append(Idea.call_id == call_id)
    if area:
        conditions.append(Idea.area == area)
    if platform:
        conditions.append(Idea.platform == platform)
    total = await session.scalar(select(func.count(Idea.id)).where(*conditions))
    rows = await session.scalars(
        select(Idea)
        .where(*conditions)
        .order_by(Idea.created_at, Idea.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def count_ideas_by(
    session: AsyncSession, field: str, since: datetime | None
) -> dict[str, int]:
    """How many ideas per value of `field` (area, persona, status, platform)."""
    column = {
        "area": Idea.area,
        "persona": Idea.persona,
        "status": Idea.status,
        "platform": Idea.platform,
    }[field]
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


# ----- staff kept in the database -----
async def list_staff(session: AsyncSession) -> list[StaffMember]:
    return list(await session.scalars(select(StaffMember).order_by(StaffMember.id)))


async def put_staff(session: AsyncSession, platform: str, user_id: int, role: str) -> None:
    statement = _insert(session, StaffMember).values(
        platform=platform, user_id=user_id, role=role, created_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=["platform", "user_id"], set_={"role": role})
    )


async def remove_staff(session: AsyncSession, platform: str, user_id: int) -> bool:
    result = await session.execute(
        delete(StaffMember).where(StaffMember.platform == platform, StaffMember.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
