"""Fixtures: a clean environment, databases (SQLite, and PostgreSQL when it answers), apps
whose requests are recorded, and the fake Bot API servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.devtools.fakeapi import FakeBotAPI, Flavour
from bot.devtools.recording import recorded
from storage import Database
from tests.support.databases import fresh_database
from tests.support.e2e import BALE_TOKEN, TG_TOKEN

# Figures a test measured (the cluster's), shown at the end of the run.
_FIGURES: list[str] = []


@pytest.fixture
def report() -> Callable[[str], None]:
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's own .env or variables."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    # Several bot processes run at once in some tests: only the console's tests serve it.
    monkeypatch.setenv("CONSOLE_BIND", "off")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
async def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The storage tests run on SQLite and, when it answers, on PostgreSQL."""
    db = await fresh_database(request.param, tmp_path)
    yield db
    await db.dispose()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await fresh_database("sqlite", tmp_path)
    yield database
    await database.dispose()


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"}
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def make_app(make_settings: Callable[..., Settings], db: Database) -> Callable[..., App]:
    """A fresh app over the test database, its requests recorded: calling it twice is a
    restart."""

    def make(**overrides: Any) -> App:
        return build_app(make_settings(**overrides), db, connection=recorded)

    return make


@pytest.fixture
async def servers() -> AsyncIterator[tuple[FakeBotAPI, FakeBotAPI]]:
    telegram = FakeBotAPI(Flavour.TELEGRAM, token=TG_TOKEN)
    bale = FakeBotAPI(Flavour.BALE, token=BALE_TOKEN)
    await telegram.start()
    await bale.start()
    yield telegram, bale
    await telegram.stop()
    await bale.stop()
