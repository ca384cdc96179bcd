"""Counts for staff: ideas by area, persona, status and platform, over three periods."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import Clock, utcnow
from bot.core.views import Stats
from storage import Database, ideas

FIELDS = ("area", "persona", "status", "platform")
PERIODS = (None, 30, 7)  # days; None is all time


class StatsService:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def collect(self) -> Stats:
        now = self.clock()
        counts: dict[str, dict[str, tuple[int, int, int]]] = {}
        totals = [0, 0, 0]
        async with self.db.read() as session:
            for field in FIELDS:
                per_period = [
                    await ideas.count_ideas_by(
                        session, field, now - timedelta(days=days) if days else None
                    )
                    for days in PERIODS
                ]
                counts[field] = {
                    k: (per_period[0].get(k, 0), per_period[1].get(k, 0), per_period[2].get(k, 0))
                    for k in sorted(per_period[0])
                }
                if field == "status":
                    totals = [sum(p.values()) for p in per_period]
        return Stats(counts, (totals[0], totals[1], totals[2]))
