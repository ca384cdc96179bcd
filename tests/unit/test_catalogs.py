"""Every message the code can show has a Persian and an English translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from locales.i18n import LOCALES, LOCALES_DIR, gettext

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TAG = re.compile(r"</?\w+>")


def marked(package: str) -> set[str]:
    """The texts marked for translation in one package."""
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / package,
        method_map=[("**.py", "python")],
        keywords={"N_": None, "_": None, "__": None, "gettext": None},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def source_messages() -> set[str]:
    return marked("locales")


def catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


MESSAGES = sorted(source_messages())


def test_messages_are_found() -> None:
    assert len(MESSAGES) > 20


@pytest.mark.parametrize("package", ["bot", "handlers", "storage"])
def test_no_text_people_see_is_written_outside_locales(package: str) -> None:
    assert marked(package) == set(), f"{package}: move these texts to locales/"


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_every_message_is_translated(locale: str) -> None:
    entries = catalog(locale)
    missing = [m for m in MESSAGES if m not in entries or not entries[m].string]
    fuzzy = [m for m in MESSAGES if m in entries and entries[m].fuzzy]
    assert not missing, f"{locale}: untranslated: {missing}"
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_translations_keep_placeholders_and_tags(locale: str) -> None:
    entries = catalog(locale)
    for message in MESSAGES:
        translated = str(entries[message].string)
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(message)), (
            message
        )
        assert sorted(TAG.findall(translated)) == sorted(TAG.findall(message)), message


def test_template_is_up_to_date() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert template == set(MESSAGES), "run the pybabel extract command in docs/architecture.md"


def test_persian_text_uses_persian_letters_not_arabic() -> None:
    for entry in catalog("fa"):
        assert not re.search("[يكى]", str(entry.string)), entry.id


def test_loaded_catalogs_translate() -> None:
    assert gettext("⚙️ Settings", locale="fa") == "⚙️ تنظیمات"
    assert gettext("⚙️ Settings", locale="en") == "⚙️ Settings"
    assert set(LOCALES) == {"fa", "en"}


def test_persian_commands_read_left_to_right() -> None:
    """In a right-to-left line, "/settings" shows as "settings/" unless marked: each
    command is preceded by LRM, and a line that starts with one by RLM first."""
    command = re.compile(r"(?<![<\w:/.])(\u200e?)/[a-z][a-z_]*")
    for entry in catalog("fa"):
        text = str(entry.string)
        for found in command.finditer(text):
            assert found.group(1) == "\u200e", (entry.id, text[found.start() - 5 : found.end()])
        for line in text.split("\n"):
            if line.lstrip("\u200e").startswith("/"):
                raise AssertionError(f"{entry.id!r}: a line starting with a command needs RLM")
