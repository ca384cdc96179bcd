"""Which failures a webhook answers with "try again": the database's absence, however it
is raised (by SQLAlchemy, or by SQLite's driver for the statements run on it directly),
and never a fault of what was asked."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.services.health import unavailable


def test_a_write_lock_held_too_long_is_the_database_being_unavailable() -> None:
    assert unavailable(sqlite3.OperationalError("database is locked"))
    assert unavailable(OperationalError("BEGIN", {}, sqlite3.OperationalError("locked")))
    assert unavailable(OSError("the disk went away"))


def test_a_broken_rule_is_not() -> None:
    assert not unavailable(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not unavailable(IntegrityError("INSERT", {}, sqlite3.IntegrityError("unique")))
    assert not unavailable(ValueError("a bad answer"))
