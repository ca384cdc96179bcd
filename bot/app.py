"""The composition root: builds storage, the services, the platform's pieces and one
Application per platform with the handlers installed, and runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

import handlers
from bot.config import ConfigError, Settings
from bot.console.server import console_app
from bot.console.site import Console
from bot.core.clock import Clock, utcnow
from bot.core.links import invite_link
from bot.core.platforms import PROFILES, Platform
from bot.platform.bots import Connection, bot_username, connect, download
from bot.platform.commands import CommandMenus
from bot.platform.gateway import Gateway
from bot.platform.messenger import BroadcastDeliveries, BroadcastReports, Messenger
from bot.platform.polling import Backoff, Poller
from bot.platform.sender import Sender
from bot.platform.turn import Services
from bot.platform.webhook import describe, register, unregister, webhook_app
from bot.services.alerts import AlertService
from bot.services.broadcasts import BroadcastService
from bot.services.calls import CallService
from bot.services.console import ConsoleService
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
from storage.cluster import Leadership, SoleClock, clustered

log = logging.getLogger(__name__)
# How long stopping waits for notices still going out in the background.
SETTLE_S = 15.0

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
        await self.console.prune()
        discarded = await self.conversations.prune()
        if discarded:
            ttl = self.settings.draft_ttl_days
            log.info("discarded %d draft(s) untouched for %d days", discarded, ttl)


def real_connection(settings: Settings, role: str | None = None) -> Connect:
    def make(platform: Platform) -> Connection:
        token = settings.token_for(platform)
        assert token is not None
        return connect(platform, token, settings.api_url_for(platform), role=role)

    return make


def build_app(
    settings: Settings,
    db: Database | None = None,
    *,
    clock: Clock = utcnow,
    connection: Connect | None = None,
    platforms: tuple[Platform, ...] | None = None,
    sends: bool = True,
    webhook: bool = False,
) -> App:
    """Everything, for the platforms with a token (tests give their own connections,
    for both platforms, and a clock they control). A process that does not `send`
    leaves the outbox to the one that does, and announces the rows it wrote; a
    `webhook` process keeps each update's replies, to send again if it comes again."""
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
    messenger = Messenger(outbox, sender, tz, settings.default_locale, sends=sends)
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
        console=ConsoleService(db, staff, clock),
        console_url=settings.console_address,
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
    app.gateway = Gateway(db.unit, app, connections, replay=webhook)
    return app


def console_of(app: App) -> Console:
    """The staff console's pages over this app's services; files come through the bot
    of the platform that received them."""

    async def fetch(platform: Platform, file_id: str) -> bytes:
        return await download(app.connections[platform], file_id)

    def invite(platform: Platform, token: str) -> str | None:
        found = app.connections.get(platform)
        username = bot_username(found) if found is not None else None
        return invite_link(PROFILES[platform], username, token) if username else None

    return Console(
        sessions=app.console,
        review=app.review,
        scoring=app.scoring,
        stats=app.stats,
        calls=app.calls,
        events=app.events,
        broadcasts=app.broadcasts,
        staff=app.staff,
        tz=app.tz,
        default_locale=app.default_locale,
        fetch_file=fetch,
        invite_link=invite,
        public_url=app.console_url or "",
    )


async def start_console(app: App) -> web.AppRunner | None:
    """Serve the staff console on CONSOLE_BIND (None when it is off)."""
    bind = app.settings.console_bind
    if bind is None:
        return None
    runner = web.AppRunner(console_app(console_of(app)), access_log=None, handle_signals=False)
    await runner.setup()
    host, port = bind
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(
            [
                f"CONSOLE_BIND: cannot listen on {host}:{port} ({exc.strerror or exc}); "
                "choose another address, or set CONSOLE_BIND=off"
            ]
        ) from None
    log.info("staff console on %s:%s, opened at %s/console/", host, port, app.console_url)
    return runner


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


async def _disconnect(found: Connection) -> None:
    with contextlib.suppress(Exception):
        await found.application.shutdown()
    for request in (found.bot.request, found.updates):
        with contextlib.suppress(Exception):
            await request.shutdown()


@contextlib.contextmanager
def sole_clock(settings: Settings) -> Iterator[None]:
    """On SQLite, this process is the database's only sender and clock, or it does not
    start: two would send everything twice."""
    lock = SoleClock(settings.database_url)
    if not clustered(settings.database_url) and not lock.take():
        raise ConfigError(
            [
                "DATABASE_URL: another ideabot process already sends and keeps the clock "
                "for this SQLite database (run one, or `run --no-scheduler` beside it; "
                "several workers need PostgreSQL)"
            ]
        )
    try:
        yield
    finally:
        lock.release()


