"""People: who they are on each platform, their language, and staff roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Role, StaffMember
from bot.platforms import Platform
from storage import Database, repo
from storage.models import User, utcnow
from storage.repo import Profile

__all__ = ["Profile", "StaffDirectory", "UserService", "UserView"]


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    platform: Platform
    platform_user_id: int
    chat_id: int | None
    first_name: str
    locale: str | None
    # First seen in this very update.
    new: bool = False

    @classmethod
    def of(cls, row: User, new: bool = False) -> UserView:
        return cls(
            id=row.id,
            platform=Platform(row.platform),
            platform_user_id=row.platform_user_id,
            chat_id=row.chat_id,
            first_name=row.first_name,
            locale=row.locale,
            new=new,
        )


class StaffDirectory:
    """Staff from the STAFF setting (a later issue adds staff kept in the database)."""

    def __init__(self, members: tuple[StaffMember, ...]) -> None:
        self._roles = {(m.platform, m.user_id): m.role for m in members}

    def role_of(self, platform: Platform, user_id: int) -> Role | None:
        return self._roles.get((platform, user_id))

    def members(self, platform: Platform) -> list[tuple[int, Role]]:
        return [(uid, role) for (p, uid), role in self._roles.items() if p is platform]


class UserService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def accept_update(
        self, platform: Platform, bot_id: int, update_id: int, profile: Profile | None
    ) -> tuple[bool, UserView | None]:
        """Record the update id and the sender, in one write.

        Returns (False, None) for an update already handled (a redelivery).
        """
        async with self.db.write() as session:
            if not await repo.claim_update(session, platform.value, bot_id, update_id):
                return False, None
            if profile is None:
                return True, None
            row, created = await repo.upsert_user(session, profile)
            return True, UserView.of(row, new=created)

    async def set_locale(self, user: UserView, locale: str) -> None:
        async with self.db.write() as session:
            await repo.set_user_locale(session, user.id, locale)

    async def get(self, platform: Platform, platform_user_id: int) -> UserView | None:
        async with self.db.read() as session:
            row = await repo.get_user(session, platform.value, platform_user_id)
            return UserView.of(row) if row else None

    async def prune_processed_updates(self, keep: timedelta, now: datetime | None = None) -> int:
        async with self.db.write() as session:
            return await repo.prune_updates(session, (now or utcnow()) - keep)
