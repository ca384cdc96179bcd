"""The statements every update makes, run straight on SQLite's own connection.

SQLAlchemy's execution of a statement (and its session's begin and commit) costs many
times what SQLite itself spends on a local file, and an intake step makes about six:
most of a step's time went to that machinery. Moving them here took
`python -m bench.intake` from about 0.13 of the bare form's throughput to above 0.2.

A `Lean` statement is still built with SQLAlchemy, compiled by it once per dialect,
and its values converted by each column type's own bind and result processors (so a
date or a JSON value is stored exactly as every other statement stores it). Inside a
unit on SQLite, `Database` gives the session the unit's sqlite3 connection, and the
statement runs there, in the same transaction as everything else the unit writes.
Anywhere else (PostgreSQL, whose cost is the round trip; a read outside a unit) it runs
through the session like any other statement.

What a lean statement writes is not seen by ORM objects the same unit loaded before
(they keep their values): it is kept to rows the unit does not hold as objects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnDefault, Table, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

# Where `Database` puts a unit's sqlite3 connection (in the session's `info`).
CONNECTION = "ideabot_lean_connection"

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the value of each `?`, in order
    binds: dict[str, Processor]
    defaults: dict[str, Any]  # values written into the statement (a literal, say)
    results: tuple[Processor, ...]  # one per column returned


def _compile(statement: Any, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    # A column default or onupdate computed in Python is SQLAlchemy's execution's work,
    # which a lean statement skips: such a statement must give those values itself.
    computed = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
    if computed:
        raise ValueError(f"a lean statement must give these values itself: {computed}")
    binds = {
        name: bind.type.dialect_impl(dialect).bind_processor(dialect)
        for name, bind in compiled.binds.items()
    }
    defaults = {name: bind.effective_value for name, bind in compiled.binds.items()}
    results = tuple(
        c.type.dialect_impl(dialect).result_processor(dialect, None)
        for c in statement.exported_columns
    )
    return _Compiled(compiled.string, tuple(compiled.positiontup or ()), binds, defaults, results)


class Lean:
    """One statement, built once per dialect by `build` (given the dialect's `insert`,
    for an upsert), its values given as named parameters when it runs."""

    def __init__(self, build: Callable[[Any], Executable]) -> None:
        self._build = cache(
            lambda name: build((postgresql if name == "postgresql" else sqlite_dialect).insert)
        )
        self._compiled: _Compiled | None = None

    def statement(self, session: AsyncSession) -> Any:
        return self._build(session.get_bind().dialect.name)

    async def rows(self, session: AsyncSession, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows it returns, each a tuple in the order of its columns."""
        connection = await _lean(session)
        if connection is None:
            return [tuple(row) for row in await session.execute(self.statement(session), values)]
        compiled = self._compiled_for(session)
        cursor = connection.execute(compiled.sql, _values(compiled, values))
        found = cursor.fetchall()
        cursor.close()
        return [_row(compiled.results, row) for row in found]

    async def first(self, session: AsyncSession, values: dict[str, Any]) -> tuple[Any, ...] | None:
        rows = await self.rows(session, values)
        return rows[0] if rows else None

    async def count(self, session: AsyncSession, values: dict[str, Any]) -> int:
        """How many rows it changed."""
        connection = await _lean(session)
        if connection is None:
            result: Any = await session.execute(self.statement(session), values)
            return int(result.rowcount)
        compiled = self._compiled_for(session)
        cursor = connection.execute(compiled.sql, _values(compiled, values))
        changed = cursor.rowcount
        cursor.close()
        return int(changed)

    def _compiled_for(self, session: AsyncSession) -> _Compiled:
        if self._compiled is None:  # only SQLite's is ever compiled here
            dialect = session.get_bind().dialect
            self._compiled = _compile(self._build(dialect.name), dialect)
        return self._compiled


async def _lean(session: AsyncSession) -> sqlite3.Connection | None:
    """The unit's sqlite3 connection, once the session's own pending changes are written
    (a lean statement must see them); None where statements go through the session."""
    connection: sqlite3.Connection | None = session.info.get(CONNECTION)
    if connection is None:
        return None
    if session.new or session.dirty or session.deleted:
        await session.flush()
    if not connection.in_transaction:  # ended early (a failed flush rolls it back)
        raise RuntimeError("the unit's transaction has ended: nothing more may be written")
    return connection


def _values(compiled: _Compiled, given: dict[str, Any]) -> list[Any]:
    found = []
    for name in compiled.names:
        value = given[name] if name in given else compiled.defaults[name]
        process = compiled.binds[name]
        found.append(process(value) if process is not None else value)
    return found


def _row(results: Sequence[Processor], row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(
        process(value) if process is not None else value
        for process, value in zip(results, row, strict=True)
    )


class Insert:
    """A lean INSERT of one row that gives every column but the key, returning the key.

    What the caller leaves out gets the column's default as SQLAlchemy would give it (a
    constant, or the callable's value, such as the time now), or NULL."""

    def __init__(self, table: Table) -> None:
        columns = [c for c in table.c if not c.primary_key]
        [key] = table.primary_key.columns
        self._blank: dict[str, Any] = {}
        self._computed: dict[str, Callable[[Any], Any]] = {}
        for c in columns:
            default = c.default
            if isinstance(default, ColumnDefault) and default.is_callable:
                self._computed[c.key] = default.arg  # wrapped by SQLAlchemy: takes a context
            else:
                self._blank[c.key] = default.arg if isinstance(default, ColumnDefault) else None
        self._lean = Lean(
            lambda insert: (
                insert(table)
                .values({c.key: bindparam(c.key, type_=c.type) for c in columns})
                .returning(key)
            )
        )

    async def add(self, session: AsyncSession, values: dict[str, Any]) -> int:
        unknown = set(values) - set(self._blank) - set(self._computed)
        if unknown:
            raise ValueError(f"not columns of the table: {sorted(unknown)}")
        computed = {k: make(None) for k, make in self._computed.items() if k not in values}
        [(key,)] = await self._lean.rows(session, self._blank | computed | values)
        return int(key)
