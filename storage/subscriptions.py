"""Which announcements a person wants: a focus area, "calls" or "events"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Subscription, User


async def topics_of(session: AsyncSession, user_id: int) -> set[str]:
    rows = await session.scalars(select(Subscription.topic).where(Subscription.user_id == user_id))
    return set(rows)


async def set_topics(session: AsyncSession, user_id: int, topics: Iterable[str]) -> None:
    await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    rows = [{"user_id": user_id, "topic": topic} for topic in sorted(set(topics))]
    if rows:
        await session.execute(insert(Subscription), rows)


async def mark_subscriptions_chosen(session: AsyncSession, user_id: int) -> None:
    await session.execute(update(User).where(User.id == user_id).values(subscriptions_chosen=True))
