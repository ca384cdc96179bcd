"""What differs between SQLite and PostgreSQL in our SQL, in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

_S = TypeVar("_S")


def upsert(session: AsyncSession, table: Any) -> Any:
    """INSERT with ON CONFLICT support for the session's dialect."""
    module = postgresql if is_postgresql(session) else sqlite
    return module.insert(table)


def built_once(build: Callable[[Any], _S]) -> Callable[[AsyncSession], _S]:
    """A statement built once per dialect (`build` is given the dialect's `insert`), its
    values passed as parameters when it runs. For the few statements every update
    makes, building them anew cost more than running them (measured with
    `python -m bench.intake`)."""
    built = cache(lambda name: build((postgresql if name == "postgresql" else sqlite).insert))
    return lambda session: built(session.get_bind().dialect.name)


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def rowcount(result: Any) -> int:
    """How many rows a DML statement touched."""
    return int(result.rowcount)
