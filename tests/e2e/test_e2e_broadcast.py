"""A broadcast to 2,000 people on both platforms, with 429s, people who blocked the bot,
and ideabot killed with SIGKILL in the middle, while the platforms had stopped
answering, and started again: everyone gets it once; those the platform never
confirmed are counted, and are exactly the requests on the wire at the kill (none of
the rows still waiting their turn); and the staff's report says so."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import normalize_database_url
from bot.devtools.fakeapi import BotMessage, FakeBotAPI, Fault
from storage import Database, subscriptions, users
from storage.models import Outbox
from tests.support.e2e import BotProcess, environment

pytestmark = pytest.mark.e2e

PEOPLE = 1000  # per platform
BLOCKED = range(1, 21)  # on each platform, these chat numbers have blocked the bot
STAFF = 900_000
TEXT = "کارگاه «داده‌های باز شهری» پنجشنبه ساعت ۱۰ در مرکز نوآوری"


def chat_of(n: int) -> int:
    return 10_000 + n


async def people(url: str) -> None:
    db = Database(normalize_database_url(url))
    await db.upgrade()
    async with db.write() as session:
        for platform in ("telegram", "bale"):
            for n in range(PEOPLE):
                chat = chat_of(n)
                user, _ = await users.upsert_user(
                    session,
                    platform,
                    chat,
                    chat_id=chat,
                    first_name=f"P{n}",
                    last_name=None,
                    username=None,
                )
                await subscriptions.set_topics(session, user.id, ["waste", "events"])
    await db.dispose()


async def until_quiet(servers: tuple[FakeBotAPI, ...]) -> None:
    """Until no request has come to `servers` for half a second."""
    seen = -1
    for _ in range(60):
        now = sum(len(s.calls) for s in servers)
        if now == seen:
            return
        seen = now
        await asyncio.sleep(0.5)
    raise AssertionError("the bot never stopped sending")


def received(server: FakeBotAPI) -> Counter[int]:
    return Counter(
        m.chat_id for m in server.messages.values() if m.kind == "text" and m.text.startswith(TEXT)
    )


async def wait_for(predicate: object, timeout: float) -> None:
    assert callable(predicate)
    for _ in range(int(timeout * 10)):
        if predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_a_broadcast_survives_429s_blocks_and_a_kill(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url) | {
        "STAFF": f"telegram:{STAFF}:admin",
        "TELEGRAM_RATE": "150",
        "BALE_RATE": "100",
        "DELIVERY_STALE_SECONDS": "2",
    }
    await people(env["DATABASE_URL"])
    for server in servers:
        server.open_chats = True
        server.blocked_chats.update(chat_of(n) for n in BLOCKED)
    recipients = frozenset(chat_of(n) for n in range(PEOPLE))
    telegram.faults.append(
        Fault(429, "Too Many Requests: retry after 1", retry_after=1, times=3, chats=recipients)
    )
    bale.faults.append(Fault(429, "Too Many Requests: bot limit exceed", times=2, chats=recipients))
    staff = telegram.person(STAFF, "Nasrin")

    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    try:
        staff.send("/broadcast")
        await staff.next(30)
        staff.send(TEXT)
        audience = await staff.next()
        staff.press(audience, "همهٔ مشترکان")
        summary = await staff.next()
        assert "گیرندگان: ۲۰۰۰ (تلگرام ۱۰۰۰، بله ۱۰۰۰)" in summary.text, summary.text
        await staff.next()  # the preview
        question = await staff.next()
        staff.press(question, "📤 ارسال اکنون")

        def sent_so_far() -> int:
            return sum(received(telegram).values()) + sum(received(bale).values())

        await wait_for(lambda: sent_so_far() >= 700, 60)
        # Both platforms stop answering: the sender fills what it may have on the wire,
        # and goes quiet (the rows still waiting their turn must stay unmarked).
        for server in servers:
            server.hold()
        await until_quiet(servers)
        killed_at = time.monotonic()  # the servers answer nothing before the kill
        await process.kill()
        in_flight = {s.flavour.value: s.in_flight(killed_at, recipients) for s in servers}
        for server in servers:
            server.release()  # what was on the wire arrives after all
        at_kill = sent_so_far()
        assert at_kill < 2 * PEOPLE - 2 * len(BLOCKED), "the kill came too late to matter"

        await process.start()
        report: BotMessage | None = None
        for _ in range(200):
            message = await staff.next(60)
            if message.text.startswith("✅ ارسال اطلاعیهٔ شمارهٔ"):
                report = message
                break
        assert report is not None
    finally:
        await process.stop()

    db = Database(normalize_database_url(env["DATABASE_URL"]))
    async with db.read() as session:
        rows = list(await session.scalars(select(Outbox).where(Outbox.kind == "broadcast")))
    await db.dispose()
    assert len(rows) == 2 * PEOPLE
    statuses = Counter(r.status for r in rows)
    unknown = Counter(r.platform for r in rows if r.status == "unknown")
    assert sum(in_flight.values()) > 0, "nothing was on the wire at the kill"
    assert unknown == in_flight, (unknown, in_flight)
    assert statuses["blocked"] == 2 * len(BLOCKED)
    assert set(statuses) <= {"sent", "blocked", "unknown"}, statuses
    by_chat = {"telegram": received(telegram), "bale": received(bale)}
    for row in rows:
        got = by_chat[row.platform][row.chat_id]
        if row.status == "sent":
            assert got == 1, (row.platform, row.chat_id, got)
        elif row.status == "blocked":
            assert got == 0
        else:  # unknown: in flight at the kill; it arrived at most once, and is counted
            assert got <= 1
    numbers = [int(n) for n in re.findall(r"\d+", report.text.translate(DIGITS))]
    # "#1", recipients, delivered, blocked, failed, unknown
    assert numbers[1:] == [
        2 * PEOPLE,
        statuses["sent"],
        statuses["blocked"],
        0,
        statuses["unknown"],
    ], report.text
    log = process.log()
    assert "Traceback" not in log
    # The rate limits held: 429s were obeyed and the sends resumed after them.
    assert any(c.status == 429 for c in telegram.calls) and any(c.status == 429 for c in bale.calls)


DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٬", "0123456789,")


async def test_bot_processes_without_a_clock_and_one_scheduler(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    """`ideabot run --no-scheduler` answers people; `ideabot scheduler` sends what is due."""
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url) | {"STAFF": f"bale:{STAFF}:admin"}
    async with asyncio.timeout(120):
        db = Database(normalize_database_url(env["DATABASE_URL"]))
        await db.upgrade()
        async with db.write() as session:
            await users.add_people(session, "telegram", [chat_of(n) for n in range(30)], ["waste"])
        await db.dispose()
        telegram.open_chats = True
        bot = BotProcess(env, tmp_path / "bot.log", "run", "--no-scheduler")
        clock = BotProcess(env, tmp_path / "clock.log", "scheduler")
        await bot.start()
        staff = bale.person(STAFF, "Nasrin")
        try:
            staff.send("/broadcast")
            await staff.next(30)
            staff.send(TEXT)
            staff.press(await staff.next(), "همهٔ مشترکان")
            await staff.next()  # the audience
            await staff.next()  # the preview
            staff.press(await staff.next(), "📤 ارسال اکنون")
            await staff.next()  # "on its way"
            await asyncio.sleep(3)  # longer than the sender's tick, had it one
            assert sum(received(telegram).values()) == 0  # the bot process sends no broadcast
            await clock.start()
            while not (await staff.next(60)).text.startswith("✅ ارسال اطلاعیهٔ شمارهٔ"):
                pass
        finally:
            assert await bot.stop() == 0
            assert await clock.stop() == 0
    assert received(telegram) == Counter({chat_of(n): 1 for n in range(30)})
    assert "Traceback" not in bot.log() + clock.log()
