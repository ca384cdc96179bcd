"""Updates already handled, so a redelivered update is handled once.

An update is known by its platform, its bot and its id, and told apart by a digest of
its content: the same id with other content is a new update under a reused id (a
server that numbered its updates afresh), not a redelivery. Rows from before digests
were kept count as redeliveries only while they are recent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount
from storage.lean import Lean
from storage.models import ProcessedUpdate, utcnow

# A row without a digest is trusted as a redelivery for this long after it was handled.
UNDIGESTED_WINDOW = timedelta(minutes=10)


def _same(row: ProcessedUpdate, digest: str, now: datetime) -> bool:
    if row.digest is None:
        return now - row.processed_at < UNDIGESTED_WINDOW
    return row.digest == digest


async def processed(
    session: AsyncSession, platform: str, bot_id: int, update_id: int, digest: str
) -> list[dict[str, Any]] | None:
    """None if this update was not handled; else the replies it was answered with (empty
    when none were kept)."""
    row = await session.get(ProcessedUpdate, (platform, bot_id, update_id))
    if row is None or not _same(row, digest, utcnow()):
        return None
    return list(row.replies or [])


async def claim_update(
    session: AsyncSession,
    platform: str,
    bot_id: int,
    update_id: int,
    digest: str,
    replies: list[dict[str, Any]] | None = None,
) -> bool:
    """Record an update (and what it answered); False if it was already recorded (a
    redelivery, or another worker handling it at the same moment)."""
    now = utcnow()
    claim = {
        "platform_": platform,
        "bot": bot_id,
        "update": update_id,
        "now": now,
        "digest_": digest,
        "replies_": replies or None,
    }
    if await _CLAIM.count(session, claim):
        return True
    row = await session.get(ProcessedUpdate, (platform, bot_id, update_id))
    if row is None or _same(row, digest, now):
        return False
    # The id was handled before for other content: the server reused it.
    reused = (
        update(ProcessedUpdate)
        .where(
            ProcessedUpdate.platform == platform,
            ProcessedUpdate.bot_id == bot_id,
            ProcessedUpdate.update_id == update_id,
            ProcessedUpdate.digest.is_distinct_from(digest),
        )
        .values(processed_at=now, digest=digest, replies=replies or None)
    )
    return bool(rowcount(await session.execute(reused)))


def _claim(insert: Any) -> Any:
    table = ProcessedUpdate.__table__
    return (
        insert(table)
        .values(
            platform=bindparam("platform_"),
            bot_id=bindparam("bot"),
            update_id=bindparam("update"),
            processed_at=bindparam("now", type_=table.c.processed_at.type),
            digest=bindparam("digest_"),
            replies=bindparam("replies_", type_=table.c.replies.type),
        )
        .on_conflict_do_nothing()
    )


_CLAIM = Lean(_claim)


async def keep_replies(
    session: AsyncSession,
    platform: str,
    bot_id: int,
    update_id: int,
    replies: list[dict[str, Any]],
) -> None:
    """The replies an update claimed earlier in this transaction was answered with."""
    await session.execute(
        update(ProcessedUpdate)
        .where(
            ProcessedUpdate.platform == platform,
            ProcessedUpdate.bot_id == bot_id,
            ProcessedUpdate.update_id == update_id,
        )
        .values(replies=replies or None)
    )


async def prune_updates(
    session: AsyncSession, before: datetime, replies_before: datetime | None = None
) -> int:
    """Forget updates handled before `before`, and the replies of those handled before
    `replies_before` (no platform sends an update again that late)."""
    if replies_before is not None:
        await session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.processed_at < replies_before,
                ProcessedUpdate.replies.is_not(None),
            )
            .values(replies=None)
        )
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return rowcount(result)
