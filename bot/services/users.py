"""People (who they are on each platform, their language, the conversation they are in)
and staff (from the STAFF setting, and those an administrator added in the chat)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from time import monotonic
from typing import Any

from bot.core.clock import utcnow
from bot.core.platforms import Platform
from bot.core.roles import Role
from bot.core.views import Profile, StaffMember, UpdateKey, UserView
from storage import Database, cluster, updates, users
from storage import console as console_rows
from storage import staff as staff_rows
from storage.models import User
from storage.users import UserRow

# Telegram keeps an update it got no answer to, and posts it again, for up to a day;
# after that no platform asks again, and what an update answered need not be kept.
REPLIES_KEPT = timedelta(hours=25)


def user_view(row: User | UserRow, *, new: bool = False) -> UserView:
    return UserView(
        id=row.id,
        platform=Platform(row.platform),
        platform_user_id=row.platform_user_id,
        chat_id=row.chat_id,
        first_name=row.first_name,
        locale=row.locale,
        new=new,
        subscriptions_chosen=row.subscriptions_chosen,
        state=row.state,
    )


class UserService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def seen(self, update_key: UpdateKey) -> list[dict[str, Any]] | None:
        """None if this update was not handled yet (its id, with the same content); else
        the replies it was answered with, as `handled` kept them."""
        platform, bot_id, update_id, digest = update_key
        async with self.db.read() as session:
            return await updates.processed(session, platform.value, bot_id, update_id, digest)

    async def handled(
        self, update_key: UpdateKey, replies: list[dict[str, Any]] | None = None
    ) -> bool:
        """Record the update as handled (with its replies), in the caller's transaction;
        False if another worker recorded it first (its effects must then not be
        committed twice)."""
        platform, bot_id, update_id, digest = update_key
        async with self.db.write() as session:
            return await updates.claim_update(
                session, platform.value, bot_id, update_id, digest, replies
            )

    async def keep(self, update_key: UpdateKey, replies: list[dict[str, Any]]) -> None:
        """Keep the replies of an update claimed in the caller's transaction (to send
        again if the platform sends the update again)."""
        platform, bot_id, update_id, _ = update_key
        async with self.db.write() as session:
            await updates.keep_replies(session, platform.value, bot_id, update_id, replies)

    async def hold_chat(self, platform: Platform, chat_id: int) -> None:
        """Handle this chat's update alone, across every worker, until the caller's
        transaction ends (a no-op where one process is all there is)."""
        if self.db.dialect != "postgresql":
            return  # SQLite: one process, whose gateway keeps each chat in order itself
        async with self.db.write() as session:
            await cluster.hold_chat(session, platform.value, chat_id)

    async def visit(self, profile: Profile) -> UserView:
        """The person who sent an update: created on first sight, refreshed when their
        chat or names changed, unblocked when they write again after blocking the bot.
        Written only when something changed."""
        async with self.db.read() as session:
            row = await users.get_user(session, profile.platform.value, profile.platform_user_id)
            fresh = (
                row is not None
                and not row.blocked
                and not users.changed(
                    row,
                    chat_id=profile.chat_id,
                    first_name=profile.first_name,
                    last_name=profile.last_name,
                    username=profile.username,
                )
            )
        if row is not None and fresh:
            return user_view(row)
        async with self.db.write() as session:
            written, created = await users.upsert_user(
                session,
                profile.platform.value,
                profile.platform_user_id,
                chat_id=profile.chat_id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
            )
            if not created and written.blocked:  # they wrote again: they unblocked the bot
                await users.set_blocked(session, [written.id], False)
            return user_view(written, new=created)

    async def set_locale(self, user: UserView, locale: str) -> None:
        async with self.db.write() as session:
            await users.set_locale(session, user.id, locale)

    async def set_state(self, user_id: int, state: str | None) -> None:
        async with self.db.write() as session:
            await users.set_state(session, user_id, state)

    async def blocked(self, user_id: int) -> None:
        """The person blocked the bot (a reply was refused with 403)."""
        async with self.db.write() as session:
            await users.set_blocked(session, [user_id], True)

    async def get(self, platform: Platform, platform_user_id: int) -> UserView | None:
        async with self.db.read() as session:
            row = await users.get_user(session, platform.value, platform_user_id)
            return user_view(row) if row else None

    async def prune_processed_updates(self, keep: timedelta, now: datetime | None = None) -> int:
        now = now or utcnow()
        async with self.db.write() as session:
            return await updates.prune_updates(session, now - keep, now - REPLIES_KEPT)


INVITE_VALIDITY = timedelta(hours=48)


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
            rows = await staff_rows.list_staff(session)
        self._added = {(Platform(r.platform), r.user_id): r.role for r in rows}
        self._loaded_at = monotonic()

    async def current_role(self, platform: Platform, user_id: int) -> Role | None:
        """The role as the database holds it this moment (another worker may have just
        changed it): for what must not wait for the cache, the console's sessions."""
        configured = self._configured.get((platform, user_id))
        if configured is not None or self._db is None:
            return configured
        async with self._db.read() as session:
            row = await staff_rows.get_staff(session, platform.value, user_id)
        return row.role if row is not None else None

    def role_of(self, platform: Platform, user_id: int) -> Role | None:
        key = (platform, user_id)
        return self._configured.get(key) or self._added.get(key)

    def configured(self, platform: Platform, user_id: int) -> bool:
        return (platform, user_id) in self._configured

    def members(self, platform: Platform | None = None) -> list[StaffMember]:
        merged = {**self._added, **self._configured}
        return [
            StaffMember(p, uid, role) for (p, uid), role in merged.items() if platform in (None, p)
        ]

    async def add(self, platform: Platform, user_id: int, role: Role) -> None:
        assert self._db is not None
        key = (platform, user_id)
        async with self._db.write() as session:
            await staff_rows.put_staff(session, platform.value, user_id, role)

            async def known() -> None:  # only once it is true: a rollback leaves no role
                self._added[key] = role

            self._db.after_commit(known)

    async def invite(self, platform: Platform, by: int, role: Role) -> str:
        """A one-time invitation for whoever opens it first, on `platform`."""
        assert self._db is not None
        token = secrets.token_urlsafe(12)
        async with self._db.write() as session:
            await staff_rows.add_invite(session, token, platform.value, role, by)
        return token

    async def join(self, token: str, platform: Platform, user_id: int) -> Role | None:
        """The invitation used by this person: their role, or None if it is used,
        expired or another platform's. Someone already staff keeps the higher role."""
        assert self._db is not None
        async with self._db.write() as session:
            invite = await staff_rows.use_invite(
                session, token, platform.value, utcnow() - INVITE_VALIDITY
            )
            if invite is None:
                return None
            current = self.role_of(platform, user_id)
            role: Role = "admin" if "admin" in (current, invite.role) else invite.role
            if not self.configured(platform, user_id):
                await self.add(platform, user_id, role)
            return role

    async def remove(self, platform: Platform, user_id: int) -> bool:
        """False for someone not added in the chat (STAFF members stay: it's configuration)."""
        assert self._db is not None
        key = (platform, user_id)
        async with self._db.write() as session:
            removed = await staff_rows.remove_staff(session, platform.value, user_id)
            if removed:  # out of the browser console too, at once
                await console_rows.end_sessions_of(session, platform.value, user_id, utcnow())

            async def forgotten() -> None:
                self._added.pop(key, None)

            self._db.after_commit(forgotten)
        return removed
