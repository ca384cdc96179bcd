"""The database handle: engine, SQLite pragmas, transactions, migrations.

Transactions are ambient. A `write()` inside another `write()` (a service writing a
notice inside its own change, say) joins it instead of starting a second one, and a
`read()` inside a `write()` reads what it wrote. A `unit()` (one update's handling)
keeps the write transaction it opens until the unit ends, so everything an update
changes commits together, once. Work that must follow a commit (sending what was just
written) is given to `after_commit` and runs only when, and if, the commit happened.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import lean, sqlite

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The advisory lock key held while migrating PostgreSQL (any constant; ours alone).
_MIGRATING = 0x1DEAB07_0009

AfterCommit = Callable[[], Awaitable[None]]
_T = TypeVar("_T")


@dataclass
class _Scope:
    """The write transaction this task is in, and what waits for its commit."""

    db: Database
    unit: bool
    session: AsyncSession | None = None
    callbacks: list[AfterCommit] = field(default_factory=list)
    channels: set[str] = field(default_factory=set)  # to NOTIFY as it commits
    closed: bool = False


async def _patiently(begin: Callable[[], Awaitable[_T]]) -> _T:
    """`begin` a write, waiting without blocking while another process holds SQLite's
    write lock (up to `sqlite.BUSY_TIMEOUT_S`, then the error stands)."""
    deadline = time.monotonic() + sqlite.BUSY_TIMEOUT_S
    pause = 0.002
    while True:
        try:
            return await begin()
        except Exception as exc:  # busy as SQLAlchemy raises it, or as the driver does
            if not sqlite.busy(exc) or time.monotonic() + pause > deadline:
                raise
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.1)


_scope: ContextVar[_Scope | None] = ContextVar("ideabot_transaction", default=None)


def head_revision() -> str:
    """The newest migration, read from the files (so a database already up to date is
    recognised without loading the migration tooling)."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "([^"]+)"', source, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', source, re.M)
        if revision:
            revisions[revision.group(1)] = down.group(1) if down else None
    heads = set(revisions) - {d for d in revisions.values() if d}
    assert len(heads) == 1, f"migrations have {len(heads)} heads: {heads}"
    return heads.pop()


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        options: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            database = parsed.database or ":memory:"
            if database != ":memory:":
                database = str(Path(database).expanduser())
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            options["async_creator"] = sqlite.connector(database)
        else:
            options["pool_pre_ping"] = True
        self.engine = create_async_engine(url, **options)
        if self.dialect == "sqlite":
            sqlite.install_hooks(self.engine.sync_engine)
        writer = self.engine.execution_options(**{sqlite.IMMEDIATE: True})
        # SQLite has one writer at a time. Queueing writers here, in the process, is
        # fairer and faster than letting them spin in SQLite's busy handler; another
        # process's lock is waited for by `_patiently`, without blocking the loop.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writer = async_sessionmaker(writer, expire_on_commit=False)

    def _current(self) -> _Scope | None:
        scope = _scope.get()
        return scope if scope is not None and scope.db is self and not scope.closed else None

    # ----- transactions -----
    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read; inside a write or a unit, that one's own session (it sees what it
        wrote). A unit's first read opens its write: a unit writes anyway (an update's
        claim), and one transaction costs less than a read's and then a write's."""
        scope = self._current()
        if scope is not None:
            if scope.session is None:
                scope.session = await self._begin()
            yield scope.session
            return
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction, committed on success, rolled back on error; inside
        another write or a unit, part of that one."""
        scope = self._current()
        if scope is not None:
            if scope.session is None:  # a unit's first write: open it, the unit commits
                scope.session = await self._begin()
            yield scope.session
            return
        scope = _Scope(self, unit=False)
        token = _scope.set(scope)
        try:
            scope.session = await self._begin()
            try:
                yield scope.session
            except BaseException:
                await self._end(scope, commit=False)
                raise
            await self._end(scope, commit=True)
        finally:
            _scope.reset(token)
        await self._after(scope)

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[None]:
        """Everything written inside commits together at the end (or not at all, if it
        raises); after-commit work runs after that."""
        if self._current() is not None:
            yield
            return
        scope = _Scope(self, unit=True)
        token = _scope.set(scope)
        try:
            try:
                yield
            except BaseException:
                await self._end(scope, commit=False)
                raise
            await self._end(scope, commit=True)
        finally:
            _scope.reset(token)
        await self._after(scope)

    def after_commit(self, callback: AfterCommit) -> None:
        """Run `callback` once the current write commits (now, if there is none)."""
        scope = self._current()
        if scope is None:
            raise RuntimeError("after_commit outside a write transaction")
        scope.callbacks.append(callback)

    def notify_at_commit(self, channel: str) -> bool:
        """PostgreSQL: NOTIFY `channel` with the current write's commit (once, however
        often asked: listeners hear of it only if it commits). False if there is no
        write to join; on SQLite, where no other process listens, it does nothing."""
        if self.dialect != "postgresql":
            return True
        scope = self._current()
        if scope is None or scope.session is None:
            return False
        scope.channels.add(channel)
        return True

    async def notify(self, channel: str) -> None:
        """NOTIFY `channel` now (PostgreSQL; nothing on SQLite)."""
        if self.dialect == "postgresql":
            async with self.write() as session:
                await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})

    def trace(self, callback: Callable[[str], None]) -> None:
        """SQLite: `callback` is given every statement SQLite runs from now on (BEGIN and
        COMMIT included), whichever way it was sent, SQLAlchemy or `storage.lean`: what
        the benchmarks count."""
        if self._write_lock is None:
            raise RuntimeError("statements are traced on SQLite only")

        def on_checkout(dbapi_connection: Any, *_: Any) -> None:
            sqlite.inline(dbapi_connection).sqlite.set_trace_callback(callback)

        event.listen(self.engine.sync_engine, "checkout", on_checkout)

    def in_write(self) -> bool:
        scope = self._current()
        return scope is not None and scope.session is not None

    async def _begin(self) -> AsyncSession:
        """A write transaction, begun now (on SQLite, holding the write lock)."""
        if self._write_lock is not None:
            # SQLite's calls are made in place and never give way to other tasks: without
            # this, one task could run many transactions while others (a notice waiting to
            # be marked sent) never got the loop.
            await asyncio.sleep(0)
            await self._write_lock.acquire()
        try:
            return await _patiently(self._open_write)
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise

    async def _open_write(self) -> AsyncSession:
        if self._write_lock is not None:
            return await self._open_lean()
        session = self._writer()
        try:
            await session.connection()  # BEGIN (IMMEDIATE, on SQLite) is sent here
        except BaseException:
            await session.close()
            raise
        return session

    async def _open_lean(self) -> AsyncSession:
        """SQLite: a write begun on the driver itself (BEGIN IMMEDIATE), its connection
        given to the session, whose own machinery joins the transaction only if a
        statement needs more than `storage.lean` (SQLAlchemy's begin and commit cost
        many times SQLite's own)."""
        held = await self.engine.connect()
        try:
            connection = await sqlite.driver(held)
            connection.execute("BEGIN IMMEDIATE")  # busy: retried by `_patiently`
        except BaseException:
            await held.close()
            raise
        session = AsyncSession(bind=held, expire_on_commit=False)
        session.info[lean.CONNECTION] = connection
        return session

    @staticmethod
    async def _end_lean(session: AsyncSession, *, commit: bool) -> None:
        connection: Any = session.info[lean.CONNECTION]
        held = session.bind
        try:
            if session.in_transaction():  # the session joined: it ends what it joined
                await (session.commit() if commit else session.rollback())
            # Still open if the session never reached the driver (nothing of its own to
            # write): what the lean statements wrote is committed here.
            if connection.in_transaction:
                connection.execute("COMMIT" if commit else "ROLLBACK")
        except BaseException:
            if connection.in_transaction:  # a commit that failed: nothing half done stays
                connection.execute("ROLLBACK")
            raise
        finally:
            await session.close()
            assert isinstance(held, AsyncConnection)
            await held.close()

    async def _end(self, scope: _Scope, *, commit: bool) -> None:
        scope.closed = True
        session, scope.session = scope.session, None
        if session is None:
            return
        try:
            if self._write_lock is not None:
                if not commit:
                    scope.callbacks.clear()
                await self._end_lean(session, commit=commit)
            elif commit:
                for channel in sorted(scope.channels):
                    await session.execute(
                        text("SELECT pg_notify(:channel, '')"), {"channel": channel}
                    )
                await session.commit()
            else:
                scope.callbacks.clear()
                await session.rollback()
        except BaseException:
            scope.callbacks.clear()
            raise
        finally:
            if self._write_lock is None:
                await session.close()
            else:
                self._write_lock.release()

    @staticmethod
    async def _after(scope: _Scope) -> None:
        for callback in scope.callbacks:
            try:
                await callback()
            except Exception:
                log.exception("work after a commit failed")

    # ----- migrations -----
    async def revision(self) -> str | None:
        """The database's migration, or None for an empty database."""
        try:
            async with self._reader() as session:
                found = await session.scalar(text("SELECT version_num FROM alembic_version"))
                return str(found) if found is not None else None
        except (OperationalError, ProgrammingError):
            return None

    def alembic_config(self) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    async def upgrade(self, revision: str = "head") -> None:
        """Migrate to `revision`; a database already at the newest one is left as it is
        without loading the migration tooling (a quicker start)."""
        if revision == "head" and await self.revision() == head_revision():
            return
        from alembic import command

        config = self.alembic_config()

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        conn = await _patiently(self._open_migration)
        try:
            if self.dialect == "postgresql":
                # Several workers starting at once on PostgreSQL: one migrates, the others
                # wait here and find the work done (SQLite's BEGIN IMMEDIATE does the same).
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATING})
            await conn.run_sync(run)
            await conn.commit()
        finally:
            await conn.close()

    async def _open_migration(self) -> AsyncConnection:
        conn = await self.engine.execution_options(**{sqlite.IMMEDIATE: True}).connect()
        try:
            await conn.begin()
        except BaseException:
            await conn.close()
            raise
        return conn

    async def downgrade(self, revision: str = "base") -> None:
        from alembic import command

        config = self.alembic_config()

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)

        async with self.engine.begin() as conn:
            await conn.run_sync(run)

    async def dispose(self) -> None:
        await self.engine.dispose()
