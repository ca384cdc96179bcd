"""Shared by the benchmarks: feed scripted updates, time each, print figures."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiogram.types import Update

from bot.app import App, build_app
from bot.bots import IdeaBot
from bot.config import load_settings
from bot.platforms import Platform
from bot.testing import RecordingSession, recording_bot
from storage import Database

Feed = Callable[[Update], Awaitable[object]]


async def run(
    feed: Feed, scripts: list[list[Update]], concurrency: int
) -> tuple[float, list[float]]:
    """Feed every person's updates in order, `concurrency` people at a time.

    Returns the wall time and the latency of each update."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(updates: list[Update]) -> None:
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
        f"{name:<28} {len(latencies):>6} {unit}  {rate:>9.1f} {unit}/s  "
        f"p50 {cuts[49] * 1000:7.2f} ms  p99 {cuts[98] * 1000:7.2f} ms"
    )
    return rate


@asynccontextmanager
async def ideabot_on_sqlite(
    platform: Platform,
) -> AsyncIterator[tuple[App, IdeaBot, RecordingSession]]:
    """ideabot's real Dispatcher over a fresh SQLite file, with a recording bot."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        await db.upgrade()
        bot, session = recording_bot(platform)
        try:
            yield build_app(load_settings(database_url=url), db), bot, session
        finally:
            await db.dispose()


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
