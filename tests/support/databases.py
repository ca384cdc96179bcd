"""Fresh databases for tests: a SQLite file, or the PostgreSQL test database emptied
(only one whose name ends in "test", so no real data is ever dropped)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import Database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


async def fresh_database(kind: str, tmp_path: Path) -> Database:
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    else:
        if not POSTGRES_URL:
            pytest.skip("TEST_POSTGRES_URL is not set (no PostgreSQL to test against)")
        if not str(make_url(POSTGRES_URL).database or "").endswith("test"):
            pytest.fail("TEST_POSTGRES_URL must name a database whose name ends in 'test'")
        db = Database(POSTGRES_URL)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await db.upgrade()
    return db


async def own_database(server_url: str, name: str) -> str:
    """A database of its own on the test server, made afresh (its name must end in
    "test"); returns its URL."""
    import asyncpg

    assert name.endswith("test"), name
    server = make_url(server_url)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await connection.execute(f"CREATE DATABASE {name}")
    finally:
        await connection.close()
    return server.set(database=name).render_as_string(hide_password=False)
