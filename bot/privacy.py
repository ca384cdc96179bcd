"""What is stored about a person, and erasing it on request."""

from __future__ import annotations

from dataclasses import dataclass

from storage import Database, outreach, repo


@dataclass(frozen=True, slots=True)
class StoredAboutPerson:
    messenger_name: str
    full_name: str | None
    phone: str | None
    ideas: int
    has_draft: bool
    topics: frozenset[str]
    events: int


class PrivacyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored(self, user_id: int) -> StoredAboutPerson:
        async with self.db.read() as session:
            user = await repo.get_user_by_id(session, user_id)
            ideas = await repo.count_ideas(session, user_id)
            draft = await repo.get_draft(session, user_id)
            topics = await outreach.topics_of(session, user_id)
            events = len(await outreach.signups_of(session, user_id))
        name = " ".join(filter(None, [user.first_name, user.last_name])) if user else ""
        return StoredAboutPerson(
            messenger_name=name,
            full_name=user.full_name if user else None,
            phone=user.phone if user else None,
            ideas=ideas,
            has_draft=draft is not None,
            topics=frozenset(topics),
            events=events,
        )

    async def erase(self, user_id: int) -> int:
        """Erase the person's data; their ideas stay without a name. Returns their count."""
        async with self.db.write() as session:
            return await repo.erase_person(session, user_id)
