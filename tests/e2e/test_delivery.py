"""The one sender against the fake Bot API over HTTP: rate limits, 429, 403, 5xx,
dropped connections, and one message a second into one chat."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.clock import utcnow
from bot.core.notices import DraftNudge
from bot.core.platforms import Platform
from bot.core.views import Audience, Profile
from bot.devtools.fakeapi import FakeBotAPI, Fault, Flavour
from bot.platform.sender import ChatGate
from storage import Database, subscriptions, users
from storage.models import Outbox
from tests.support.e2e import BALE_TOKEN, TG_TOKEN


@dataclass
class Rig:
    app: App
    server: FakeBotAPI
    platform: Platform
    clock: list[datetime]

    async def person(self, chat_id: int) -> int:
        self.server.person(chat_id, f"P{chat_id}")
        profile = Profile(self.platform, chat_id, chat_id, f"P{chat_id}", None, None)
        user = await self.app.users.visit(profile)
        async with self.app.db.write() as session:
            await subscriptions.set_topics(session, user.id, ["waste"])
        return user.id

    async def notice(self, user_id: int, text: str = "سلام") -> int:
        """A row for the sender to drain (written, not sent at once)."""
        reader = await self.app.outbox.reader(user_id)
        assert reader is not None
        row = await self.app.outbox.add(
            reader, text, None, kind="notice", due_at=None, expires_at=None, dedupe=None
        )
        assert row is not None
        return row

    async def rows(self) -> list[Outbox]:
        async with self.app.db.read() as session:
            return list(await session.scalars(select(Outbox).order_by(Outbox.id)))

    def sends(self) -> list[float]:
        return [c.at for c in self.server.calls_to("sendMessage") if c.status == 200]


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE])
async def rig(
    request: pytest.FixtureRequest, make_settings: Callable[..., Settings], db: Database
) -> AsyncIterator[Rig]:
    platform: Platform = request.param
    token = TG_TOKEN if platform is Platform.TELEGRAM else BALE_TOKEN
    server = FakeBotAPI(Flavour(platform.value), token=token)
    await server.start()
    clock = [utcnow()]
    settings = make_settings(
        telegram_rate=20,
        bale_rate=20,
        **{f"{platform.value}_bot_token": token, f"{platform.value}_api_url": server.url},
    )
    app = build_app(settings, db, clock=lambda: clock[0], platforms=(platform,))
    yield Rig(app, server, platform, clock)
    await app.connections[platform].bot.request.shutdown()  # opened by the first send
    await server.stop()


async def test_429_pauses_the_platform_and_the_message_goes_once(rig: Rig) -> None:
    user = await rig.person(7)
    rig.server.faults.append(Fault(429, "Too Many Requests: retry after 2", retry_after=2))
    await rig.notice(user)
    assert await rig.app.sender.drain(rig.platform) == 1
    [row] = await rig.rows()
    assert row.status == "pending" and row.next_attempt_at == rig.clock[0] + timedelta(seconds=2)
    assert await rig.app.sender.drain(rig.platform) == 0  # not before retry_after
    rig.clock[0] += timedelta(seconds=2)
    lane = rig.app.sender.lanes[rig.platform]
    lane.paused_until = 0  # the 2 seconds have passed (on the sender's clock)
    assert await rig.app.sender.drain(rig.platform) == 1
    [row] = await rig.rows()
    assert row.status == "sent" and row.attempts == 2
    assert len(rig.server.chat_messages(7)) == 1


async def test_403_marks_the_person_blocked_and_unsubscribed(rig: Rig) -> None:
    user = await rig.person(7)
    rig.server.blocked_chats.add(7)
    await rig.notice(user)
    await rig.app.sender.drain(rig.platform)
    [row] = await rig.rows()
    assert row.status == "blocked"
    async with rig.app.db.read() as session:
        person = await users.get_user_by_id(session, user)
        assert person is not None and person.blocked
        assert await subscriptions.topics_of(session, user) == set()
    # Nothing more is written for them, and no audience counts them.
    async with rig.app.db.write():
        assert await rig.app.messenger.notify(user, DraftNudge()) is None
    assert await rig.app.broadcasts.size(Audience("all")) == {}


async def test_server_errors_are_retried_with_backoff_then_given_up(rig: Rig) -> None:
    first, second = await rig.person(7), await rig.person(8)
    rig.server.faults.append(Fault(502, "Bad Gateway", chat_id=7, times=100))
    rig.server.faults.append(Fault(500, "Internal Server Error", chat_id=8, times=1))
    await rig.notice(first)
    await rig.notice(second)
    waits = []
    for _ in range(6):
        await rig.app.sender.drain(rig.platform)
        row = (await rig.rows())[0]
        if row.status != "pending":
            break
        assert row.next_attempt_at is not None
        waits.append((row.next_attempt_at - rig.clock[0]).total_seconds())
        rig.clock[0] = row.next_attempt_at
    assert waits == [1, 2, 4, 8]  # bounded backoff, then
    rows = await rig.rows()
    assert [r.status for r in rows] == ["failed", "sent"]
    assert rows[0].attempts == 5 and rows[0].last_error == "Bad Gateway"
    assert rig.server.chat_messages(7) == [] and len(rig.server.chat_messages(8)) == 1


async def test_a_refused_connection_is_retried(
    rig: Rig, make_settings: Callable[..., Settings]
) -> None:
    user = await rig.person(7)
    await rig.notice(user)
    await rig.server.stop()
    await rig.app.sender.drain(rig.platform)
    [row] = await rig.rows()
    assert row.status == "pending" and "ClientConnectorError" in (row.last_error or "")
    await rig.server.start()
    rig.clock[0] = row.next_attempt_at or rig.clock[0]
    await rig.app.sender.drain(rig.platform)
    assert [r.status for r in await rig.rows()] == ["sent"]


async def test_an_unanswered_send_is_unknown_and_never_repeated(rig: Rig) -> None:
    user = await rig.person(7)
    rig.server.faults.append(Fault(0, method="sendMessage"))  # done, then the line drops
    await rig.notice(user)
    await rig.app.sender.drain(rig.platform)
    [row] = await rig.rows()
    assert row.status == "unknown"
    rig.clock[0] += timedelta(hours=1)
    assert await rig.app.sender.drain(rig.platform) == 0
    assert len(rig.server.chat_messages(7)) == 1  # it did arrive: once


async def test_the_platform_rate_is_kept(rig: Rig) -> None:
    users = [await rig.person(100 + n) for n in range(50)]
    for user in users:
        await rig.notice(user)
    await rig.app.sender.drain(rig.platform)
    times = rig.sends()
    assert len(times) == 50
    # 20 a second, evenly spaced: no second holds more (one more at most where two
    # requests' travel times differ at the window's edge).
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 21
    assert times[-1] - times[0] >= 49 / 20 * 0.9  # no burst at the start either


async def test_one_message_a_second_into_one_chat(rig: Rig) -> None:
    user = await rig.person(7)
    for n in range(3):
        await rig.notice(user, f"پیام {n}")
    await rig.app.sender.drain(rig.platform)
    times = rig.sends()
    assert [m.text for m in rig.server.chat_messages(7)] == ["پیام 0", "پیام 1", "پیام 2"]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.9 for gap in gaps), gaps


def test_the_chat_gate_spaces_one_chat_not_others() -> None:
    gate = ChatGate(interval=1.0)
    assert gate.delay("bale", 1) == 0
    assert 0.9 < gate.delay("bale", 1) <= 1.0
    assert gate.delay("bale", 2) == 0
    assert gate.delay("telegram", 1) == 0  # another platform's chat 1 is another person


async def test_a_429_gives_back_what_waits_and_everyone_gets_it_once(rig: Rig) -> None:
    users = [await rig.person(200 + n) for n in range(10)]
    for user in users:
        await rig.notice(user)
    rig.server.faults.append(Fault(429, "Too Many Requests: retry after 2", retry_after=2))
    await rig.app.sender.drain_once(rig.platform)
    # Nothing is held through the pause: a sweep meanwhile finds nothing to take back.
    statuses = {r.status for r in await rig.rows()}
    assert statuses <= {"sent", "pending"}, statuses
    rig.clock[0] += timedelta(minutes=5)
    assert await rig.app.sender.sweep(timedelta(seconds=1), timedelta(hours=2)) == (0, 0)
    rig.app.sender.lanes[rig.platform].paused_until = 0
    await rig.app.sender.drain(rig.platform)
    rows = await rig.rows()
    assert [r.status for r in rows] == ["sent"] * 10
    # Only the one that met the 429 spent a try; those given back did not.
    assert sorted(r.attempts for r in rows) == [1] * 9 + [2]
    for n in range(10):
        assert len(rig.server.chat_messages(200 + n)) == 1


async def test_a_paused_platform_claims_nothing_until_the_pause_ends(rig: Rig) -> None:
    users = [await rig.person(300 + n) for n in range(5)]
    for user in users:
        await rig.notice(user)
    lane = rig.app.sender.lanes[rig.platform]
    lane.paused_until = time.monotonic() + 1.0
    stop = asyncio.Event()
    running = asyncio.create_task(rig.app.sender.run(stop))
    rig.app.sender.wake()
    await asyncio.sleep(0.5)
    rows = await rig.rows()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 0)] * 5  # untouched
    for _ in range(50):
        await asyncio.sleep(0.1)
        if all(r.status == "sent" for r in await rig.rows()):
            break
    stop.set()
    await running
    assert [r.status for r in await rig.rows()] == ["sent"] * 5
