"""SQLite as ideabot uses it: WAL, one writer at a time, and statements run on the event
loop's own thread.

aiosqlite runs every call (a cursor, an execute, a fetch, a close) on a thread of its
own and wakes the loop when it is done: about eight thread hops per statement. For a
local file that waiting costs far more than the statement itself (measured with
`python -m bench.intake`: the whole intake ran twice as fast with the calls made in
place). So the connection here is aiosqlite's, with its calls made where they are
awaited. A statement on a local file takes microseconds; the one wait that could be
long, for another process's write lock, is not left to SQLite's busy handler (which
would hold up the loop) but retried asynchronously by the caller (`busy`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

# Execution option that asks the "begin" hook for BEGIN IMMEDIATE.
IMMEDIATE = "ideabot_begin_immediate"
# How long a write waits, in all, for another process to let go of the database.
BUSY_TIMEOUT_S = 15.0
# SQLite's own busy handler blocks the thread it runs on (here, the event loop's): it is
# left only a moment, for the rare read that meets a checkpoint; a write's wait for the
# lock is retried by `Database` without blocking.
_BLOCKING_BUSY_MS = 20


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, each call made on the calling thread (the event loop's)
    instead of a hop to its worker thread and back. The worker thread still opens and
    closes the connection and sets its isolation level, as SQLAlchemy asks of it."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (what `storage.lean` runs its statements on)."""
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return self._connection


def inline(dbapi_connection: Any) -> InlineConnection:
    """Our connection under SQLAlchemy's adapter of it."""
    found = dbapi_connection.driver_connection
    assert isinstance(found, InlineConnection), "an engine made by `Database`"
    return found


async def driver(connection: AsyncConnection) -> sqlite3.Connection:
    """The sqlite3 connection under one of the engine's connections."""
    return inline(await connection.get_raw_connection()).sqlite


def connector(database: str) -> Callable[[], InlineConnection]:
    """What the engine calls for a new connection to the file `database`."""

    def connect() -> InlineConnection:
        # Opened on aiosqlite's thread, used on the loop's: the same-thread check must go.
        opener = partial(sqlite3.connect, database, check_same_thread=False)
        return InlineConnection(opener, iter_chunk_size=64)

    return connect


def busy(exc: BaseException) -> bool:
    """Another process holds the write lock (SQLITE_BUSY): worth waiting for (as
    SQLAlchemy raises it, or the driver, for a statement run on it directly)."""
    if isinstance(exc, OperationalError):
        return "database is locked" in str(exc.orig)
    return isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc)


def install_hooks(sync_engine: Any) -> None:
    """WAL, NORMAL sync, a short busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

    pysqlite's own transaction handling is switched off so that we emit BEGIN
    ourselves: IMMEDIATE for writes (taking the write lock up front, so a
    read-then-write never fails with "database is locked": measured, 1,600 of 2,000
    concurrent read-then-writes failed with a plain BEGIN, none with IMMEDIATE),
    DEFERRED for reads.
    """

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            f"busy_timeout={_BLOCKING_BUSY_MS}",
            "foreign_keys=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        inline = conn.connection.driver_connection
        if isinstance(inline, InlineConnection) and inline.sqlite.in_transaction:
            return  # begun on the driver by `Database`: the session joins it
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
