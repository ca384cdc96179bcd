"""The clock. APScheduler 3.11 only wakes the sender and runs the periodic and cron
jobs; what must reach people is always rows in the database, so its own job store is in
memory and never the record of what was sent.

Each job is one call into a service, under a fixed id, never run twice at once; the
composition root says which call each job is (`Duties`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings

log = logging.getLogger("ideabot.scheduler")

WAKE_EVERY = timedelta(seconds=2)
BROADCASTS_EVERY = timedelta(seconds=2)
SWEEP_EVERY = timedelta(seconds=30)
DEADLINES_EVERY = timedelta(minutes=10)
OPENINGS_EVERY = timedelta(minutes=1)
NUDGES_EVERY = timedelta(minutes=30)
PRUNE_EVERY = timedelta(hours=6)

Job = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Duties:
    """What the clock does, each a call into a service (or the sender)."""

    wake: Callable[[], None]  # the sender looks for due rows
    sweep: Callable[[timedelta, timedelta], Awaitable[Any]]
    broadcasts: Job  # start due broadcasts, show their progress
    call_deadlines: Job
    call_openings: Callable[[timedelta], Awaitable[Any]]
    draft_nudges: Job
    weekly_digest: Job
    staff_summaries: Job  # the daily summary, to staff who chose one
    prune: Job  # forget old handled update ids and drafts untouched for too long
    send: Callable[[asyncio.Event], Awaitable[None]]  # the sender, until stopped


class Jobs:
    """Runs each job guarded: a failure is logged and the job runs again at its next
    time; on stop, no job starts and those running are waited for (bounded), so none
    is cut off with the database closed under it."""

    def __init__(self) -> None:
        self.running: set[asyncio.Task[Any]] = set()
        self.closing = False

    def guarded(self, name: str, job: Job) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if self.closing:
                return
            task = asyncio.current_task()
            if task is not None:
                self.running.add(task)
            try:
                await job()
            except Exception:
                log.exception("job %s failed; it runs again at its next time", name)
            finally:
                if task is not None:
                    self.running.discard(task)

        return run

    async def close(self, timeout: float = 30.0) -> None:
        self.closing = True
        if self.running:
            await asyncio.wait(set(self.running), timeout=timeout)


def build_scheduler(duties: Duties, settings: Settings, jobs: Jobs) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    defaults: dict[str, Any] = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    stale = timedelta(seconds=settings.delivery_stale_seconds)

    async def wake() -> None:
        duties.wake()

    async def sweep() -> None:
        await duties.sweep(stale, settings.reminder_grace)

    async def call_openings() -> None:
        await duties.call_openings(settings.reminder_grace)

    def every(job_id: str, job: Job, period: timedelta, *, at_start: bool = False) -> None:
        trigger = IntervalTrigger(seconds=period.total_seconds(), timezone=settings.tz)
        first = {"next_run_time": datetime.now(settings.tz)} if at_start else {}
        scheduler.add_job(jobs.guarded(job_id, job), trigger, id=job_id, **defaults, **first)

    every("wake-senders", wake, WAKE_EVERY)
    every("broadcasts", duties.broadcasts, BROADCASTS_EVERY)
    # Rows a dead process left `sending` are settled soon after they count as stale.
    every("sweep", sweep, max(timedelta(seconds=1), min(SWEEP_EVERY, stale)))
    every("call-deadlines", duties.call_deadlines, DEADLINES_EVERY)
    every("call-openings", call_openings, OPENINGS_EVERY)
    # However long the clock runs, the tables it prunes stay bounded.
    every("prune", duties.prune, PRUNE_EVERY, at_start=True)
    if settings.draft_nudge is not None:
        every("draft-nudges", duties.draft_nudges, NUDGES_EVERY)
    summary = CronTrigger(hour=settings.staff_summary_hour, minute=0, timezone=settings.tz)
    scheduler.add_job(
        jobs.guarded("staff-summaries", duties.staff_summaries),
        summary,
        id="staff-summaries",
        misfire_grace_time=int(settings.reminder_grace.total_seconds()),
        **defaults,
    )
    if settings.digest is not None:
        digest = settings.digest
        trigger = CronTrigger(
            day_of_week=digest.weekday, hour=digest.hour, minute=digest.minute, timezone=settings.tz
        )
        digest_job = jobs.guarded("weekly-digest", duties.weekly_digest)
        scheduler.add_job(
            digest_job,
            trigger,
            id="weekly-digest",
            misfire_grace_time=int(settings.reminder_grace.total_seconds()),
            **defaults,
        )
        # Its time passed while no clock ran (a restart at 10:01): once now, within the
        # grace. The digest's own key keeps it to one per person per day.
        now = datetime.now(settings.tz)
        last = trigger.get_next_fire_time(None, now - settings.reminder_grace)
        if last is not None and last <= now:
            scheduler.add_job(digest_job, id="weekly-digest-catch-up", **defaults)
    return scheduler


async def run_clock(duties: Duties, settings: Settings, stop: asyncio.Event) -> None:
    """Sweep what a previous process left, then keep time and send until `stop`."""
    await duties.sweep(timedelta(seconds=settings.delivery_stale_seconds), settings.reminder_grace)
    jobs = Jobs()
    scheduler = build_scheduler(duties, settings, jobs)
    scheduler.start()
    log.info("clock started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        await duties.send(stop)
    finally:
        await jobs.close()  # before the shutdown, which would cancel them mid-write
        scheduler.shutdown(wait=False)
        log.info("clock stopped")
