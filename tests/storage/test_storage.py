"""Storage on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.core.clock import utcnow
from bot.core.platforms import Platform
from bot.core.views import Profile
from bot.services.conversations import ConversationService
from bot.services.users import UserService
from storage import Database, drafts
from storage.db import head_revision
from storage.models import Base

TEHRAN = "Asia/Tehran"


def sara(platform: Platform = Platform.BALE, first_name: str = "Sara", **names: str) -> Profile:
    return Profile(platform, 5, 5, first_name, names.get("last"), names.get("username"))


async def test_migrations_match_the_models(any_db: Database) -> None:
    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        differences: list[object] = compare_metadata(context, Base.metadata)
        return differences

    async with any_db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_an_upgraded_database_is_at_the_newest_migration(any_db: Database) -> None:
    assert await any_db.revision() == head_revision() == "0011"


async def test_a_redelivered_update_is_claimed_once(any_db: Database) -> None:
    users = UserService(any_db)
    key = (Platform.BALE, 1, 0, "hello")
    assert await users.seen(key) is None
    assert await users.handled(key, [{"text": "hi", "markup": None, "media": None, "edits": None}])
    assert await users.seen(key) == [{"text": "hi", "markup": None, "media": None, "edits": None}]
    assert not await users.handled(key)  # another worker got there first
    assert await users.handled((Platform.TELEGRAM, 1, 0, "hello"))  # each platform its own ids
    assert await users.seen((Platform.TELEGRAM, 1, 0, "hello")) == []  # handled, nothing kept


async def test_the_replies_kept_with_an_update_are_pruned_before_the_update(
    any_db: Database,
) -> None:
    users = UserService(any_db)
    key = (Platform.BALE, 1, 0, "hello")
    assert await users.handled(key, [{"text": "hi", "markup": None, "media": None, "edits": None}])
    later = utcnow() + timedelta(days=2)
    assert await users.prune_processed_updates(timedelta(days=7), later) == 0
    assert await users.seen(key) == []  # still known as handled, its replies forgotten


async def test_a_reused_update_id_with_other_content_is_a_new_update(any_db: Database) -> None:
    """A server that numbers its updates afresh (a restart; Bale counts from 0) reuses
    ids: only the same id with the same content is a redelivery."""
    users = UserService(any_db)
    assert await users.handled((Platform.BALE, 1, 0, "before the reset"))
    after = (Platform.BALE, 1, 0, "after the reset")
    assert await users.seen(after) is None
    assert await users.handled(after)
    assert await users.seen(after) is not None and not await users.handled(after)
    assert await users.seen((Platform.BALE, 1, 0, "before the reset")) is None


async def test_users_are_per_platform_and_names_refresh(any_db: Database) -> None:
    users = UserService(any_db)
    tg = await users.visit(sara(Platform.TELEGRAM))
    bale = await users.visit(sara(Platform.BALE))
    assert tg.new and bale.new and tg.id != bale.id
    assert not (await users.visit(sara(Platform.TELEGRAM))).new
    renamed = await users.visit(sara(Platform.TELEGRAM, "Sarah", last="K", username="sk"))
    assert renamed.id == tg.id and renamed.first_name == "Sarah"
    await users.set_locale(renamed, "en")
    again = await users.get(Platform.TELEGRAM, 5)
    assert again and again.locale == "en"


async def test_someone_who_blocked_the_bot_and_writes_again_is_unblocked(
    any_db: Database,
) -> None:
    users = UserService(any_db)
    user = await users.visit(sara())
    await users.blocked(user.id)
    await users.visit(sara())
    async with any_db.read() as session:
        found = await session.execute(text("SELECT blocked FROM users"))
        assert found.scalar() in (False, 0)


async def test_old_update_ids_are_pruned(any_db: Database) -> None:
    users = UserService(any_db)
    await users.handled((Platform.BALE, 1, 1, "x"))
    assert await users.prune_processed_updates(timedelta(days=7)) == 0
    later = utcnow() + timedelta(days=8)
    assert await users.prune_processed_updates(timedelta(days=7), now=later) == 1


async def test_a_conversation_survives_a_new_database_handle(any_db: Database) -> None:
    from zoneinfo import ZoneInfo

    user = await UserService(any_db).visit(sara())
    first = ConversationService(any_db, ZoneInfo(TEHRAN))
    draft = await first.begin(user.id, "intake", {"_call": "3"})
    await UserService(any_db).set_state(user.id, "intake/answering")
    reopened = Database(any_db.url)
    again = ConversationService(reopened, ZoneInfo(TEHRAN))
    found = await again.draft(user.id)
    assert found is not None and found.id == draft.id and found.answers == {"_call": "3"}
    assert await again.draft(user.id, "call") is None  # one draft per conversation
    assert (await UserService(reopened).get(Platform.BALE, 5)).state == "intake/answering"  # type: ignore[union-attr]
    await reopened.dispose()


async def test_sqlite_pragmas(db: Database) -> None:
    async with db.read() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
        # SQLite's own busy handler would block the event loop: it is left a moment only.
        busy = (await session.execute(text("PRAGMA busy_timeout"))).scalar()
        assert busy is not None and busy <= 50


async def test_a_write_waits_for_another_process_without_stopping_the_loop(
    tmp_path: Path,
) -> None:
    """Another process holds the write lock for 0.4 s: our write waits for it and then
    goes through, and meanwhile the event loop keeps serving everything else."""
    path = tmp_path / "busy.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    users = UserService(db)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    loop = asyncio.get_running_loop()
    loop.call_later(0.4, other.rollback)
    started = loop.time()
    try:
        user = await users.visit(sara())
    finally:
        ticker.cancel()
        other.close()
        await db.dispose()
    assert user.id > 0
    assert loop.time() - started >= 0.35  # it did wait for the lock
    assert ticks >= 20  # and the loop ran meanwhile (a blocked loop ticks about once)


async def test_concurrent_read_then_write_loses_nothing(tmp_path: Path) -> None:
    """Read-then-write from two handles on one file (two workers).

    Each handle queues its own writers; across handles only BEGIN IMMEDIATE keeps a
    read-then-write from losing updates or failing with "database is locked"."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'race.db'}"
    first, second = Database(url), Database(url)
    await first.upgrade()
    user = await UserService(first).visit(sara())
    async with first.write() as session:
        await drafts.save_draft(session, user.id, "title", {"n": 0}, False)

    async def increment(db: Database) -> None:
        async with db.write() as session:
            row = await drafts.get_draft(session, user.id)
            assert row is not None
            await drafts.save_draft(session, user.id, "title", {"n": row.answers["n"] + 1}, False)

    await asyncio.gather(*(increment(first if i % 2 else second) for i in range(200)))
    async with first.read() as session:
        row = await drafts.get_draft(session, user.id)
        assert row is not None and row.answers == {"n": 200}
    await first.dispose()
    await second.dispose()


