"""The statements every update makes, run on SQLite's own connection inside a unit
(`storage.lean`): what they store is what SQLAlchemy stores, they commit and roll back
with the rest of the unit, and they see what the unit wrote before them. On
PostgreSQL the same calls go through the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from sqlalchemy import Table, bindparam, event, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.clock import utcnow
from storage import Database, calls, drafts, outbox, updates, users
from storage.lean import Lean
from storage.models import Call, Draft, Outbox, ProcessedUpdate, User

ANSWERS = {"title": "سطل‌های هوشمند", "team": 4, "nested": {"areas": ["waste"], "ok": True}}


async def _person(db: Database, platform_user_id: int = 5) -> int:
    async with db.write() as session:
        row, _ = await users.upsert_user(
            session,
            "bale",
            platform_user_id,
            chat_id=5,
            first_name="Sara",
            last_name=None,
            username=None,
        )
        return row.id


async def test_inside_a_unit_on_sqlite_the_statements_skip_sqlalchemy(db: Database) -> None:
    """What makes the hot path fast: the statements reach SQLite without SQLAlchemy
    seeing them (it sees none of them), yet they are in the unit's transaction."""
    person = await _person(db)
    seen: list[str] = []
    db.trace(seen.append)
    through_sqlalchemy: list[str] = []

    def on_statement(*args: object) -> None:
        through_sqlalchemy.append(str(args[2]))

    event.listen(db.engine.sync_engine, "before_cursor_execute", on_statement)
    async with db.unit(), db.write() as session:
        assert await updates.claim_update(session, "bale", 1, 10, "digest")
        assert await users.get_user(session, "bale", 5) is not None
        await drafts.save_draft(session, person, "title", ANSWERS, False)
        assert await drafts.get_draft(session, person) is not None
        await users.set_state(session, person, "intake/answering")
    event.remove(db.engine.sync_engine, "before_cursor_execute", on_statement)
    assert through_sqlalchemy == []
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT"
    assert len(seen) == 7  # BEGIN, five statements, COMMIT


async def test_what_it_stores_is_what_sqlalchemy_stores(any_db: Database) -> None:
    """Dates, JSON and flags written by a lean statement read back the same through the
    ORM, and the other way round."""
    person = await _person(any_db)
    async with any_db.unit(), any_db.write() as session:
        draft_id = await drafts.save_draft(session, person, "title", ANSWERS, True)
    async with any_db.read() as session:
        orm = await session.get(Draft, draft_id)
        assert orm is not None
        assert (orm.step, orm.answers, orm.returning_to_review) == ("title", ANSWERS, True)
        assert orm.updated_at.tzinfo is not None
        assert abs(orm.updated_at - utcnow()) < timedelta(minutes=1)
    async with any_db.unit(), any_db.write() as session:
        lean = await drafts.get_draft(session, person)
        orm_user = (await session.scalars(select(User).where(User.id == person))).one()
        lean_user = await users.get_user(session, "bale", 5)
    assert lean is not None and lean.id == draft_id
    assert (lean.answers, lean.returning_to_review, lean.updated_at) == (
        orm.answers,
        True,
        orm.updated_at,
    )
    assert lean_user is not None
    assert (lean_user.blocked, lean_user.erased, lean_user.created_at) == (
        False,
        False,
        orm_user.created_at,
    )


async def test_a_unit_that_fails_leaves_nothing(any_db: Database) -> None:
    """Lean statements and the session's own writes commit together or not at all."""
    person = await _person(any_db)
    with pytest.raises(RuntimeError):
        async with any_db.unit():
            async with any_db.write() as session:
                await drafts.save_draft(session, person, "title", ANSWERS, False)
                session.add(
                    Call(
                        title="فراخوان",
                        description="",
                        areas=["waste"],
                        opens_at=utcnow(),
                        closes_at=utcnow() + timedelta(days=1),
                    )
                )
                await session.flush()
                assert await updates.claim_update(session, "bale", 1, 11, "digest")
            raise RuntimeError("the handler failed")
    async with any_db.read() as session:
        assert await drafts.get_draft(session, person) is None
        assert (await session.scalars(select(Call))).all() == []
        assert await session.get(ProcessedUpdate, ("bale", 1, 11)) is None
    # and the next unit works on a clean transaction
    async with any_db.unit(), any_db.write() as session:
        assert await updates.claim_update(session, "bale", 1, 11, "digest")
    async with any_db.read() as session:
        assert await session.get(ProcessedUpdate, ("bale", 1, 11)) is not None


