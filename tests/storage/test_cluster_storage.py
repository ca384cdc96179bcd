"""What several processes share through PostgreSQL: the lead (one holder, a standby that
takes it when the holder's connection goes), the wake-up from a worker's NOTIFY, and one
chat's transactions one at a time."""

from __future__ import annotations

import asyncio
import os

import pytest

from storage import Database
from storage.cluster import CHANNEL, Leadership, hold_chat, lock_key

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set (no PostgreSQL to test against)"
)
KEY = lock_key("ideabot:test-lead")


async def test_one_process_leads_and_a_standby_takes_over_when_it_dies() -> None:
    assert POSTGRES_URL is not None
    first, second = Leadership(POSTGRES_URL, KEY), Leadership(POSTGRES_URL, KEY)
    stop = asyncio.Event()
    try:
        assert await first.acquire(stop)
        standby = asyncio.create_task(second.acquire(stop, every=0.1))
        await asyncio.sleep(0.5)
        assert not standby.done()  # it waits while the lead is held
        first._connection.terminate()  # the holder dies: its connection goes with it
        assert await asyncio.wait_for(standby, timeout=5)
        ending = asyncio.Event()
        await asyncio.wait_for(first.keep(ending, every=0.1), timeout=5)
        assert first.lost and ending.is_set()  # the dead holder knows it lost the lead
    finally:
        stop.set()
        await first.release()
        await second.release()


async def test_a_worker_s_notify_wakes_the_holder_once_it_commits() -> None:
    assert POSTGRES_URL is not None
    leader, db = Leadership(POSTGRES_URL, KEY), Database(POSTGRES_URL)
    woken = asyncio.Event()
    try:
        assert await leader.acquire(asyncio.Event())
        await leader.listen(woken.set)
        with pytest.raises(RuntimeError):
            async with db.write():
                assert db.notify_at_commit(CHANNEL)
                raise RuntimeError("rolled back")
        await asyncio.sleep(0.3)
        assert not woken.is_set()  # nothing was committed, nobody is woken
        async with db.write():
            assert db.notify_at_commit(CHANNEL)
            assert db.notify_at_commit(CHANNEL)  # asked twice, told once
        await asyncio.wait_for(woken.wait(), timeout=5)
        assert not db.notify_at_commit(CHANNEL)  # no write to join
    finally:
        await db.dispose()
        await leader.release()


async def test_one_chat_s_transactions_take_turns_and_other_chats_do_not_wait() -> None:
    assert POSTGRES_URL is not None
    db = Database(POSTGRES_URL)
    order: list[str] = []
    inside = asyncio.Event()

    async def first() -> None:
        async with db.write() as session:
            await hold_chat(session, "telegram", 5)
            inside.set()
            await asyncio.sleep(0.5)
            order.append("first")

    async def same_chat() -> None:
        await inside.wait()
        async with db.write() as session:
            await hold_chat(session, "telegram", 5)
            order.append("same chat")

    async def other_chat() -> None:
        await inside.wait()
        async with db.write() as session:
            await hold_chat(session, "bale", 5)
            order.append("other chat")

    try:
        await asyncio.gather(first(), same_chat(), other_chat())
    finally:
        await db.dispose()
    assert order == ["other chat", "first", "same chat"]
