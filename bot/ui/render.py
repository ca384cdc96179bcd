"""One renderer per platform: user text is data, never markup.

Message templates come from the catalogs and may use <b>, <i> and <code>. Telegram
receives them as HTML with every value escaped. Bale receives no parse_mode at all (the
tags are dropped), but its clients read their Markdown in any text, and Bale documents
no way to escape it. So in a value each of its markup characters is flanked by an
invisible word joiner: a `*`, `_` or backtick that touches neither a space nor the
line's edge opens or closes nothing, and a `]` no longer touches the `(` a link needs.
The person sees exactly what was typed; a title such as `[official notice](http://…)`
stays those characters, never a disguised link.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.core.persian import localize_digits
from bot.core.platforms import PlatformProfile
from bot.core.text import LONG_VALUE_LIMIT, VALUE_LIMIT, bound
from locales.i18n import Text, current_locale

_TEMPLATE_TAGS = re.compile(r"</?(?:b|i|u|s|code)>")
WORD_JOINER = "\u2060"
_BALE_MARKUP = re.compile(r"([*_`~\[\]])")


def bale_literal(text: str) -> str:
    """`text` as Bale's clients show it: its Markdown characters inert (see above)."""
    return _BALE_MARKUP.sub(f"{WORD_JOINER}\\1{WORD_JOINER}", text)


Template = Text | str


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
        return html.escape(text, quote=False) if self.html else bale_literal(text)

    def plain(self, template: Template, /, *, limit: int = 60, **values: object) -> str:
        """Text that is never parsed as markup (button labels): tags dropped, nothing escaped."""
        locale = current_locale()
        prepared = {
            name: localize_digits(str(v), locale) if isinstance(v, int) else bound(str(v), limit)
            for name, v in values.items()
        }
        return html.unescape(_TEMPLATE_TAGS.sub("", str(template))).format(**prepared)

    def __call__(self, template: Template, /, **values: object) -> str:
        """`template` with `values` inserted as data, each at most VALUE_LIMIT characters."""
        return self._format(str(template), VALUE_LIMIT, values)

    def whole(self, template: Template, /, **values: object) -> str:
        """The same, for where a whole answer must be shown (up to LONG_VALUE_LIMIT)."""
        return self._format(str(template), LONG_VALUE_LIMIT, values)

    def _format(self, template: str, limit: int, values: dict[str, object]) -> str:
        locale = current_locale()
        prepared = {
            name: self.value(value, limit=limit, locale=locale) for name, value in values.items()
        }
        if not self.html:
            template = html.unescape(_TEMPLATE_TAGS.sub("", template))
        return template.format(**prepared) if values else template
