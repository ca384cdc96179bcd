"""Rules for text inside messages: bounded lengths, and directions kept apart.

A Persian line that holds a Latin code, a phone number or a title in either script must
still read in the right order: such values are isolated with the Unicode bidi isolates
(LRI or FSI ... PDI), which every client of both messengers honours.
"""

from __future__ import annotations

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
ELLIPSIS = "…"
VALUE_LIMIT = 1000  # a value inside a message
LONG_VALUE_LIMIT = 3500  # a whole answer shown on its own
MESSAGE_BUDGET = 3800  # of the platforms' 4096, leaving room for what goes around


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
