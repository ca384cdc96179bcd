"""Counts for staff: ideas by area, persona, status and platform, over three periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from storage import Database, repo
from storage.models import utcnow

FIELDS = ("area", "persona", "status", "platform")
PERIODS = (None, 30, 7)  # days; None is all time


@dataclass(frozen=True, slots=True)
class Stats:
    # field -> value -> (all time, last 30 days, last 7 days)
    counts: dict[str, dict[str, tuple[int, int, int]]]
    totals: tuple[int, int, int]


class StatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def collect(self) -> Stats:
        now = utcnow()
        counts: dict[str, dict[str, tuple[int, int, int]]] = {}
        totals = [0, 0, 0]
        async with self.db.read() as session:
            for field in FIELDS:
                per_period = [
                    await repo.count_ideas_by(
                        session, field, now - timedelta(days=days) if days else None
                    )
                    for days in PERIODS
                ]
                keys = sorted(per_period[0])
                counts[field] = {
                    k: (per_period[0].get(k, 0), per_period[1].get(k, 0), per_period[2].get(k, 0))
                    for k in keys
                }
                if field == "status":
                    totals = [sum(p.values()) for p in per_period]
        return Stats(counts, (totals[0], totals[1], totals[2]))
