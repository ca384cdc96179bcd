"""Persian text rules (`docs/persian.md`): normalization, digits, phone numbers."""

from __future__ import annotations

import re

ZWNJ = "\u200c"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None})
_TO_ASCII_DIGITS = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate(PERSIAN_DIGITS)},
        **{c: str(i) for i, c in enumerate(ARABIC_INDIC_DIGITS)},
    }
)
_TO_PERSIAN_DIGITS = str.maketrans(
    {
        **{str(i): c for i, c in enumerate(PERSIAN_DIGITS)},
        **{c: PERSIAN_DIGITS[i] for i, c in enumerate(ARABIC_INDIC_DIGITS)},
    }
)
_SPACES = re.compile(r"[^\S\n\u200c]+")
_MOBILE = re.compile(r"^(?:\+98|0098|98|0)(9\d{9})$")


def normalize(text: str) -> str:
    """Arabic letter forms to Persian, no tatweel, trimmed, runs of spaces folded.

    Newlines and ZWNJ are kept: they carry meaning in Persian text.
    """
    text = text.translate(_TO_PERSIAN_LETTERS)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def to_persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN_DIGITS)


def localize_digits(text: str, locale: str) -> str:
    """Numbers are shown to Persian readers in Persian digits."""
    return to_persian_digits(text) if locale == "fa" else to_ascii_digits(text)


def find_int(text: str) -> int | None:
    """The one whole number in a short answer («۳ نفر», "about 12"); None if none or several."""
    found = re.findall(r"\d+", to_ascii_digits(text))
    return int(found[0]) if len(found) == 1 else None


def normalize_phone(text: str) -> str | None:
    """An Iranian mobile in any usual form, as E.164 (+989xxxxxxxxx); None if it isn't one."""
    compact = re.sub(r"[\s\-()\u200c]", "", to_ascii_digits(text))
    match = _MOBILE.fullmatch(compact)
    return f"+98{match.group(1)}" if match else None


def international_phone(text: str, *, assume_plus: bool = False) -> str | None:
    """A number written with its country code (+44…, 0044…) as E.164; None otherwise.

    Messengers share contacts' numbers without the plus: `assume_plus` reads them so.
    """
    compact = re.sub(r"[\s\-()\u200c]", "", to_ascii_digits(text))
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif assume_plus:
        digits = compact
    else:
        return None
    if digits.startswith("98"):  # Iran: only mobiles, by the same rule as typed ones
        return normalize_phone(f"+{digits}")
    return f"+{digits}" if re.fullmatch(r"[1-9]\d{7,14}", digits) else None
