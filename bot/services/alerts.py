"""Telling staff: each member's choice of what they hear of, the alerts themselves
(written to the outbox in the transaction of what caused them), and the daily summary
for those who prefer one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.alerts import DEFAULT_MODE, AlertEvent, AlertMode, wants
from bot.core.notices import Kind, Notifier, StaffAlert, StaffSummary, StaffWelcome
from bot.core.platforms import Platform
from bot.core.roles import Role
from bot.core.views import IdeaView, StaffMember
from bot.services.ideas import idea_view
from bot.services.users import StaffDirectory
from storage import Database, assignments, ideas, users
from storage import staff as staff_rows


@dataclass(frozen=True, slots=True)
class Choice:
    mode: AlertMode
    areas: frozenset[str]


def _key(member: StaffMember | tuple[Platform, int]) -> tuple[str, int]:
    if isinstance(member, StaffMember):
        return member.platform.value, member.user_id
    return member[0].value, member[1]


class AlertService:
    def __init__(self, db: Database, staff: StaffDirectory, notifier: Notifier) -> None:
        self.db = db
        self.staff = staff
        self.notifier = notifier

    async def choice(self, platform: Platform, user_id: int) -> Choice:
        async with self.db.read() as session:
            row = await staff_rows.get_preference(session, platform.value, user_id)
        if row is None:
            return Choice(DEFAULT_MODE, frozenset())
        return Choice(AlertMode(row.alerts), frozenset(row.areas or ()))

    async def choose(self, platform: Platform, user_id: int, choice: Choice) -> None:
        async with self.db.write() as session:
            await staff_rows.put_preference(
                session, platform.value, user_id, choice.mode.value, sorted(choice.areas)
            )

    async def tell(
        self,
        idea: IdeaView,
        area: str,
        event: AlertEvent,
        *,
        only: tuple[Platform, int] | None = None,
        by: str | None = None,
    ) -> int:
        """Alert the staff who want to hear of `event` (or just `only`), in the caller's
        transaction; how many were written to."""
        await self.staff.load()
        async with self.db.write() as session:
            members = self.staff.members()
            if only is not None:
                members = [m for m in members if _key(m) == _key(only)]
            choices = {
                (r.platform, r.user_id): Choice(AlertMode(r.alerts), frozenset(r.areas or ()))
                for r in await staff_rows.list_preferences(session)
            }
            held = set(await assignments.assignees(session, idea.id))
            default = Choice(DEFAULT_MODE, frozenset())
            chosen = [
                m
                for m in members
                if wants(
                    (c := choices.get(_key(m), default)).mode,
                    c.areas,
                    event,
                    area=area,
                    assigned_to_them=_key(m) in held,
                )
            ]
            reachable = await users.users_by_platform_id(session, [_key(m) for m in chosen])
            told = 0
            for member in chosen:
                user_id = reachable.get(_key(member))
                if user_id is not None:
                    notice = StaffAlert(idea, event, area, by)
                    told += await self.notifier.notify(user_id, notice) is not None
            return told

    async def welcome(self, platform: Platform, user_id: int, role: Role) -> bool:
        """Tell someone they were made staff (if they ever wrote to the bot)."""
        async with self.db.write() as session:
            found = await users.users_by_platform_id(session, [(platform.value, user_id)])
            target = found.get((platform.value, user_id))
            if target is None:
                return False
            return await self.notifier.notify(target, StaffWelcome(role)) is not None

    async def summaries(self, now: datetime) -> int:
        """The daily summary, to each member who chose it: the ideas of the last day and
        those waiting for staff. Once per member and day, whatever the number of clocks."""
        await self.staff.load()
        async with self.db.write() as session:
            daily = [
                (r.platform, r.user_id)
                for r in await staff_rows.list_preferences(session)
                if r.alerts == AlertMode.DAILY.value
            ]
            if not daily:
                return 0
            staff = {_key(m) for m in self.staff.members()}
            reachable = await users.users_by_platform_id(session, [k for k in daily if k in staff])
            new = [idea_view(r) for r in await ideas.ideas_since(session, now - timedelta(days=1))]
            waiting = [idea_view(r) for r in await ideas.awaiting_staff(session)]
            told = 0
            for (platform, uid), user_id in reachable.items():
                dedupe = f"staff-summary:{platform}:{uid}:{now.date().isoformat()}"
                notice = StaffSummary(new, waiting)
                delivery = await self.notifier.notify(
                    user_id, notice, kind=Kind.DIGEST, due_at=now, dedupe=dedupe
                )
                told += delivery is not None
            if told:
                self.notifier.wake()
            return told
