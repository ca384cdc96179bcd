"""gettext catalogs under locales/, read straight from the .po files with Babel."""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import locales

LOCALES_DIR = Path(locales.__file__).parent
DOMAIN = "messages"

__all__ = ["DOMAIN", "LOCALES_DIR", "CatalogI18n", "_", "__"]


class CatalogI18n(I18n):
    """aiogram's I18n, compiling the .po catalogs in memory at start.

    The .po files are the single source: no compiled .mo files to forget.
    Fuzzy entries are left out, as msgfmt would.
    """

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        translations: dict[str, gettext.GNUTranslations] = {}
        for po_path in sorted(self.path.glob(f"*/LC_MESSAGES/{self.domain}.po")):
            locale = po_path.parent.parent.name
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale, domain=self.domain)
            buffer = BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            translations[locale] = gettext.GNUTranslations(buffer)
        return translations


# aiogram looks the current I18n up through I18n's own context variable; a subclass
# would get a variable of its own, so share the base class's.
CatalogI18n._ContextInstanceMixin__context_instance = I18n._ContextInstanceMixin__context_instance  # type: ignore[attr-defined]


def make_i18n(default_locale: str) -> CatalogI18n:
    return CatalogI18n(path=LOCALES_DIR, default_locale=default_locale, domain=DOMAIN)
