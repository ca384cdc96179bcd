"""Which announcements a person wants (per focus area, calls, events)."""

from __future__ import annotations

from bot.core.vocabulary import TOPICS
from storage import Database, subscriptions


class SubscriptionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def topics(self, user_id: int) -> set[str]:
        async with self.db.read() as session:
            return await subscriptions.topics_of(session, user_id)

    async def switch(self, user_id: int, topic: str) -> set[str]:
        """Turn one topic on or off; returns the new set."""
        if topic not in TOPICS:
            return await self.topics(user_id)
        async with self.db.write() as session:
            topics = await subscriptions.topics_of(session, user_id)
            topics ^= {topic}
            await subscriptions.set_topics(session, user_id, topics)
            return topics

    async def set_all(self, user_id: int, on: bool) -> set[str]:
        topics = set(TOPICS) if on else set()
        async with self.db.write() as session:
            await subscriptions.set_topics(session, user_id, topics)
            await subscriptions.mark_subscriptions_chosen(session, user_id)
        return topics

    async def confirm(self, user_id: int) -> set[str]:
        async with self.db.write() as session:
            await subscriptions.mark_subscriptions_chosen(session, user_id)
            return await subscriptions.topics_of(session, user_id)
