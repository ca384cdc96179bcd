"""The app factory: wires storage, services, middlewares, routers and Bots."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Dispatcher, F
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy.exc import SQLAlchemyError

import handlers
from bot.bots import IdeaBot, make_bot
from bot.broadcasts import BroadcastService
from bot.calls import CallService
from bot.commands import CommandMenus
from bot.config import ConfigError, Settings
from bot.delivery import Clock, Sender
from bot.events import EventService
from bot.export import ExportService
from bot.i18n import CatalogI18n, make_i18n
from bot.ideas import IdeaService
from bot.intake.engine import IntakeEngine
from bot.messenger import Messenger
from bot.middlewares import CallbackAnswerer, LocaleMiddleware, UpdateGate
from bot.platforms import Platform
from bot.polling import Poller
from bot.privacy import PrivacyService
from bot.reminders import AutomaticMessages
from bot.review import ReviewService
from bot.stats import StatsService
from bot.subscriptions import SubscriptionService
from bot.users import StaffDirectory, UserService
from storage import Database
from storage.fsm import SQLStorage
from storage.models import utcnow

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    i18n: CatalogI18n
    dispatcher: Dispatcher
    users: UserService
    staff: StaffDirectory
    intake: IntakeEngine
    ideas: IdeaService
    messenger: Messenger
    review: ReviewService
    sender: Sender
    calls: CallService
    events: EventService
    subscriptions: SubscriptionService
    broadcasts: BroadcastService
    reminders: AutomaticMessages
    menus: CommandMenus


def build_app(
    settings: Settings,
    db: Database | None = None,
    *,
    storage: BaseStorage | None = None,
    isolation: BaseEventIsolation | None = None,
    clock: Clock = utcnow,
) -> App:
    """Everything but the Bots; tests pass their own Bots with a recording session
    (and a clock they control)."""
    db = db or Database(settings.database_url)
    i18n = make_i18n(settings.default_locale)
    users = UserService(db)
    staff = StaffDirectory(settings.staff, db)
    calls = CallService(db, clock)
    intake = IntakeEngine(db, calls, draft_ttl=timedelta(days=settings.draft_ttl_days))
    ideas = IdeaService(db, intake, settings.tz, settings.daily_submission_limit, clock)
    rates = {platform: settings.rate_for(platform) for platform in Platform}
    sender = Sender(db, rates, clock=clock)
    messenger = Messenger(db, i18n, sender)
    review = ReviewService(db, messenger)
    events = EventService(db, messenger, settings.event_reminders, settings.tz, clock)
    subscriptions = SubscriptionService(db)
    served = settings.enabled_platforms or tuple(Platform)  # tests configure no tokens
    broadcasts = BroadcastService(db, messenger, served, clock)
    sender.source("broadcast", broadcasts)
    reminders = AutomaticMessages(
        db,
        messenger,
        settings.tz,
        call_offsets=settings.call_reminders,
        draft_nudge=settings.draft_nudge,
        clock=clock,
    )
    menus = CommandMenus(i18n, staff, settings.default_locale)
    dp = Dispatcher(
        storage=storage or SQLStorage(db),
        events_isolation=isolation or SimpleEventIsolation(),
        settings=settings,
        users=users,
        staff=staff,
        i18n=i18n,
        intake=intake,
        ideas=ideas,
        privacy=PrivacyService(db),
        review=review,
        stats=StatsService(db),
        exports=ExportService(db, settings.tz),
        calls=calls,
        events=events,
        subscriptions=subscriptions,
        broadcasts=broadcasts,
        menus=menus,
    )
    dp.update.outer_middleware(UpdateGate(users, staff))
    dp.update.outer_middleware(LocaleMiddleware(i18n))
    dp.callback_query.outer_middleware(CallbackAnswerer())
    # ideabot talks with people one to one; groups and channels are not its place.
    dp.message.filter(F.chat.type == "private")
    dp.callback_query.filter(F.message.chat.type == "private")
    dp.include_routers(*handlers.routers())
    return App(
        settings,
        db,
        i18n,
        dp,
        users,
        staff,
        intake,
        ideas,
        messenger,
        review,
        sender,
        calls,
        events,
        subscriptions,
        broadcasts,
        reminders,
        menus,
    )


def build_bots(settings: Settings) -> list[IdeaBot]:
    bots = []
    for platform in settings.enabled_platforms:
        token = settings.token_for(platform)
        assert token is not None
        bots.append(make_bot(platform, token, settings.api_url_for(platform)))
    return bots


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


async def _prepare(settings: Settings) -> tuple[App, list[IdeaBot]]:
    db = await open_database(settings.database_url)
    app = build_app(settings, db)
    bots = build_bots(settings)
    for bot in bots:
        app.messenger.attach(bot)
        app.menus.attach(bot)
    return app, bots


def _stop_on_signals(stop: asyncio.Event | None = None) -> asyncio.Event:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _close(app: App, bots: list[IdeaBot]) -> None:
    log.info("stopping: closing sessions")
    for bot in bots:
        await bot.session.close()
    await app.dispatcher.storage.close()
    await app.dispatcher.fsm.events_isolation.close()
    await app.db.dispose()
    log.info("stopped")


async def serve(
    settings: Settings, stop: asyncio.Event | None = None, *, with_clock: bool = True
) -> None:
    """Poll every platform that has a token until SIGINT/SIGTERM (or until `stop` is
    set); with the clock (the scheduler and the sender) unless another process runs it."""
    app, bots = await _prepare(settings)
    pruned = await app.users.prune_processed_updates(
        timedelta(days=settings.processed_updates_keep_days)
    )
    log.debug("pruned %d old processed update ids", pruned)
    discarded = await app.intake.prune()
    if discarded:
        log.info("discarded %d draft(s) untouched for %d days", discarded, settings.draft_ttl_days)
    stop = _stop_on_signals(stop)
    pollers = [Poller(app.dispatcher, bot, stop, on_connect=app.menus) for bot in bots]
    jobs = [poller.run() for poller in pollers]
    if with_clock:
        from scheduler import run_clock

        jobs.append(run_clock(app, stop))
    log.info("ideabot serving %s", ", ".join(b.platform.value for b in bots))
    try:
        await asyncio.gather(*jobs)
    finally:
        stop.set()
        await _close(app, bots)


async def serve_clock(settings: Settings) -> None:
    """Only the clock and the sender (`ideabot scheduler`), beside bot processes run
    with `--no-scheduler`."""
    from scheduler import run_clock

    app, bots = await _prepare(settings)
    stop = _stop_on_signals()
    log.info("ideabot clock sending for %s", ", ".join(b.platform.value for b in bots))
    try:
        await run_clock(app, stop)
    finally:
        await _close(app, bots)
