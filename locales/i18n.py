"""Translation: the gettext catalogs under this folder, the reader's language, and texts
that are translated when they are shown.

The `.po` files are the only source: they are compiled in memory the first time a text is
translated, so there are no `.mo` files to forget. Fuzzy entries are left out, as msgfmt
would. The language is a context variable: each update, and each message composed for
one reader, sets it for the code it runs (`use_locale`).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

LOCALES_DIR = Path(__file__).parent
DOMAIN = "messages"
LOCALES = ("fa", "en")
DEFAULT_LOCALE = "fa"

_current: ContextVar[str] = ContextVar("ideabot_locale", default=DEFAULT_LOCALE)


@cache
def catalogs() -> dict[str, _gettext.GNUTranslations]:
    """Every locale's catalog, compiled from its .po file (once per process)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    found: dict[str, _gettext.GNUTranslations] = {}
    for po_path in sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale, domain=DOMAIN)
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        found[locale] = _gettext.GNUTranslations(buffer)
    return found


def known(locale: str | None) -> bool:
    return locale in LOCALES


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Speak `locale` (one of LOCALES) in the code run inside."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Speak `locale` for the rest of this task (an update's handling)."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str, locale: str | None = None) -> str:
    translations = catalogs().get(locale or _current.get())
    return translations.gettext(message) if translations is not None else message


class Text:
    """A text people see, translated into the current language each time it is shown.

    `str(text)` is the translation; `text.id` the English original (the catalogs' key).
    """

    __slots__ = ("id",)

    def __init__(self, message: str) -> None:
        self.id = message

    def __str__(self) -> str:
        return gettext(self.id)

    def __repr__(self) -> str:
        return f"Text({self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def format(self, **values: object) -> str:
        return str(self).format(**values)


def N_(message: str) -> Text:
    """Mark `message` for the catalogs; it is translated when shown."""
    return Text(message)
