"""Storage on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from aiogram.fsm.storage.base import StorageKey
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.platforms import Platform
from bot.users import UserService
from storage import Database, repo
from storage.fsm import SQLStorage
from storage.models import Base, utcnow


async def test_migrations_match_the_models(any_db: Database) -> None:
    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection)  # type: ignore[arg-type]
        differences: list[object] = compare_metadata(context, Base.metadata)
        return differences

    async with any_db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_a_redelivered_update_is_claimed_once(any_db: Database) -> None:
    users = UserService(any_db)
    profile = repo.Profile("bale", 7, 7, "Sara", None, None)
    first = await users.accept_update(Platform.BALE, 1, 0, profile)
    again = await users.accept_update(Platform.BALE, 1, 0, profile)
    other_platform = await users.accept_update(Platform.TELEGRAM, 1, 0, profile)
    assert first[0] and first[1] is not None
    assert again == (False, None)
    assert other_platform[0]


async def test_users_are_per_platform_and_names_refresh(any_db: Database) -> None:
    users = UserService(any_db)
    _, tg = await users.accept_update(
        Platform.TELEGRAM, 1, 10, repo.Profile("telegram", 5, 5, "Sara", None, None)
    )
    _, bale = await users.accept_update(
        Platform.BALE, 2, 10, repo.Profile("bale", 5, 5, "Sara", None, None)
    )
    assert tg and bale and tg.id != bale.id
    _, renamed = await users.accept_update(
        Platform.TELEGRAM, 1, 11, repo.Profile("telegram", 5, 5, "Sarah", "K", "sk")
    )
    assert renamed and renamed.id == tg.id and renamed.first_name == "Sarah"
    await users.set_locale(renamed, "en")
    again = await users.get(Platform.TELEGRAM, 5)
    assert again and again.locale == "en"


async def test_old_update_ids_are_pruned(any_db: Database) -> None:
    users = UserService(any_db)
    await users.accept_update(Platform.BALE, 1, 1, None)
    assert await users.prune_processed_updates(timedelta(days=7)) == 0
    later = utcnow() + timedelta(days=8)
    assert await users.prune_processed_updates(timedelta(days=7), now=later) == 1


async def test_fsm_state_survives_a_new_database_handle(any_db: Database) -> None:
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    storage = SQLStorage(any_db)
    await storage.set_state(key, "Intake:title")
    await storage.set_data(key, {"title": "سطل‌های هوشمند", "n": 3})
    await storage.set_state(key, "Intake:problem")

    reopened = SQLStorage(Database(any_db.url))
    assert await reopened.get_state(key) == "Intake:problem"
    assert await reopened.get_data(key) == {"title": "سطل‌های هوشمند", "n": 3}
    assert await reopened.get_state(StorageKey(bot_id=2, chat_id=5, user_id=5)) is None
    await reopened.set_state(key, None)
    assert await storage.get_state(key) is None
    await reopened.db.dispose()


async def test_sqlite_pragmas(db: Database) -> None:
    async with db.read() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() == 15_000


async def test_concurrent_read_then_write_loses_nothing(tmp_path: Path) -> None:
    """DESIGN section 11: read-then-write from two handles on one file (two workers).

    Each handle queues its own writers; across handles only BEGIN IMMEDIATE keeps a
    read-then-write from losing updates or failing with "database is locked"."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'race.db'}"
    first, second = Database(url), Database(url)
    await first.upgrade()
    async with first.write() as session:
        await repo.fsm_put(session, "counter", data={"n": 0})

    async def increment(db: Database) -> None:
        async with db.write() as session:
            record = await repo.fsm_get(session, "counter")
            assert record is not None
            await repo.fsm_put(session, "counter", data={"n": record.data["n"] + 1})

    await asyncio.gather(*(increment(first if i % 2 else second) for i in range(200)))
    async with first.read() as session:
        record = await repo.fsm_get(session, "counter")
        assert record is not None and record.data == {"n": 200}
    await first.dispose()
    await second.dispose()


async def test_migrations_go_down_and_up_again(any_db: Database) -> None:
    await any_db.downgrade("base")
    await any_db.upgrade()
    users = UserService(any_db)
    assert (await users.accept_update(Platform.BALE, 1, 1, None))[0]
