"""The composition root: builds storage, the services, the platform's pieces and one
Application per platform with the handlers installed, and runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

import handlers
from bot.config import ConfigError, Settings
from bot.core.clock import Clock, utcnow
from bot.core.platforms import Platform
from bot.platform.bots import Connection, connect
from bot.platform.commands import CommandMenus
from bot.platform.gateway import Gateway
from bot.platform.messenger import BroadcastDeliveries, BroadcastReports, Messenger
from bot.platform.polling import Poller
from bot.platform.sender import Sender
from bot.platform.turn import Services
from bot.services.alerts import AlertService
from bot.services.broadcasts import BroadcastService
from bot.services.calls import CallService
from bot.services.conversations import ConversationService
from bot.services.events import EventService
from bot.services.export import ExportService
from bot.services.ideas import IdeaService
from bot.services.outbox import OutboxService
from bot.services.privacy import PrivacyService
from bot.services.reminders import AutomaticMessages
from bot.services.review import ReviewService
from bot.services.scoring import ScoringService
from bot.services.stats import StatsService
from bot.services.subscriptions import SubscriptionService
from bot.services.users import StaffDirectory, UserService
from scheduler import Duties, run_clock
from storage import Database

log = logging.getLogger(__name__)

# Builds one platform's connection (tests give one that records instead of sending).
Connect = Callable[[Platform], Connection]


@dataclass
class App(Services):
    """The services handlers use, and what runs them."""

    settings: Settings
    db: Database
    outbox: OutboxService
    sender: Sender
    messenger: Messenger
    reports: BroadcastReports
    reminders: AutomaticMessages
    connections: dict[Platform, Connection]
    # What is done when a platform is reached: its command menus are set.
    on_connect: Callable[[Connection], Awaitable[None]]
    gateway: Gateway = field(init=False)  # it needs the app itself

    def duties(self) -> Duties:
        return Duties(
            wake=self.sender.wake,
            sweep=self.sender.sweep,
            broadcasts=self.reports.tick,
            call_deadlines=self.reminders.call_deadlines,
            call_openings=self.reminders.call_openings,
            draft_nudges=self.reminders.draft_nudges,
            weekly_digest=self.reminders.weekly_digest,
            staff_summaries=self.staff_summaries,
            prune=self.prune,
            send=self.sender.run,
        )

    async def staff_summaries(self) -> None:
        await self.alerts.summaries(utcnow())

    async def prune(self) -> None:
        """Forget handled update ids older than the redelivery window we keep, and
        discard drafts untouched for DRAFT_TTL_DAYS."""
        keep = timedelta(days=self.settings.processed_updates_keep_days)
        pruned = await self.users.prune_processed_updates(keep)
        log.debug("pruned %d old processed update ids", pruned)
        discarded = await self.conversations.prune()
        if discarded:
            ttl = self.settings.draft_ttl_days
            log.info("discarded %d draft(s) untouched for %d days", discarded, ttl)


def real_connection(settings: Settings) -> Connect:
    def make(platform: Platform) -> Connection:
        token = settings.token_for(platform)
        assert token is not None
        return connect(platform, token, settings.api_url_for(platform))

    return make


def build_app(
    settings: Settings,
    db: Database | None = None,
    *,
    clock: Clock = utcnow,
    connection: Connect | None = None,
    platforms: tuple[Platform, ...] | None = None,
) -> App:
    """Everything, for the platforms with a token (tests give their own connections,
    for both platforms, and a clock they control)."""
    db = db or Database(settings.database_url)
    tz = settings.tz
    served = platforms or settings.enabled_platforms or tuple(Platform)
    users = UserService(db)
    staff = StaffDirectory(settings.staff, db)
    calls = CallService(db, clock)
    conversations = ConversationService(
        db, tz, draft_ttl=timedelta(days=settings.draft_ttl_days), clock=clock
    )
    conversations.source("calls", calls.open_for)
    outbox = OutboxService(db, clock)
    sender = Sender(outbox, {p: settings.rate_for(p) for p in Platform}, clock=clock)
    messenger = Messenger(outbox, sender, tz, settings.default_locale)
    alerts = AlertService(db, staff, messenger)
    review = ReviewService(db, messenger, staff, alerts, clock, auto_assign=settings.auto_assign)
    ideas = IdeaService(
        db,
        conversations,
        messenger,
        tz,
        settings.daily_submission_limit,
        clock,
        arrived=review.arrived,
    )
    broadcasts = BroadcastService(db, messenger, served, clock)
    conversations.source("audience", broadcasts.audience_options)
    deliveries = BroadcastDeliveries(broadcasts, messenger)
    sender.source("broadcast", deliveries)
    menus = CommandMenus(staff, settings.default_locale)
    reminders = AutomaticMessages(
        db,
        messenger,
        tz,
        call_offsets=settings.call_reminders,
        draft_nudge=settings.draft_nudge,
        clock=clock,
    )
    make = connection or real_connection(settings)
    connections = {platform: make(platform) for platform in served}
    app = App(
        users=users,
        staff=staff,
        conversations=conversations,
        ideas=ideas,
        review=review,
        alerts=alerts,
        scoring=ScoringService(db),
        calls=calls,
        events=EventService(db, messenger, settings.event_reminders, clock),
        subscriptions=SubscriptionService(db),
        broadcasts=broadcasts,
        privacy=PrivacyService(db),
        stats=StatsService(db, clock),
        exports=ExportService(db, tz),
        menus=menus,
        tz=tz,
        default_locale=settings.default_locale,
        settings=settings,
        db=db,
        outbox=outbox,
        sender=sender,
        messenger=messenger,
        reports=BroadcastReports(broadcasts, messenger, deliveries),
        reminders=reminders,
        connections=connections,
        on_connect=menus,
    )
    for found in connections.values():
        messenger.attach(found)
        menus.attach(found)
        handlers.install(found.application)
    app.gateway = Gateway(db.unit, app, connections)
    return app


async def open_database(url: str) -> Database:
    """Open and migrate the database; a failure is a configuration mistake."""
    db: Database | None = None
    try:
        db = Database(url)
        await db.upgrade()
    except (OSError, SQLAlchemyError) as exc:
        if db is not None:
            await db.dispose()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError([f"DATABASE_URL: cannot open the database ({reason})"]) from None
    return db


def _stop_on_signals(stop: asyncio.Event | None = None) -> asyncio.Event:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def close(app: App) -> None:
    log.info("stopping: closing connections")
    for found in app.connections.values():
        with contextlib.suppress(Exception):
            await found.application.shutdown()
        for request in (found.bot.request, found.updates):
            with contextlib.suppress(Exception):
                await request.shutdown()
    await app.db.dispose()
    log.info("stopped")


async def serve(
    settings: Settings, stop: asyncio.Event | None = None, *, with_clock: bool = True
) -> None:
    """Poll every platform that has a token until SIGINT/SIGTERM (or until `stop` is
    set); with the clock (the scheduler and the sender) unless another process runs it."""
    db = await open_database(settings.database_url)
    app = build_app(settings, db)
    stop = _stop_on_signals(stop)
    jobs = [
        Poller(found, _handler(app, platform), stop, on_connect=app.on_connect).run()
        for platform, found in app.connections.items()
    ]
    if with_clock:
        jobs.append(run_clock(app.duties(), settings, stop))
    log.info("ideabot serving %s", ", ".join(p.value for p in app.connections))
    try:
        # One job failing stops the others before anything is closed under them.
        async with asyncio.TaskGroup() as group:
            for job in jobs:
                group.create_task(job)
    finally:
        stop.set()
        await close(app)


def _handler(app: App, platform: Platform) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def handle(raw: dict[str, Any]) -> None:
        await app.gateway.handle(platform, raw)

    return handle


async def serve_clock(settings: Settings) -> None:
    """Only the clock and the sender (`ideabot scheduler`), beside bot processes run
    with `--no-scheduler`."""
    db = await open_database(settings.database_url)
    app = build_app(settings, db)
    stop = _stop_on_signals()
    for found in app.connections.values():
        with contextlib.suppress(Exception):  # its username, for reports; sending works without
            await found.application.initialize()
    log.info("ideabot clock sending for %s", ", ".join(p.value for p in app.connections))
    try:
        await run_clock(app.duties(), settings, stop)
    finally:
        await close(app)