async def close(app: App) -> None:
    # A notice handed to the background by an update handled while stopping is sent
    # (or left pending) before the connections close under it.
    try:
        await asyncio.wait_for(app.sender.settled(), SETTLE_S)
    except TimeoutError:
        log.warning("stopping: notices still going out after %.0f s", SETTLE_S)
    log.info("stopping: closing connections")
    for found in app.connections.values():
        await _disconnect(found)
    await app.db.dispose()
    log.info("stopped")


async def serve(
    settings: Settings, stop: asyncio.Event | None = None, *, with_clock: bool = True
) -> None:
    """Poll every platform that has a token until SIGINT/SIGTERM (or until `stop` is
    set); with the clock (the scheduler and the sender) unless another process runs it."""
    with sole_clock(settings) if with_clock else contextlib.nullcontext():
        await _serve(settings, stop, with_clock=with_clock)


async def _serve(settings: Settings, stop: asyncio.Event | None, *, with_clock: bool) -> None:
    db = await open_database(settings.database_url)
    # On PostgreSQL the sender is whichever process holds the cluster's lead (this one's
    # clock, if it takes it): this process only writes rows and wakes it. On SQLite (one
    # machine, one writer) it sends what it writes at once, as before.
    app = build_app(settings, db, sends=not clustered(settings.database_url))
    try:
        console = await start_console(app)
    except ConfigError:
        await close(app)
        raise
    stop = _stop_on_signals(stop)
    jobs = [
        Poller(found, _handler(app, platform), stop, on_connect=app.on_connect).run()
        for platform, found in app.connections.items()
    ]
    if with_clock:
        jobs.append(_clock(app, settings, stop))
    log.info("ideabot serving %s", ", ".join(p.value for p in app.connections))
    try:
        # One job failing stops the others before anything is closed under them.
        async with asyncio.TaskGroup() as group:
            for job in jobs:
                group.create_task(job)
    except* LeadLost:
        raise LeadLost from None
    finally:
        stop.set()
        if console is not None:
            await console.cleanup()
        await close(app)


