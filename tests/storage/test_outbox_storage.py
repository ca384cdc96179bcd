"""The outbox as a queue, on SQLite and PostgreSQL: a broadcast's rows, claiming, the
states a crash leaves, and rows written once."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import utcnow
from storage import Database, broadcasts, outbox, users
from storage.audiences import audience_size


async def test_a_broadcast_is_claimed_sent_and_settled_after_a_crash(any_db: Database) -> None:
    now = utcnow()
    async with any_db.write() as session:
        await users.add_people(session, "telegram", [101, 102, 103, 104], ["waste"])
        await users.add_people(session, "bale", [201], ["events"])
        broadcast = await broadcasts.add_broadcast(
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
        [due] = await broadcasts.due_broadcasts(session, now)
        assert await broadcasts.expand_broadcast(session, due, now) == 4
    async with any_db.write() as session:
        first = await outbox.claim_due(session, "telegram", now, 3)
        assert [d["chat_id"] for d in first] == [101, 102, 103]
        assert all(d["attempts"] == 1 and d["broadcast_id"] == broadcast.id for d in first)
        # A second sender finds only what the first left.
        [rest] = await outbox.claim_due(session, "telegram", now, 3)
        assert rest["chat_id"] == 104
        assert await outbox.claim_due(session, "bale", now, 3) == []
        await outbox.mark_sending(session, [first[0]["id"], first[1]["id"]])
        await outbox.finish(session, {"sent": [first[0]["id"]]}, {}, now)
    # The process dies: one row was in flight, one only claimed, one just claimed.
    async with any_db.write() as session:
        await outbox.expire_sending(session, now + timedelta(seconds=1))
        counts = await broadcasts.delivery_counts(session, broadcast.id)
    assert counts == {"sent": 1, "unknown": 1, "pending": 2}
    async with any_db.write() as session:
        again = await outbox.claim_due(session, "telegram", now + timedelta(seconds=2), 10)
    assert sorted(d["chat_id"] for d in again) == [103, 104]  # never the sent or unknown ones


async def test_a_row_with_a_dedupe_key_is_written_once(any_db: Database) -> None:
    async with any_db.write() as session:
        await users.add_people(session, "bale", [301], ["events"])
    fields = {"user_id": 1, "platform": "bale", "chat_id": 301, "text": "یادآوری"}
    async with any_db.write() as session:
        assert await outbox.add_once(session, dedupe="event:1:1:3600", kind="reminder", **fields)
        assert not await outbox.add_once(
            session, dedupe="event:1:1:3600", kind="reminder", **fields
        )
        assert await outbox.add_once(session, dedupe="event:12:1:3600", **fields)
        assert await outbox.cancel_pending(session, "event:1:") == 1  # not event 12


async def test_a_broadcast_starts_once_and_not_after_cancelling(any_db: Database) -> None:
    now = utcnow()
    async with any_db.write() as session:
        await users.add_people(session, "telegram", [101, 102], ["waste"])
        fields = {
            "text": "سلام",
            "audience": {"kind": "all", "value": None},
            "status": "scheduled",
            "due_at": now,
            "staff_platform": "telegram",
            "staff_chat_id": 1,
            "staff_locale": "fa",
        }
        first = await broadcasts.add_broadcast(session, **fields)
        second = await broadcasts.add_broadcast(session, **fields)
    async with any_db.write() as session:
        assert await broadcasts.expand_broadcast(session, first, now) == 2
        assert await broadcasts.expand_broadcast(session, first, now) is None  # the other caller
        assert not await broadcasts.cancel_broadcast(session, first.id)  # too late
        assert await broadcasts.cancel_broadcast(session, second.id)
        assert await broadcasts.expand_broadcast(session, second, now) is None
        assert await broadcasts.delivery_counts(session, second.id) == {}
        # Only the platforms a deployment serves are counted.
        await users.add_people(session, "bale", [201], ["waste"])
        assert await audience_size(session, "all", None) == {"telegram": 2, "bale": 1}
        assert await audience_size(session, "all", None, ["telegram"]) == {"telegram": 2}


async def test_a_persons_notice_goes_before_a_broadcast_due_earlier(any_db: Database) -> None:
    """A broadcast of thousands must not keep someone waiting for their receipt."""
    now = utcnow()
    async with any_db.write() as session:
        await users.add_people(session, "telegram", [401, 402, 403], ["waste"])
        for chat in (401, 402):
            await outbox.add_outbox(
                session,
                user_id=None,
                platform="telegram",
                chat_id=chat,
                text="خبر",
                kind="announce",
                due_at=now - timedelta(minutes=5),
            )
        await outbox.add_outbox(
            session, user_id=None, platform="telegram", chat_id=403, text="رسید", due_at=now
        )
    async with any_db.write() as session:
        claimed = await outbox.claim_due(session, "telegram", now, 2)
    assert [d["chat_id"] for d in claimed] == [403, 401]
