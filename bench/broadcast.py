"""Benchmark: one broadcast to many people through ideabot's one sender, against the
project's fake Bot API server (in its own process) with latency added to every send.

    python -m bench.broadcast [--recipients 100000] [--rate 500] [--latency 0.1]

Prints the messages per second against the configured rate (the ratio), the same
against a bare python-telegram-bot loop under the same token bucket (no database)
measured in the same run, the peak memory of the sending process, and the time from
the broadcast falling due to its first message.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.request import RequestData

from bot.app import build_app
from bot.config import load_settings
from bot.core.platforms import PROFILES, Platform
from bot.core.views import Audience, Plan
from bot.devtools.fakeapi import FakeBotAPI, Flavour
from bot.platform.bots import CONNECTIONS, MessengerBot, connect
from bot.platform.request import AiohttpRequest
from storage import Database, users

TOKEN = "123456:BENCH-fake-telegram-token"
FIRST_CHAT = 1_000_000
TEXT = "اطلاعیهٔ آزمایشی مرکز نوآوری"


def serve_fake(port: int, latency: float) -> None:
    async def main() -> None:
        server = FakeBotAPI(Flavour.TELEGRAM, token=TOKEN, port=port, open_chats=True)
        server.latency = latency
        server.events = _Forgetful()  # keeps its memory flat over 100,000 messages
        await server.start()
        await asyncio.Event().wait()

    asyncio.run(main())


class _Forgetful(dict[int, Any]):
    """The server's per-chat event log, kept empty: nobody reads it here."""

    def setdefault(self, key: int, default: Any = None) -> Any:
        return []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise RuntimeError("the fake server did not start")


class ClockedRequest(AiohttpRequest):
    """The bot's request, noting when the first and the last message went out."""

    def __init__(self) -> None:
        super().__init__(connection_pool_size=CONNECTIONS, read_timeout=15.0)
        self.first: float | None = None
        self.last = 0.0
        self.count = 0

    async def do_request(  # the framework always passes every timeout: none is defaulted here
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status == 200 and url.endswith("/sendMessage"):
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            self.count += 1
        return status, payload


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def populate(database_url: str, recipients: int) -> None:
    """The subscribers, written by another process: the bench's own memory is the sender's."""

    async def main() -> None:
        db = Database(database_url)
        await db.upgrade()
        chats = list(range(FIRST_CHAT, FIRST_CHAT + recipients))
        async with db.write() as session:
            await users.add_people(session, "telegram", chats, ["waste"])
        await db.dispose()

    asyncio.run(main())


async def ideabot(url: str, recipients: int, rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        writer = multiprocessing.get_context("spawn").Process(
            target=populate, args=(database_url, recipients)
        )
        writer.start()
        writer.join()
        db = Database(database_url)
        settings = load_settings(
            database_url=database_url,
            telegram_bot_token=TOKEN,
            telegram_api_url=url,
            telegram_rate=rate,
        )
        clock = ClockedRequest()
        app = build_app(
            settings,
            db,
            connection=lambda platform: connect(platform, TOKEN, url, request=clock),
            platforms=(Platform.TELEGRAM,),
        )
        before = peak_mb()
        stop = asyncio.Event()
        sender = asyncio.create_task(app.sender.run(stop))
        plan = Plan(TEXT, Audience("all"), Platform.TELEGRAM)
        due = time.perf_counter()
        info = await app.broadcasts.create(plan, FIRST_CHAT - 1, "fa", None)
        expanded = time.perf_counter()
        while True:
            await asyncio.sleep(1)
            counts = await app.broadcasts.counts(info.id)
            assert counts is not None
            if counts.left == 0:
                break
        stop.set()
        await sender
        await clock.shutdown()
        await db.dispose()
    assert clock.first is not None
    return {
        "sent": counts.sent,
        "failed": counts.failed + counts.blocked + counts.unknown,
        "rate": clock.count / (clock.last - clock.first),
        "due_to_first": clock.first - due,
        "expand": expanded - due,
        "peak_mb": peak_mb(),
        "peak_before_mb": before,
    }


async def bare(url: str, messages: int, rate: float) -> float:
    """python-telegram-bot alone: the same token bucket, many sends in flight, no database."""
    clock = ClockedRequest()
    bot = MessengerBot(TOKEN, PROFILES[Platform.TELEGRAM], base_url=f"{url}/bot", request=clock)
    limiter = AsyncLimiter(rate, 1.0)
    gate = asyncio.Semaphore(64)  # the connection pool: more would queue inside httpcore

    async def one(chat: int) -> None:
        async with gate, limiter:
            await bot.send_message(chat, TEXT)

    async with bot:
        await asyncio.gather(*(one(FIRST_CHAT + n) for n in range(messages)))
    assert clock.first is not None
    return clock.count / (clock.last - clock.first)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=500.0, help="TELEGRAM_RATE, messages/s")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per send")
    parser.add_argument("--baseline", type=int, default=10_000, help="messages of the bare loop")
    args = parser.parse_args()
    port = free_port()
    server = multiprocessing.get_context("spawn").Process(
        target=serve_fake, args=(port, args.latency), daemon=True
    )
    server.start()
    try:
        await wait_for_port(port)
        url = f"http://127.0.0.1:{port}"
        ours = await ideabot(url, args.recipients, args.rate)  # first: its peak memory is its own
        base = await bare(url, min(args.baseline, args.recipients), args.rate)
    finally:
        server.terminate()
        server.join(10)
    print(
        f"broadcast to {args.recipients:,} recipients, configured rate {args.rate:g}/s, "
        f"{args.latency * 1000:.0f} ms added to every send"
    )
    print(f"  bare PTB, same bucket         {base:9.1f} messages/s")
    print(
        f"  ideabot                       {ours['rate']:9.1f} messages/s  "
        f"(sent {ours['sent']:,.0f}, not delivered {ours['failed']:,.0f})"
    )
    print(f"  ratio ideabot/configured rate {ours['rate'] / args.rate:9.3f}")
    print(f"  ratio ideabot/bare PTB        {ours['rate'] / base:9.3f}")
    print(
        f"  due -> first send             {ours['due_to_first'] * 1000:9.0f} ms "
        f"(of which writing the {args.recipients:,} delivery rows: {ours['expand'] * 1000:.0f} ms)"
    )
    print(
        f"  peak memory (RSS)             {ours['peak_mb']:9.1f} MB "
        f"({ours['peak_before_mb']:.1f} MB with the app built, before the broadcast)"
    )


if __name__ == "__main__":
    asyncio.run(main())
