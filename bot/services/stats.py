"""Counts for staff: ideas by area, persona, status and platform, over three periods;
and the console's trends: ideas per week, how far ideas went, and how long staff took
to respond and to decide."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import median

from bot.core.clock import Clock, utcnow
from bot.core.statuses import STATUSES
from bot.core.views import Stats
from storage import Database, history, ideas

FIELDS = ("area", "persona", "status", "platform")
PERIODS = (None, 30, 7)  # days; None is all time
# The road an idea travels, in order: the funnel counts how many got this far.
ROAD = (
    "submitted",
    "screening",
    "evaluating",
    "shortlisted",
    "accepted",
    "incubating",
    "completed",
)
DECISIONS = ("accepted", "rejected", "duplicate")
# How long a wait took, in days: each bucket holds waits shorter than its bound.
WAIT_BUCKETS = (1, 3, 7, 14)
WEEKS = 12


@dataclass(frozen=True, slots=True)
class Trends:
    weekly: tuple[tuple[date, int], ...]  # (the Saturday a week starts, ideas that week)
    funnel: tuple[tuple[str, int], ...]  # (status, ideas that got at least this far)
    # How many waits fell in each of WAIT_BUCKETS and beyond, then those still waiting.
    response: tuple[int, ...]
    decision: tuple[int, ...]
    response_median_hours: float | None
    decision_median_days: float | None


def _buckets(waits: list[timedelta], waiting: int) -> tuple[int, ...]:
    counts = [0] * (len(WAIT_BUCKETS) + 1)
    for wait in waits:
        days = wait.total_seconds() / 86400
        counts[next((i for i, b in enumerate(WAIT_BUCKETS) if days < b), len(WAIT_BUCKETS))] += 1
    return (*counts, waiting)


def _week_of(moment: datetime, tz: tzinfo) -> date:
    day = moment.astimezone(tz).date()
    return day - timedelta(days=(day.weekday() + 2) % 7)  # the Saturday before (Iran's week)


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

    async def trends(self, tz: tzinfo) -> Trends:
        now = self.clock()
        async with self.db.read() as session:
            marks = await history.milestones(session, DECISIONS)
            reached = await history.statuses_reached(session)
        this_week = _week_of(now, tz)
        weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
        per_week = Counter(_week_of(created, tz) for created, *_ in marks)
        furthest: dict[int, int] = {}
        for idea_id, status in reached:
            if status in ROAD:
                furthest[idea_id] = max(furthest.get(idea_id, 0), ROAD.index(status))
        funnel = tuple(
            (status, sum(1 for f in furthest.values() if f >= i)) for i, status in enumerate(ROAD)
        )
        responses = [f - c for c, f, _, _ in marks if f is not None]
        decisions = [d - c for c, _, d, _ in marks if d is not None]
        # Still waiting: open ideas only (one withdrawn waits for nobody).
        still_open = [(f, d) for _, f, d, status in marks if STATUSES[status].open]
        return Trends(
            weekly=tuple((week, per_week.get(week, 0)) for week in weeks),
            funnel=funnel,
            response=_buckets(responses, sum(1 for f, _ in still_open if f is None)),
            decision=_buckets(decisions, sum(1 for _, d in still_open if d is None)),
            response_median_hours=(
                median(r.total_seconds() for r in responses) / 3600 if responses else None
            ),
            decision_median_days=(
                median(d.total_seconds() for d in decisions) / 86400 if decisions else None
            ),
        )
