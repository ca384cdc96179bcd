"""The staff console's sign-in links and sessions. Secrets arrive here already hashed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import rowcount
from storage.models import ConsoleLink, ConsoleSession


async def add_link(
    session: AsyncSession,
    token_hash: str,
    platform: str,
    user_id: int,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        ConsoleLink(
            token_hash=token_hash,
            platform=platform,
            user_id=user_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def use_link(session: AsyncSession, token_hash: str, now: datetime) -> ConsoleLink | None:
    """The link, marked used: once, and only before it expires."""
    result = await session.execute(
        update(ConsoleLink)
        .where(
            ConsoleLink.token_hash == token_hash,
            ConsoleLink.used_at.is_(None),
            ConsoleLink.expires_at > now,
        )
        .values(used_at=now)
    )
    if not rowcount(result):
        return None
    return await session.get(ConsoleLink, token_hash)


async def add_session(
    session: AsyncSession, token_hash: str, platform: str, user_id: int, csrf: str, now: datetime
) -> None:
    session.add(
        ConsoleSession(
            token_hash=token_hash,
            platform=platform,
            user_id=user_id,
            csrf=csrf,
            created_at=now,
            seen_at=now,
        )
    )
    await session.flush()


async def get_session(session: AsyncSession, token_hash: str) -> ConsoleSession | None:
    return await session.get(ConsoleSession, token_hash)


async def touch_session(session: AsyncSession, token_hash: str, now: datetime) -> None:
    await session.execute(
        update(ConsoleSession).where(ConsoleSession.token_hash == token_hash).values(seen_at=now)
    )


async def end_session(session: AsyncSession, token_hash: str, now: datetime) -> None:
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_hash == token_hash, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now)
    )


async def prune(session: AsyncSession, links_before: datetime, sessions_before: datetime) -> int:
    """Forget expired links and sessions idle (or ended) long enough ago."""
    links = await session.execute(delete(ConsoleLink).where(ConsoleLink.expires_at < links_before))
    sessions = await session.execute(
        delete(ConsoleSession).where(
            or_(
                ConsoleSession.seen_at < sessions_before,
                ConsoleSession.ended_at < sessions_before,
            )
        )
    )
    return rowcount(links) + rowcount(sessions)


async def end_sessions_of(
    session: AsyncSession, platform: str, user_id: int, now: datetime
) -> None:
    """Every open session of one staff member: they left the staff."""
    await session.execute(
        update(ConsoleSession)
        .where(
            ConsoleSession.platform == platform,
            ConsoleSession.user_id == user_id,
            ConsoleSession.ended_at.is_(None),
        )
        .values(ended_at=now)
    )


async def get_link(session: AsyncSession, token_hash: str) -> ConsoleLink | None:
    return await session.get(ConsoleLink, token_hash)
