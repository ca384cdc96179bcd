"""What several processes on one database need from it. On PostgreSQL, a cluster's
locks and wake-ups; on SQLite (one process, whose writers the database handle already
queues) only the guard against a second sender and clock:

- `hold_chat`: a transaction-scoped advisory lock per chat, so one chat's updates are
  handled one at a time across workers (released by the commit or the rollback, and by
  PostgreSQL itself when a worker dies mid-way);
- `CHANNEL` (NOTIFY, sent with the commit that wrote outbox rows) and
  `Leadership.listen` (LISTEN): a worker wakes the sender in another process at once;
- `SoleClock`: on SQLite, a lock on a file beside the database, so that a second
  process that would also send and keep the clock is refused instead of doubling both;
- `Leadership`: a session advisory lock on a connection of its own. Whoever holds it is
  the cluster's one sender and one clock; the others wait as standbys. A holder that
  dies loses it with its connection, and a standby takes it on its next try.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import is_postgresql

log = logging.getLogger(__name__)

CHANNEL = "ideabot_outbox"
KEEPALIVE = {
    "tcp_keepalives_idle": "5",
    "tcp_keepalives_interval": "3",
    "tcp_keepalives_count": "3",
}


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


LEADER_KEY = lock_key("ideabot:sender-and-clock")


async def hold_chat(session: AsyncSession, platform: str, chat_id: int) -> None:
    """Wait until no other transaction holds this chat, and hold it until this one ends."""
    if is_postgresql(session):
        key = lock_key(f"ideabot:chat:{platform}:{chat_id}")
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def clustered(url: str) -> bool:
    """Whether this database can hold a cluster (PostgreSQL), or only one process."""
    return make_url(url).get_backend_name() == "postgresql"


class SoleClock:
    """The one sender and clock of a SQLite database: an exclusive lock on
    `<database>.clock`, held while the process lives (the system frees it when it dies)."""

    def __init__(self, url: str) -> None:
        database = make_url(url).database or ""
        self.path = Path(f"{database}.clock") if database and database != ":memory:" else None
        self._fd: int | None = None

    def take(self) -> bool:
        """False if another process holds it."""
        if self.path is None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # opening the database will fail too, and say why
            log.debug("cannot open %s: %s", self.path, exc)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing it frees the lock
            self._fd = None


class Leadership:
    """The cluster-wide lock of the one sender and clock, on a connection of its own."""

    def __init__(self, url: str, key: int = LEADER_KEY) -> None:
        self.dsn = _dsn(url)
        self.key = key
        self._connection: Any = None
        self.lost = False

    async def acquire(
        self,
        stop: asyncio.Event,
        every: float = 1.0,
        waiting: Callable[[], None] | None = None,
    ) -> bool:
        """Wait until this process holds the lock (True) or `stop` is set (False);
        `waiting` is called once, if the first try finds it held. A database that
        cannot be reached is tried again, never fatal: a standby waits."""
        first = True
        while not stop.is_set():
            if not first and waiting is not None:
                waiting()
                waiting = None
            first = False
            try:
                if self._connection is None or self._connection.is_closed():
                    # The server probes this connection every few seconds: if the holder's
                    # machine or network goes, the lock is freed in about 15 s, not hours.
                    self._connection = await asyncpg.connect(
                        self.dsn, server_settings=KEEPALIVE, timeout=10
                    )
                held = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", self.key)
                if held:
                    return True
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("cannot reach the database to take the lead: %s", exc)
                await self._drop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
        return False

    async def keep(self, ending: asyncio.Event, every: float = 2.0) -> None:
        """Until `ending`: check that the lock's connection lives. If it broke, the lock
        went with it (another process may hold it now): `lost`, and `ending` is set."""
        while not ending.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ending.wait(), timeout=every)
            if ending.is_set():
                return
            try:
                await asyncio.wait_for(self._connection.fetchval("SELECT 1"), timeout=every)
            except Exception as exc:
                log.error("lost the connection that holds the lead: %s", exc)
                self.lost = True
                ending.set()

    async def listen(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever a worker announces rows (on the lock's connection)."""

        def heard(*_args: Any) -> None:
            callback()

        await self._connection.add_listener(CHANNEL, heard)

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.terminate()

    async def release(self) -> None:
        """Give the lock up (closing its connection releases it, whatever state it is in)."""
        if self._connection is not None and not self._connection.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), timeout=5)
        await self._drop()
