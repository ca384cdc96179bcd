"""Update ids already handled, so a redelivered update is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount, upsert
from storage.models import ProcessedUpdate, utcnow


async def claim_update(session: AsyncSession, platform: str, bot_id: int, update_id: int) -> bool:
    """Record an update id; False if it was already recorded (a redelivery)."""
    statement = (
        upsert(session, ProcessedUpdate)
        .values(platform=platform, bot_id=bot_id, update_id=update_id, processed_at=utcnow())
        .on_conflict_do_nothing()
    )
    return bool(rowcount(await session.execute(statement)))


async def processed(session: AsyncSession, platform: str, bot_id: int, update_id: int) -> bool:
    return await session.get(ProcessedUpdate, (platform, bot_id, update_id)) is not None


async def prune_updates(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return rowcount(result)
