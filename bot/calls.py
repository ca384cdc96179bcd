"""Calls for proposals: staff open them for some focus areas between two times; the
intake offers the open ones, and a deep link opens the intake bound to one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.delivery import Clock
from bot.intake.engine import CallView
from bot.platforms import PlatformProfile
from storage import Database, outreach
from storage.models import Call, utcnow

PAYLOAD_PREFIX = "call_"


@dataclass(frozen=True, slots=True)
class CallInfo:
    id: int
    title: str
    description: str
    areas: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    guidance: str | None

    @classmethod
    def of(cls, row: Call) -> CallInfo:
        return cls(
            row.id,
            row.title,
            row.description,
            tuple(row.areas),
            row.opens_at,
            row.closes_at,
            row.guidance,
        )

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def deep_link(profile: PlatformProfile, username: str, call_id: int) -> str:
    return profile.deep_link.format(username=username, payload=f"{PAYLOAD_PREFIX}{call_id}")


def call_from_payload(payload: str | None) -> int | None:
    """`/start call_12` -> 12."""
    if not payload or not payload.startswith(PAYLOAD_PREFIX):
        return None
    digits = payload.removeprefix(PAYLOAD_PREFIX)
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


class CallService:
    """Also the intake's `CallDirectory`: which calls are open for an area."""

    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def open_calls(self, area: str) -> list[CallView]:
        async with self.db.read() as session:
            rows = await outreach.open_calls(session, self.clock(), area)
        return [CallView(row.id, row.title) for row in rows]

    async def listing(self) -> list[CallInfo]:
        async with self.db.read() as session:
            return [CallInfo.of(row) for row in await outreach.open_calls(session, self.clock())]

    async def recent(self) -> list[CallInfo]:
        async with self.db.read() as session:
            return [CallInfo.of(row) for row in await outreach.recent_calls(session)]

    async def get(self, call_id: int) -> CallInfo | None:
        async with self.db.read() as session:
            row = await outreach.get_call(session, call_id)
            return CallInfo.of(row) if row else None

    async def is_open(self, call_id: int) -> bool:
        call = await self.get(call_id)
        return call is not None and call.is_open(self.clock())

    async def save(self, call_id: int | None, fields: dict[str, object]) -> CallInfo:
        async with self.db.write() as session:
            if call_id is None:
                now = self.clock()
                row = await outreach.add_call(session, created_at=now, updated_at=now, **fields)
                call_id = row.id
            else:
                await outreach.update_call(session, call_id, **fields)
            saved = await outreach.get_call(session, call_id)
            assert saved is not None
            return CallInfo.of(saved)

    async def close(self, call_id: int) -> CallInfo | None:
        """Close now: the close time becomes this moment."""
        if await self.get(call_id) is None:
            return None
        return await self.save(call_id, {"closes_at": self.clock()})
