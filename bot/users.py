"""People: who they are on each platform, their language, and staff roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic
from typing import cast

from bot.config import Role, StaffMember
from bot.platforms import Platform
from storage import Database, outreach, repo
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
    # Has confirmed which announcements they want.
    subscriptions_chosen: bool = True

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
            subscriptions_chosen=row.subscriptions_chosen,
        )


class StaffDirectory:
    """Staff from the STAFF setting, and those an administrator added in the chat (kept
    in the database, read once and then kept up to date by `add` and `remove`)."""

    TTL = 60.0

    def __init__(self, members: tuple[StaffMember, ...], db: Database | None = None) -> None:
        self._configured = {(m.platform, m.user_id): m.role for m in members}
        self._added: dict[tuple[Platform, int], Role] = {}
        self._db = db
        self._loaded_at = 0.0

    async def load(self) -> None:
        """Read the staff added in the chat; again after a minute, so that a change made
        through another worker process reaches this one too."""
        if self._db is None or (self._loaded_at and monotonic() - self._loaded_at < self.TTL):
            return
        async with self._db.read() as session:
            rows = await repo.list_staff(session)
        self._added = {(Platform(r.platform), r.user_id): cast(Role, r.role) for r in rows}
        self._loaded_at = monotonic()

    def role_of(self, platform: Platform, user_id: int) -> Role | None:
        key = (platform, user_id)
        return self._configured.get(key) or self._added.get(key)

    def configured(self, platform: Platform, user_id: int) -> bool:
        return (platform, user_id) in self._configured

    def members(self, platform: Platform | None = None) -> list[tuple[Platform, int, Role]]:
        merged = {**self._added, **self._configured}
        return [(p, uid, role) for (p, uid), role in merged.items() if platform in (None, p)]

    async def add(self, platform: Platform, user_id: int, role: Role) -> None:
        assert self._db is not None
        async with self._db.write() as session:
            await repo.put_staff(session, platform.value, user_id, role)
        self._added[(platform, user_id)] = role

    async def remove(self, platform: Platform, user_id: int) -> bool:
        """False for someone not added in the chat (STAFF members stay: it's configuration)."""
        assert self._db is not None
        async with self._db.write() as session:
            removed = await repo.remove_staff(session, platform.value, user_id)
        self._added.pop((platform, user_id), None)
        return removed


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
            if not created and row.blocked:  # they wrote to us again: they unblocked the bot
                await outreach.set_blocked(session, [row.id], False)
                row.blocked = False
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
