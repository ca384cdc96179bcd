"""What differs between SQLite and PostgreSQL in our SQL, in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def upsert(session: AsyncSession, table: Any) -> Any:
    """INSERT with ON CONFLICT support for the session's dialect."""
    module = postgresql if is_postgresql(session) else sqlite
    return module.insert(table)


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def rowcount(result: Any) -> int:
    """How many rows a DML statement touched."""
    return int(result.rowcount)
