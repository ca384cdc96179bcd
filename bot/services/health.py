"""Which failures are the database's absence, not a fault of what was asked: a webhook
update that met one is answered "try again", and the platform sends it again later."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database could not be reached or went away mid-way (as
    SQLAlchemy raises it, or SQLite's driver, for what `storage.lean` runs on it: a
    write lock held too long by another process, a disk that failed)."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout | OSError):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