async def test_a_write_inside_a_write_is_the_same_transaction(any_db: Database) -> None:
    users = UserService(any_db)
    done: list[str] = []

    async def after() -> None:
        done.append("after")

    with pytest.raises(RuntimeError):
        async with any_db.write():
            await users.visit(sara())  # its own write joins this one
            any_db.after_commit(after)
            raise RuntimeError("the change fails")
    assert await users.get(Platform.BALE, 5) is None and done == []  # all of it undone
    async with any_db.write():
        await users.visit(sara())
        any_db.after_commit(after)
        assert done == []  # not before the commit
    assert done == ["after"] and await users.get(Platform.BALE, 5) is not None


async def test_a_unit_commits_everything_once_at_its_end(any_db: Database) -> None:
    users = UserService(any_db)
    outside = Database(any_db.url)
    async with any_db.unit():
        user = await users.visit(sara())
        await users.set_state(user.id, "intake/answering")
        assert (await users.get(Platform.BALE, 5)).state == "intake/answering"  # type: ignore[union-attr]
        assert await UserService(outside).get(Platform.BALE, 5) is None  # not yet committed
    found = await UserService(outside).get(Platform.BALE, 5)
    assert found is not None and found.state == "intake/answering"
    await outside.dispose()


async def test_migrations_go_down_and_up_again(any_db: Database) -> None:
    await any_db.downgrade("base")
    assert await any_db.revision() is None
    await any_db.upgrade()
    assert (await UserService(any_db).visit(sara())).new
