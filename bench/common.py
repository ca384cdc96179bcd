"""Shared by the benchmarks: feed scripted updates, time each, print figures."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from aiogram.types import Update

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
