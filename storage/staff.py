"""Staff added from the chat by an administrator (those in STAFF need no row), what
each wants to be told of, and the one-time invites that make someone staff."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount, upsert
from storage.lean import Lean
from storage.models import StaffInvite, StaffMember, StaffPreference, utcnow


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    return list(await session.scalars(select(StaffMember).order_by(StaffMember.id)))


async def put_staff(session: AsyncSession, platform: str, user_id: int, role: str) -> None:
    statement = upsert(session, StaffMember).values(
        platform=platform, user_id=user_id, role=role, created_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=["platform", "user_id"], set_={"role": role})
    )


async def remove_staff(session: AsyncSession, platform: str, user_id: int) -> bool:
    result = await session.execute(
        delete(StaffMember).where(StaffMember.platform == platform, StaffMember.user_id == user_id)
    )
    return bool(rowcount(result))


async def get_preference(
    session: AsyncSession, platform: str, user_id: int
) -> StaffPreference | None:
    return await session.get(StaffPreference, (platform, user_id))


class PreferenceRow(NamedTuple):
    """A staff member's alert preference as it is read."""

    platform: str
    user_id: int
    alerts: str
    areas: list[str] | None


_PREFERENCES = cast(Table, StaffPreference.__table__)
assert PreferenceRow._fields == tuple(_PREFERENCES.c.keys()), "follows staff_preferences"
# Read for every alert (each new idea makes one).
_ALL_PREFERENCES = Lean(lambda _: select(_PREFERENCES))


async def list_preferences(session: AsyncSession) -> list[PreferenceRow]:
    return [PreferenceRow(*row) for row in await _ALL_PREFERENCES.rows(session, {})]


async def put_preference(
    session: AsyncSession, platform: str, user_id: int, alerts: str, areas: list[str]
) -> None:
    statement = upsert(session, StaffPreference).values(
        platform=platform, user_id=user_id, alerts=alerts, areas=areas
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["platform", "user_id"], set_={"alerts": alerts, "areas": areas}
        )
    )


async def add_invite(
    session: AsyncSession, token: str, platform: str, role: str, created_by: int
) -> None:
    session.add(
        StaffInvite(
            token=token, platform=platform, role=role, created_by=created_by, created_at=utcnow()
        )
    )
    await session.flush()


async def use_invite(
    session: AsyncSession, token: str, platform: str, since: datetime
) -> StaffInvite | None:
    """The invite, marked used: only once, on its own platform, and while it is fresh."""
    result = await session.execute(
        update(StaffInvite)
        .where(
            StaffInvite.token == token,
            StaffInvite.platform == platform,
            StaffInvite.used_at.is_(None),
            StaffInvite.created_at >= since,
        )
        .values(used_at=utcnow())
    )
    if not rowcount(result):
        return None
    return await session.get(StaffInvite, token)


async def get_staff(session: AsyncSession, platform: str, user_id: int) -> StaffMember | None:
    return await session.scalar(
        select(StaffMember).where(StaffMember.platform == platform, StaffMember.user_id == user_id)
    )
