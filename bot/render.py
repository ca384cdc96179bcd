"""One renderer per platform: user text is data, never markup.

Message templates come from the catalogs and may use <b>, <i> and <code>.
Telegram receives them as HTML with every value escaped. Bale receives no
parse_mode at all: the tags are dropped and values are inserted exactly as the
person typed them, bounded in length.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from aiogram.utils.i18n.context import get_i18n

from bot.persian import localize_digits
from bot.platforms import PlatformProfile

_TEMPLATE_TAGS = re.compile(r"</?(?:b|i|u|s|code)>")
VALUE_LIMIT = 1000
LONG_VALUE_LIMIT = 3500
ELLIPSIS = "…"


LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def left_to_right(text: str) -> str:
    """Latin text (a code, a phone number) kept in its order inside Persian text."""
    return f"{LRI}{text}{PDI}"


def isolated(text: str) -> str:
    """Text of either direction (a title) that must not reorder the line around it."""
    return f"{FSI}{text}{PDI}"


def bound(text: str, limit: int = VALUE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


MESSAGE_BUDGET = 3800  # of the platforms' 4096, leaving room for what goes around


def latest_that_fit(lines: list[str], budget: int = MESSAGE_BUDGET) -> list[str]:
    """The last lines of `lines` whose total stays within `budget` characters."""
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        used += len(line) + 1
        if used > budget:
            break
        kept.append(line)
    return kept[::-1]


def current_locale(default: str = "fa") -> str:
    try:
        return get_i18n().current_locale
    except LookupError:
        return default


@dataclass(frozen=True, slots=True)
class Renderer:
    profile: PlatformProfile

    @property
    def html(self) -> bool:
        return self.profile.html

    def value(self, value: object, *, limit: int = VALUE_LIMIT, locale: str | None = None) -> str:
        """One value as it may appear in a message on this platform."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return localize_digits(str(value), locale or current_locale())
        text = bound(str(value), limit)
        return html.escape(text, quote=False) if self.html else text

    def plain(self, template: str, /, *, limit: int = 60, **values: object) -> str:
        """Text that is never parsed as markup (button labels): tags dropped, nothing escaped."""
        locale = current_locale()
        prepared = {
            name: localize_digits(str(v), locale) if isinstance(v, int) else bound(str(v), limit)
            for name, v in values.items()
        }
        return html.unescape(_TEMPLATE_TAGS.sub("", template)).format(**prepared)

    def __call__(self, template: str, /, **values: object) -> str:
        """`template` with `values` inserted as data, each at most VALUE_LIMIT characters."""
        return self._format(template, VALUE_LIMIT, values)

    def whole(self, template: str, /, **values: object) -> str:
        """The same, for where a whole answer must be shown (up to LONG_VALUE_LIMIT)."""
        return self._format(template, LONG_VALUE_LIMIT, values)

    def _format(self, template: str, limit: int, values: dict[str, object]) -> str:
        locale = current_locale()
        prepared = {
            name: self.value(value, limit=limit, locale=locale) for name, value in values.items()
        }
        if not self.html:
            template = html.unescape(_TEMPLATE_TAGS.sub("", template))
        return template.format(**prepared) if values else template
