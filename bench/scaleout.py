"""Benchmark: webhook workers on PostgreSQL, 1 and then 2 of them, in one run.

    python -m bench.scaleout [--people 40] [--rounds 10] [--database URL]

Each time: a fresh database, `ideabot webhook serve` processes and one `ideabot
scheduler`, and the fake Telegram server posting updates as Telegram does (a chat's
next update after the previous was answered) to the workers in turn. Every person
sends /help and /about, `--rounds` times, each time waiting for the answer: the figure
is updates per second, and p50/p99 from the update's post to the reply's arrival. The
ratio is 2 workers against 1. The database is a PostgreSQL server (default: the local
one, a database `ideabot_bench` made afresh each time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg
from sqlalchemy.engine import make_url

from bot.devtools.fakeapi import FakeBotAPI, Flavour, Person

TOKEN = "333333:SCALEOUT-bench-token"
SECRET = "scaleout-bench-webhook-secret-0123456789"
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/ideabot_bench"


def ideabot(*args: str) -> list[str]:
    """The installed `ideabot` beside this Python, or the module if there is none."""
    script = Path(sys.executable).with_name("ideabot")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return [*base, *args]


async def fresh_database(url: str) -> None:
    """Drop and create the database: only one whose name says it is for this."""
    parsed = make_url(url)
    if not str(parsed.database or "").endswith("_bench"):
        raise SystemExit(
            f"bench.scaleout drops its database: name one ending in _bench, not {parsed.database!r}"
        )
    admin = parsed.set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthy(port: int) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the worker on {port} never answered")


async def chat(person: Person, rounds: int, latencies: list[float]) -> None:
    for _ in range(rounds):
        for text in ("/help", "/about"):
            started = time.perf_counter()
            person.send(text)
            await person.next_message(timeout=60)
            latencies.append(time.perf_counter() - started)


async def measure(workers: int, people: int, rounds: int, url: str) -> tuple[float, list[float]]:
    await fresh_database(url)
    server = FakeBotAPI(Flavour.TELEGRAM, token=TOKEN)
    await server.start()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": url,
        "WEBHOOK_BASE_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
    }
    processes: list[asyncio.subprocess.Process] = []
    with tempfile.TemporaryDirectory() as folder:
        log = (Path(folder) / "processes.log").open("ab")

        async def start(*args: str) -> None:
            processes.append(
                await asyncio.create_subprocess_exec(
                    *ideabot(*args),
                    env=env,
                    stdout=log,
                    stderr=log,
                    stdin=asyncio.subprocess.DEVNULL,
                )
            )

        try:
            upgrade = await asyncio.create_subprocess_exec(
                *ideabot("db", "upgrade"), env=env, stdout=log, stderr=log
            )
            await upgrade.wait()
            ports = [free_port() for _ in range(workers)]
            for port in ports:
                await start("webhook", "serve", "--port", str(port))
            await start("scheduler")
            for port in ports:
                await healthy(port)
            server.deliver_to(
                *(f"http://127.0.0.1:{port}/telegram" for port in ports), secret_token=SECRET
            )
            crowd = [server.person(20_000 + n, f"P{n}") for n in range(people)]
            # One round first, so that no figure holds a start-up.
            await asyncio.gather(*(chat(p, 1, []) for p in crowd))
            latencies: list[float] = []
            started = time.perf_counter()
            await asyncio.gather(*(chat(p, rounds, latencies) for p in crowd))
            return time.perf_counter() - started, latencies
        finally:
            for process in processes:
                if process.returncode is None:
                    process.terminate()
            await asyncio.gather(*(p.wait() for p in processes))
            await server.stop()
            log.close()


async def main(people: int, rounds: int, url: str) -> None:
    print(f"{people} people at once, {rounds} rounds of /help and /about; PostgreSQL")
    rates = {}
    for workers in (1, 2):
        elapsed, latencies = await measure(workers, people, rounds, url)
        cuts = statistics.quantiles(latencies, n=100)
        rates[workers] = len(latencies) / elapsed
        print(
            f"{workers} worker(s): {len(latencies):>6} updates  {rates[workers]:>8.1f} updates/s  "
            f"p50 {cuts[49] * 1000:7.1f} ms  p99 {cuts[98] * 1000:7.1f} ms"
        )
    print(f"ratio 2 workers / 1 worker: {rates[2] / rates[1]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_URL))
    args = parser.parse_args()
    asyncio.run(main(args.people, args.rounds, args.database))
