"""The database handle: engine, SQLite pragmas, transactions, migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).with_name("migrations")
# Execution option that asks the SQLite "begin" hook for BEGIN IMMEDIATE.
_IMMEDIATE = "ideabot_begin_immediate"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _install_sqlite_hooks(sync_engine: Any) -> None:
    """DESIGN section 11: WAL, NORMAL sync, busy timeout, foreign keys, BEGIN IMMEDIATE.

    pysqlite's own transaction handling is switched off so that we emit BEGIN
    ourselves: IMMEDIATE for writes (taking the write lock up front, so a
    read-then-write never fails with "database is locked"), DEFERRED for reads.
    """

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "foreign_keys=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        options: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        else:
            options["pool_pre_ping"] = True
        self.engine = create_async_engine(url, **options)
        if self.dialect == "sqlite":
            _install_sqlite_hooks(self.engine.sync_engine)
        writer = self.engine.execution_options(**{_IMMEDIATE: True})
        # SQLite has one writer at a time. Queueing writers here, in the process, is
        # fairer and faster than letting them spin in SQLite's busy handler; the
        # busy timeout still covers other processes.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writer = async_sessionmaker(writer, expire_on_commit=False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction, committed on success, rolled back on error."""
        if self._write_lock is None:
            async with self._writer.begin() as session:
                yield session
            return
        async with self._write_lock, self._writer.begin() as session:
            yield session

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    async def upgrade(self, revision: str = "head") -> None:
        config = self.alembic_config()

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        async with self.engine.execution_options(**{_IMMEDIATE: True}).begin() as conn:
            await conn.run_sync(run)

    async def downgrade(self, revision: str = "base") -> None:
        config = self.alembic_config()

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)

        async with self.engine.begin() as conn:
            await conn.run_sync(run)

    async def dispose(self) -> None:
        await self.engine.dispose()
