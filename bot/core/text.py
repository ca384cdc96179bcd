"""Rules for text: what is kept of what people send, bounded lengths, and directions
kept apart.

Whatever arrives is cleaned once, at the edge (`sanitize`): control characters, NUL and
lone surrogates go (tab and newline stay), as do the bidi embeddings, overrides and
isolates a person could use to reorder other people's screens; the text is put in
Unicode's composed form (NFC) and bounded. Then a Persian line that holds a Latin code,
a phone number or a title in either script still reads in the right order: such values
are isolated by the bot itself with the bidi isolates (LRI or FSI ... PDI), which every
client of both messengers honours.
"""

from __future__ import annotations

import re
import unicodedata

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
ELLIPSIS = "…"
VALUE_LIMIT = 1000  # a value inside a message
LONG_VALUE_LIMIT = 3500  # a whole answer shown on its own
MESSAGE_BUDGET = 3800  # of the platforms' 4096, leaving room for what goes around


# What arrives from people is never longer than this (Telegram's texts are 4096; a
# hostile or broken server may send anything).
EDGE_LIMIT = 10_000
# C0 controls but tab and newline, DEL and the C1 controls; the bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069); the BOM; lone surrogates;
# the two noncharacters every plane ends with in the BMP.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]"
)


def sanitize(text: str, limit: int = EDGE_LIMIT) -> str:
    """What is kept of a text a person sent: readable characters only, composed, bounded.
    A carriage return becomes a newline, so that every line ends the same way."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))[:limit]


def left_to_right(text: str) -> str:
    """Latin text (a code, a phone number) kept in its order inside Persian text."""
    return f"{LRI}{text}{PDI}"


def isolated(text: str) -> str:
    """Text of either direction (a title) that must not reorder the line around it."""
    return f"{FSI}{text}{PDI}"


def bound(text: str, limit: int = VALUE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


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
