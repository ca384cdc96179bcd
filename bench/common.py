"""Shared by the benchmarks: feed scripted updates, time each, print figures; and the
bare python-telegram-bot Application the baselines run on."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ExtBot

from bot.app import App, build_app
from bot.config import load_settings
from bot.core.platforms import Platform
from bot.devtools.recording import TOKENS, RecordingRequest, recorded
from bot.platform.gateway import fill_gaps
from storage import Database

Raw = dict[str, Any]
Feed = Callable[[Raw], Awaitable[object]]


async def run(feed: Feed, scripts: list[list[Raw]], concurrency: int) -> tuple[float, list[float]]:
    """Feed every person's updates in order, `concurrency` people at a time.

    Returns the wall time and the latency of each update."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(updates: list[Raw]) -> None:
        async with gate:
            for update in updates:
                started = time.perf_counter()
                await feed(update)
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(s) for s in scripts))
    return time.perf_counter() - started, latencies


def describe(name: str, elapsed: float, latencies: list[float], unit: str = "updates") -> float:
    rate = len(latencies) / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<30} {len(latencies):>6} {unit}  {rate:>9.1f} {unit}/s  "
        f"p50 {cuts[49] * 1000:7.2f} ms  p99 {cuts[98] * 1000:7.2f} ms"
    )
    return rate


@asynccontextmanager
async def ideabot_on_sqlite() -> AsyncIterator[App]:
    """ideabot's real Applications over a fresh SQLite file, their requests recorded."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        await db.upgrade()
        app = build_app(load_settings(database_url=url), db, connection=recorded)
        for connection in app.connections.values():
            await connection.application.initialize()
        try:
            yield app
        finally:
            await app.sender.settled()  # receipts still going out in the background
            await db.dispose()


@dataclass
class Statements:
    """What SQLite ran while it was watched: statements (besides BEGIN and COMMIT),
    transactions (each BEGIN, whether it reads or writes) and commits."""

    statements: int = 0
    transactions: int = 0
    commits: int = 0

    def per(self, steps: int) -> str:
        return (
            f"{self.statements / steps:.2f} statements, {self.transactions / steps:.2f} "
            f"transactions, {self.commits / steps:.2f} commits per step"
        )

    def count(self, sql: str) -> None:
        verb = sql.lstrip()[:8].upper()
        if verb.startswith("BEGIN"):
            self.transactions += 1
        elif verb.startswith(("COMMIT", "END")):
            self.commits += 1
        elif not verb.startswith("ROLLBACK"):
            self.statements += 1


def watch(app: App) -> Statements:
    """Count what ideabot asks of its database from now on, as SQLite itself sees it."""
    counts = Statements()
    app.db.trace(counts.count)
    return counts


BareApplication = Application[ExtBot[None], Any, Any, Any, Any, None]


@asynccontextmanager
async def bare_application(platform: Platform) -> AsyncIterator[BareApplication]:
    """A bare python-telegram-bot Application, its requests recorded: the framework's
    floor, with no database, no conversation engine and no texts."""
    request = RecordingRequest(platform)
    application: BareApplication = (
        ApplicationBuilder()
        .token(TOKENS[platform])
        .request(request)
        .get_updates_request(request)
        .updater(None)
        .job_queue(None)
        .build()
    )
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()


def bare_feed(application: BareApplication) -> Feed:
    async def feed(raw: Raw) -> None:  # Bale's gaps filled, as any bot for Bale must
        await application.process_update(Update.de_json(fill_gaps(raw), application.bot))

    return feed


def compare(
    title: str,
    unit: str,
    base: tuple[float, list[float]],
    ours: tuple[float, list[float]],
    base_name: str,
    our_name: str,
) -> None:
    print(title)
    base_rate = describe(base_name, *base, unit)
    rate = describe(our_name, *ours, unit)
    print(f"ratio ideabot/bare: {rate / base_rate:.3f} of the baseline's throughput")
