"""What is stored about a person, and erasing it on request."""

from __future__ import annotations

from bot.core.views import StoredAboutPerson
from storage import Database, drafts, events, ideas, privacy, subscriptions, users


class PrivacyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored(self, user_id: int) -> StoredAboutPerson:
        async with self.db.read() as session:
            user = await users.get_user_by_id(session, user_id)
            count = await ideas.count_ideas(session, user_id)
            draft = await drafts.get_draft(session, user_id)
            topics = await subscriptions.topics_of(session, user_id)
            signups = len(await events.signups_of(session, user_id))
        name = " ".join(filter(None, [user.first_name, user.last_name])) if user else ""
        return StoredAboutPerson(
            messenger_name=name,
            full_name=user.full_name if user else None,
            phone=user.phone if user else None,
            ideas=count,
            has_draft=draft is not None,
            topics=frozenset(topics),
            events=signups,
        )

    async def erase(self, user_id: int) -> int:
        """Erase the person's data; their ideas stay without a name. Returns their count."""
        async with self.db.write() as session:
            return await privacy.erase_person(session, user_id)
