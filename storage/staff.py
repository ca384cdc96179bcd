"""Staff added from the chat by an administrator (those in STAFF need no row)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount, upsert
from storage.models import StaffMember, utcnow


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
