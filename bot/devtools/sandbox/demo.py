"""The sandbox's demo people, its settings and the words of its page."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings, load_settings
from bot.devtools.fakeapi import DEFAULT_TOKEN, Flavour
from locales import sandbox as t
from locales.i18n import Text

# Each flavour its own token, so the two bots have different ids as real ones do.
TOKENS = {Flavour.TELEGRAM: DEFAULT_TOKEN, Flavour.BALE: "654321:TEST-fake-bale-token"}
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///sandbox.db"
# Tabriz, for the location the demo shares unless the person edits it.
DEMO_LATITUDE, DEMO_LONGITUDE = 38.0792, 46.2887


@dataclass(frozen=True, slots=True)
class DemoPerson:
    key: str
    user_id: int
    first_name: str
    last_name: str
    phone: str
    label: Text
    staff: bool = False


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("citizen", 1001, "سارا", "رضایی", "+989141234567", t.CITIZEN),
    DemoPerson("student", 1002, "علی", "محمدی", "+989149876543", t.STUDENT),
    DemoPerson("company", 1003, "نگین", "احمدی", "+989143332211", t.COMPANY),
    DemoPerson("staff", 9001, "نسرین", "کریمی", "+989120001122", t.STAFF, True),
)
PEOPLE_BY_KEY = {person.key: person for person in PEOPLE}


def staff_setting() -> str:
    """The STAFF value that makes the demo staff account an administrator on both flavours."""
    return ",".join(
        f"{flavour.value}:{person.user_id}:admin"
        for person in PEOPLE
        if person.staff
        for flavour in Flavour
    )


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """DATABASE_URL from the environment, else the sandbox's own file. A DATABASE_URL in a
    `.env` file is not used: it belongs to the real bot, whose data the reset would erase."""
    environ = os.environ if environ is None else environ
    return environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL


def sandbox_settings(urls: Mapping[Flavour, str], database: str) -> Settings:
    """The bot's settings: the sandbox's tokens, the fake servers, the demo staff."""
    return load_settings(
        telegram_bot_token=TOKENS[Flavour.TELEGRAM],
        telegram_api_url=urls[Flavour.TELEGRAM],
        bale_bot_token=TOKENS[Flavour.BALE],
        bale_api_url=urls[Flavour.BALE],
        staff=staff_setting(),
        database_url=database,
    )