async def test_a_lean_read_sees_what_the_session_has_not_yet_written(any_db: Database) -> None:
    """An object added to the session and not yet flushed is written before a lean
    statement runs, so it is found."""
    opens = datetime.now(UTC) - timedelta(hours=1)
    async with any_db.unit(), any_db.write() as session:
        session.add(
            Call(
                title="فراخوان پسماند",
                description="",
                areas=["waste"],
                opens_at=opens,
                closes_at=opens + timedelta(days=2),
            )
        )
        found = await calls.open_calls(session, utcnow(), "waste")
    assert [c.title for c in found] == ["فراخوان پسماند"]
    assert found[0].areas == ["waste"] and found[0].opens_at == opens


async def test_a_claim_is_made_once(any_db: Database) -> None:
    async with any_db.unit(), any_db.write() as session:
        assert await updates.claim_update(session, "bale", 1, 12, "digest")
    async with any_db.unit(), any_db.write() as session:
        assert not await updates.claim_update(session, "bale", 1, 12, "digest")


async def test_a_statement_that_leaves_a_value_to_sqlalchemy_is_refused(db: Database) -> None:
    """`updated_at` is filled in by SQLAlchemy's execution (an onupdate), which a lean
    statement skips: rather than store NULL there, it is refused."""
    table = cast(Table, User.__table__)
    careless = Lean(
        lambda _: update(table).where(table.c.id == bindparam("id_")).values(state=bindparam("s"))
    )
    person = await _person(db)
    async with db.unit(), db.write() as session:
        with pytest.raises(ValueError, match="updated_at"):
            await careless.count(session, {"id_": person, "s": "intake/answering"})


async def test_a_row_inserted_gets_the_defaults_sqlalchemy_would_give(any_db: Database) -> None:
    """What a caller leaves out of an outbox row is the column's default, a constant or
    the time now, as with the ORM; a name that is no column is refused."""
    person = await _person(any_db)
    async with any_db.unit(), any_db.write() as session:
        row_id = await outbox.add_outbox(
            session, user_id=person, platform="bale", chat_id=5, text="سلام", kind="notice"
        )
        with pytest.raises(ValueError, match="colour"):
            await outbox.add_outbox(
                session, user_id=person, platform="bale", chat_id=5, text="x", colour="red"
            )
    async with any_db.read() as session:
        row = await session.get(Outbox, row_id)
    assert row is not None
    assert (row.status, row.attempts, row.text, row.reply_markup) == ("pending", 0, "سلام", None)
    assert abs(row.created_at - utcnow()) < timedelta(minutes=1)


async def test_lean_writes_commit_when_the_session_had_nothing_to_write(db: Database) -> None:
    """The session may hold a transaction of its own that never reached SQLite (an
    object added, then taken back): its commit must not leave the unit's lean writes
    uncommitted, nor roll them back."""
    person = await _person(db)
    async with db.unit(), db.write() as session:
        await drafts.save_draft(session, person, "title", ANSWERS, False)
        added = Call(title="", description="", areas=[], opens_at=utcnow(), closes_at=utcnow())
        session.add(added)
        session.expunge(added)
        assert session.in_transaction()
    async with db.read() as session:
        assert await drafts.get_draft(session, person) is not None


async def test_nothing_is_written_after_a_failed_flush_ended_the_transaction(db: Database) -> None:
    """A flush that fails rolls the transaction back: a lean write after it would
    commit on its own, outside the unit, so it is refused."""
    person = await _person(db)
    with pytest.raises(RuntimeError, match="transaction has ended"):
        async with db.unit(), db.write() as session:
            session.add(User(platform="bale", platform_user_id=5, first_name="twin"))
            with pytest.raises(IntegrityError):
                await session.flush()
            await users.set_state(session, person, "intake/answering")
    async with db.read() as session:
        row = await users.get_user_by_id(session, person)
    assert row is not None and row.state is None
