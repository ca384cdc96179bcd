"""The outbox as a queue, on SQLite and PostgreSQL: a broadcast's rows, claiming, the
states a crash leaves, and rows written once."""

from __future__ import annotations

from datetime import timedelta

from storage import Database, outreach
from storage.models import utcnow
from storage.outreach import Audience, Result


async def test_a_broadcast_is_claimed_sent_and_settled_after_a_crash(any_db: Database) -> None:
    now = utcnow()
    async with any_db.write() as session:
        await outreach.add_people(session, "telegram", [101, 102, 103, 104], ["waste"])
        await outreach.add_people(session, "bale", [201], ["events"])
        broadcast = await outreach.add_broadcast(
            session,
            text="سلام",
            audience={"kind": "area", "value": "waste"},
            status="scheduled",
            due_at=now,
            staff_platform="telegram",
            staff_chat_id=1,
            staff_locale="fa",
        )
    async with any_db.write() as session:
        [due] = await outreach.due_broadcasts(session, now)
        assert await outreach.expand_broadcast(session, due, now) == 4
    async with any_db.write() as session:
        first = await outreach.claim_due(session, "telegram", now, 3)
        assert [d.chat_id for d in first] == [101, 102, 103]
        assert all(d.attempts == 1 and d.broadcast_id == broadcast.id for d in first)
        # A second sender finds only what the first left.
        [rest] = await outreach.claim_due(session, "telegram", now, 3)
        assert rest.chat_id == 104
        assert await outreach.claim_due(session, "bale", now, 3) == []
        await outreach.mark_sending(session, [first[0].id, first[1].id])
        await outreach.record_results(session, [Result(first[0].id, "sent")], now)
    # The process dies: one row was in flight, one only claimed, one just claimed.
    async with any_db.write() as session:
        await outreach.expire_sending(session, now + timedelta(seconds=1))
        counts = await outreach.delivery_counts(session, broadcast.id)
    assert counts == {"sent": 1, "unknown": 1, "pending": 2}
    async with any_db.write() as session:
        again = await outreach.claim_due(session, "telegram", now + timedelta(seconds=2), 10)
    assert sorted(d.chat_id for d in again) == [103, 104]  # never the sent or unknown ones


async def test_a_row_with_a_dedupe_key_is_written_once(any_db: Database) -> None:
    async with any_db.write() as session:
        await outreach.add_people(session, "bale", [301], ["events"])
    fields = {"user_id": 1, "platform": "bale", "chat_id": 301, "text": "یادآوری"}
    async with any_db.write() as session:
        assert await outreach.add_once(session, dedupe="event:1:1:3600", kind="reminder", **fields)
        assert not await outreach.add_once(
            session, dedupe="event:1:1:3600", kind="reminder", **fields
        )
        assert await outreach.add_once(session, dedupe="event:12:1:3600", **fields)
        assert await outreach.cancel_pending(session, "event:1:") == 1  # not event 12


async def test_a_broadcast_starts_once_and_not_after_cancelling(any_db: Database) -> None:
    now = utcnow()
    async with any_db.write() as session:
        await outreach.add_people(session, "telegram", [101, 102], ["waste"])
        fields = {
            "text": "سلام",
            "audience": {"kind": "all", "value": None},
            "status": "scheduled",
            "due_at": now,
            "staff_platform": "telegram",
            "staff_chat_id": 1,
            "staff_locale": "fa",
        }
        first = await outreach.add_broadcast(session, **fields)
        second = await outreach.add_broadcast(session, **fields)
    async with any_db.write() as session:
        assert await outreach.expand_broadcast(session, first, now) == 2
        assert await outreach.expand_broadcast(session, first, now) is None  # the other caller
        assert not await outreach.cancel_broadcast(session, first.id)  # too late
        assert await outreach.cancel_broadcast(session, second.id)
        assert await outreach.expand_broadcast(session, second, now) is None
        assert await outreach.delivery_counts(session, second.id) == {}
        # Only the platforms a deployment serves are counted.
        await outreach.add_people(session, "bale", [201], ["waste"])
        all_ = Audience("all")
        assert await outreach.audience_size(session, all_) == {"telegram": 2, "bale": 1}
        assert await outreach.audience_size(session, all_, ["telegram"]) == {"telegram": 2}