async def _clock(
    app: App,
    settings: Settings,
    stop: asyncio.Event,
    on_lead: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """The clock and the sender until `stop`. On PostgreSQL only while this process holds
    the cluster's lead: it stands by until then, settles what a dead holder left in
    hand, listens for the workers' NOTIFY, and raises LeadLost if the lead goes."""
    if not clustered(settings.database_url):
        if on_lead is not None:
            await on_lead()
        await run_clock(app.duties(), settings, stop)
        return
    leader = Leadership(settings.database_url)

    def waiting() -> None:
        log.info("clock: standing by while another process sends and keeps the clock")

    try:
        if not await leader.acquire(stop, waiting=waiting):
            return
        await leader.listen(app.sender.wake)
        # Whatever the previous holder had in hand, it will never finish.
        await app.sender.sweep(timedelta(0), settings.reminder_grace)
        if on_lead is not None:
            await on_lead()
        ending = asyncio.Event()
        async with asyncio.TaskGroup() as group:
            group.create_task(run_clock(app.duties(), settings, ending))
            group.create_task(leader.keep(ending))
            await _first(stop, ending)
            ending.set()
        if leader.lost:
            raise LeadLost
    finally:
        await leader.release()


def _handler(app: App, platform: Platform) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def handle(raw: dict[str, Any]) -> None:
        await app.gateway.handle(platform, raw)

    return handle


async def _initialize(connection: Connection, stop: asyncio.Event) -> bool:
    """Reach the platform once (its bot's name, for links), trying again with backoff
    until it answers; False if stopped first."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            await connection.application.initialize()
            return True
        except Exception as exc:  # unreachable, or refused: a worker waits, never dies
            delay = backoff.next()
            log.warning("%s: unreachable (%s); next try in %.0f s", connection.platform, exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
    return False


class LeadLost(Exception):
    """The clock's lock went with its connection: another process may hold it now."""


async def serve_clock(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Only the clock and the sender (`ideabot scheduler`), beside bot processes that do
    not send. On PostgreSQL it first takes the cluster's lock, waiting as a standby while
    another process holds it; it then settles what a dead holder left in hand, and the
    workers' NOTIFY wakes its sender."""
    with sole_clock(settings):
        await _serve_clock(settings, stop)


async def _serve_clock(settings: Settings, stop: asyncio.Event | None) -> None:
    db = await open_database(settings.database_url)
    app = build_app(settings, db, connection=real_connection(settings, "clock"))
    stop = _stop_on_signals(stop)

    async def on_lead() -> None:
        for found in app.connections.values():
            try:  # its name, for reports, and the command menus, once for the cluster
                await found.application.initialize()
                await app.on_connect(found)
            except Exception as exc:  # sending works without either
                log.warning("%s: not reached at start (%s); sending anyway", found.platform, exc)
        log.info("ideabot clock sending for %s", ", ".join(p.value for p in app.connections))

    try:
        await _clock(app, settings, stop, on_lead)
    finally:
        await close(app)


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


async def serve_webhook(
    settings: Settings, host: str, port: int, stop: asyncio.Event | None = None
) -> None:
    """A webhook worker (`ideabot webhook serve`). On PostgreSQL it only writes: rows go
    to the outbox, NOTIFY wakes the one sender (`ideabot scheduler`). On SQLite it is
    the one process there is, so it sends and keeps the clock itself."""
    errors = settings.webhook_problems(registering=False)
    if errors:
        raise ConfigError(errors)
    with sole_clock(settings):
        await _serve_webhook(settings, host, port, stop)


async def _serve_webhook(
    settings: Settings, host: str, port: int, stop: asyncio.Event | None
) -> None:
    secret = settings.webhook_secret
    assert secret is not None
    db = await open_database(settings.database_url)
    alone = not clustered(settings.database_url)
    app = build_app(
        settings,
        db,
        connection=real_connection(settings, "webhook"),
        sends=alone,
        webhook=True,
    )
    stop = _stop_on_signals(stop)
    ready: set[Platform] = set()

    async def handle(platform: Platform, raw: dict[str, Any]) -> bool:
        # Until its platform was reached once, an update is left for it to send again.
        return platform in ready and await app.gateway.handle(platform, raw)

    async def reach(found: Connection) -> None:
        if await _initialize(found, stop):
            ready.add(found.platform)

    runner = web.AppRunner(
        webhook_app(handle, secret, tuple(app.connections)),
        access_log=None,
        handle_signals=False,
        shutdown_timeout=30.0,  # updates in hand are finished, then answered
    )
    console = None
    try:
        console = await start_console(app)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info(
            "ideabot webhook worker on %s:%s for %s",
            host,
            port,
            ", ".join(p.value for p in app.connections),
        )
        async with asyncio.TaskGroup() as group:
            for found in app.connections.values():
                group.create_task(reach(found))
            if alone:
                group.create_task(run_clock(app.duties(), settings, stop))
            await stop.wait()
    finally:
        stop.set()
        await runner.cleanup()
        if console is not None:
            await console.cleanup()
        await close(app)


def _last_error(error: str | None, at: datetime | None) -> str:
    if not error:
        return "none"
    return f"{error} (at {at:%Y-%m-%d %H:%M} UTC)" if at is not None else error


async def webhook_task(settings: Settings, task: str) -> list[str]:
    """`ideabot webhook set | delete | info`: once, for every platform with a token;
    returns what to print, a line per platform."""
    if task == "set":
        errors = settings.webhook_problems(registering=True)
        if errors:
            raise ConfigError(errors)
    # At DEBUG the framework logs each request's parameters: the secret among them.
    framework = logging.getLogger("telegram")
    framework.setLevel(max(framework.getEffectiveLevel(), logging.INFO))
    secret = settings.webhook_secret or ""
    make = real_connection(settings)
    lines = []
    for platform in settings.enabled_platforms:
        connection = make(platform)
        try:
            await connection.application.initialize()
            if task == "set":
                assert settings.webhook_base_url is not None
                url = await register(
                    connection, settings.webhook_base_url, secret, settings.webhook_max_connections
                )
                lines.append(f"{platform.value}: webhook set to {url}")
            elif task == "delete":
                await unregister(connection)
                lines.append(f"{platform.value}: webhook deleted (updates wait for a poller)")
            else:
                info = await describe(connection, secret)
                lines.append(
                    f"{platform.value}: {info.url or 'no webhook (polling)'}; "
                    f"{info.pending if info.pending is not None else '?'} update(s) waiting; "
                    f"max connections {info.max_connections or '-'}; "
                    f"last error: {_last_error(info.last_error, info.last_error_at)}"
                )
        finally:
            await _disconnect(connection)
    return lines
