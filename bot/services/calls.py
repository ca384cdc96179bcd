"""Calls for proposals: staff open them for some focus areas between two times; the
intake offers the open ones, and a deep link opens the intake bound to one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.clock import Clock, utcnow
from bot.core.views import CallInfo
from bot.core.vocabulary import Option
from storage import Database, calls
from storage.calls import CallRow
from storage.models import Call


def call_info(row: Call | CallRow) -> CallInfo:
    return CallInfo(
        row.id,
        row.title,
        row.description,
        tuple(row.areas),
        row.opens_at,
        row.closes_at,
        row.guidance,
        row.created_at,
        tuple(row.rubric) if row.rubric else None,
    )


class CallService:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def open_for(self, answers: Mapping[str, Any]) -> list[Option]:
        """The intake's choices: the calls open for the chosen area (keys are call ids)."""
        area = answers.get("area")
        if not area:
            return []
        async with self.db.read() as session:
            rows = await calls.open_calls(session, self.clock(), str(area))
        return [Option(str(row.id), row.title) for row in rows]

    async def listing(self) -> list[CallInfo]:
        async with self.db.read() as session:
            return [call_info(row) for row in await calls.open_calls(session, self.clock())]

    async def recent(self) -> list[CallInfo]:
        async with self.db.read() as session:
            return [call_info(row) for row in await calls.recent_calls(session)]

    async def get(self, call_id: int) -> CallInfo | None:
        async with self.db.read() as session:
            row = await calls.get_call(session, call_id)
            return call_info(row) if row else None

    async def is_open(self, call_id: int) -> bool:
        call = await self.get(call_id)
        return call is not None and call.is_open(self.clock())

    async def save(self, call_id: int | None, fields: dict[str, object]) -> CallInfo:
        async with self.db.write() as session:
            if call_id is None:
                now = self.clock()
                row = await calls.add_call(session, created_at=now, updated_at=now, **fields)
                call_id = row.id
            else:
                await calls.update_call(session, call_id, **fields)
            saved = await calls.get_call(session, call_id)
            assert saved is not None
            return call_info(saved)

    async def close(self, call_id: int) -> CallInfo | None:
        """Close now: the close time becomes this moment."""
        if await self.get(call_id) is None:
            return None
        return await self.save(call_id, {"closes_at": self.clock()})
