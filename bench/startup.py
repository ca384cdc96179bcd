"""Benchmark: how soon a freshly started bot first answers `/start`, and how much memory
it holds once settled: `ideabot run` beside a bare python-telegram-bot echo bot, both as
real processes long-polling the project's fake Bot API server, in the same run.

    python -m bench.startup [--rounds 3] [--settle 5]

Each round starts each bot cold (a new process; ideabot on a database migrated
beforehand, as on any restart), with `/start` already waiting; the figures are the
medians over the rounds. One more ideabot start on a new database shows what the first
migration adds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.devtools.fakeapi import FakeBotAPI, Flavour
from storage import Database

TOKEN = "123456:BENCH-startup-token"


@dataclass
class Start:
    first_answer: float  # seconds from the process's start to the first message it sent
    rss_mb: float  # resident memory once settled


def ideabot_command() -> list[str]:
    script = Path(sys.executable).with_name("ideabot")
    return [str(script), "run"] if script.exists() else [sys.executable, "-m", "bot", "run"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def start_once(command: list[str], env: dict[str, str], settle: float) -> Start:
    async with FakeBotAPI(Flavour.TELEGRAM, token=TOKEN) as server:
        person = server.person(7, "Sara")
        person.send("/start")
        full_env = {**os.environ, **env, "TELEGRAM_API_URL": server.url, "ECHO_API_URL": server.url}
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command,
            env=full_env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await person.next_message(timeout=60)
            answered = time.perf_counter() - started
            await asyncio.sleep(settle)
            memory = rss_mb(process.pid)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
    return Start(answered, memory)


def ideabot_env(database: Path) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }


async def migrated(database: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{database}")
    await db.upgrade()
    await db.dispose()


def median(starts: list[Start]) -> Start:
    return Start(
        statistics.median(s.first_answer for s in starts),
        statistics.median(s.rss_mb for s in starts),
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before reading RSS")
    args = parser.parse_args()
    echo_command = [sys.executable, "-m", "bench.echo_bot"]
    echo_env = {"ECHO_TOKEN": TOKEN}
    echoes: list[Start] = []
    ours: list[Start] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.rounds):  # interleaved, so neither gets the warmer machine
            database = Path(folder) / f"round{n}.db"
            await migrated(database)
            echoes.append(await start_once(echo_command, echo_env, args.settle))
            ours.append(await start_once(ideabot_command(), ideabot_env(database), args.settle))
        fresh = await start_once(ideabot_command(), ideabot_env(Path(folder) / "new.db"), 0.5)
    echo, mine = median(echoes), median(ours)
    print(f"start-up to the first answer of /start, median of {args.rounds} cold starts")
    print(f"  {'':34} {'first answer':>12}  {'RSS after ' + f'{args.settle:g} s':>14}")
    for name, figures in (("bare python-telegram-bot echo bot", echo), ("ideabot run", mine)):
        print(f"  {name:34} {figures.first_answer:11.2f}s  {figures.rss_mb:11.1f} MB")
    print(
        f"  ideabot after the echo bot: {mine.first_answer - echo.first_answer:+.2f} s "
        f"(ratio {mine.first_answer / echo.first_answer:.2f}); "
        f"memory ratio {mine.rss_mb / echo.rss_mb:.2f}"
    )
    print(f"  ideabot on a new database (migrating first): {fresh.first_answer:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
