"""The clock (DESIGN section 7). APScheduler 3.11 only wakes the sender and runs the
periodic and cron jobs; what must reach people is always rows in the database, so
its own job store is in memory and never the record of what was sent.

Each job is one call into a service, under a fixed id, never run twice at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger("ideabot.scheduler")

WAKE_EVERY = timedelta(seconds=2)
BROADCASTS_EVERY = timedelta(seconds=2)
SWEEP_EVERY = timedelta(seconds=30)
DEADLINES_EVERY = timedelta(minutes=10)
NUDGES_EVERY = timedelta(minutes=30)


def _guarded(name: str, job: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("job %s failed; it runs again at its next time", name)

    return run


def build_scheduler(app: App) -> AsyncIOScheduler:
    settings = app.settings
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    defaults: dict[str, Any] = {"max_instances": 1, "coalesce": True, "replace_existing": True}

    async def wake() -> None:
        app.sender.wake()

    async def sweep() -> None:
        await app.sender.sweep(
            timedelta(seconds=settings.delivery_stale_seconds), settings.reminder_grace
        )

    def every(job_id: str, job: Callable[[], Awaitable[Any]], period: timedelta) -> None:
        trigger = IntervalTrigger(seconds=period.total_seconds(), timezone=settings.tz)
        scheduler.add_job(_guarded(job_id, job), trigger, id=job_id, **defaults)

    every("wake-senders", wake, WAKE_EVERY)
    every("broadcasts", app.broadcasts.tick, BROADCASTS_EVERY)
    every("sweep", sweep, SWEEP_EVERY)
    every("call-deadlines", app.reminders.call_deadlines, DEADLINES_EVERY)
    if settings.draft_nudge is not None:
        every("draft-nudges", app.reminders.draft_nudges, NUDGES_EVERY)
    if settings.digest is not None:
        digest = settings.digest
        trigger = CronTrigger(
            day_of_week=digest.weekday, hour=digest.hour, minute=digest.minute, timezone=settings.tz
        )
        scheduler.add_job(
            _guarded("weekly-digest", app.reminders.weekly_digest),
            trigger,
            id="weekly-digest",
            misfire_grace_time=int(settings.reminder_grace.total_seconds()),
            **defaults,
        )
    return scheduler


async def run_clock(app: App, stop: asyncio.Event) -> None:
    """Sweep what a previous process left, then keep time and send until `stop`."""
    settings = app.settings
    await app.sender.sweep(
        timedelta(seconds=settings.delivery_stale_seconds), settings.reminder_grace
    )
    scheduler = build_scheduler(app)
    scheduler.start()
    log.info("clock started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        await app.sender.run(stop)
    finally:
        scheduler.shutdown(wait=False)
        log.info("clock stopped")
