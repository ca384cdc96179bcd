"""The sandbox's demo people, its settings and the words of its page."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from babel.support import LazyProxy

from bot.config import Settings, load_settings
from bot.fakeapi import DEFAULT_TOKEN, Flavour
from bot.i18n import __

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
    label: LazyProxy
    staff: bool = False


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("citizen", 1001, "سارا", "رضایی", "+989141234567", __("Citizen")),
    DemoPerson("student", 1002, "علی", "محمدی", "+989149876543", __("University student")),
    DemoPerson("company", 1003, "نگین", "احمدی", "+989143332211", __("Knowledge-based company")),
    DemoPerson("staff", 9001, "نسرین", "کریمی", "+989120001122", __("Staff (administrator)"), True),
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


# The page's own words; the bot's words come from the bot.
PAGE_TEXTS: dict[str, LazyProxy] = {
    "title": __("ideabot sandbox"),
    "subtitle": __(
        "Talk to the real bot without a token: a Telegram and a Bale chat in your browser. "
        "Nothing leaves this computer."
    ),
    "telegram": __("Telegram"),
    "bale": __("Bale"),
    "people": __("Demo people"),
    "platform": __("Messenger"),
    "page_language": __("Page language"),
    "reset": __("Reset the demo"),
    "reset_confirm": __("Empty every chat and the sandbox's database?"),
    "reset_done": __("The demo was reset."),
    "start": __("Start"),
    "empty": __("No messages yet. Press Start to talk to the bot."),
    "hint": __("The bot's language is chosen in the chat: /language"),
    "message": __("Message"),
    "send": __("Send"),
    "attach": __("Attach a photo or a file"),
    "caption": __("Caption (optional)"),
    "share_contact": __("Share your contact"),
    "share_location": __("Share your location"),
    "phone": __("Phone number"),
    "latitude": __("Latitude"),
    "longitude": __("Longitude"),
    "cancel": __("Cancel"),
    "edited": __("edited"),
    "download": __("Download"),
    "contact": __("Contact"),
    "location": __("Location"),
    "commands": __("Commands"),
    "no_commands": __("This messenger shows no command menu."),
    "error": __("The sandbox did not answer. Is `ideabot sandbox` still running?"),
}
