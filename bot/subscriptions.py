"""Which announcements a person wants (per focus area, calls, events)."""

from __future__ import annotations

from bot.topics import TOPICS
from storage import Database, outreach


class SubscriptionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def topics(self, user_id: int) -> set[str]:
        async with self.db.read() as session:
            return await outreach.topics_of(session, user_id)

    async def switch(self, user_id: int, topic: str) -> set[str]:
        """Turn one topic on or off; returns the new set."""
        if topic not in TOPICS:
            return await self.topics(user_id)
        async with self.db.write() as session:
            topics = await outreach.topics_of(session, user_id)
            topics ^= {topic}
            await outreach.set_topics(session, user_id, topics)
            return topics

    async def set_all(self, user_id: int, on: bool) -> set[str]:
        topics = set(TOPICS) if on else set()
        async with self.db.write() as session:
            await outreach.set_topics(session, user_id, topics)
            await outreach.mark_subscriptions_chosen(session, user_id)
        return topics

    async def confirm(self, user_id: int) -> set[str]:
        async with self.db.write() as session:
            await outreach.mark_subscriptions_chosen(session, user_id)
            return await outreach.topics_of(session, user_id)
