"""Tracking codes: short, typable, case-insensitive, with a check character.

Seven random symbols of Crockford's base-32 alphabet (no I, L, O or U, so
nothing reads as another), then one check symbol by the Luhn mod N algorithm,
which catches every single mistyped symbol and most swaps of neighbours. A
mistyped code is invalid, never someone else's. Shown as XXXX-XXXX.
"""

from __future__ import annotations

import re
import secrets

from bot.core.persian import to_ascii_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# Crockford's decoding of look-alikes.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LENGTH = 7
CODE_LENGTH = BODY_LENGTH + 1


def check_symbol(body: str) -> str:
    total, factor, n = 0, 2, len(ALPHABET)
    for symbol in reversed(body):
        addend = factor * _VALUE[symbol]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_symbol(body)


def parse_code(text: str) -> str | None:
    """The canonical code for what a person typed, or None if it is not a valid code."""
    compact = re.sub(r"[\s\-_.\u200c\u2066-\u2069]", "", to_ascii_digits(text)).upper()
    compact = compact.translate(_LOOKALIKES)
    if len(compact) != CODE_LENGTH or any(symbol not in _VALUE for symbol in compact):
        return None
    body, check = compact[:BODY_LENGTH], compact[BODY_LENGTH:]
    return compact if check_symbol(body) == check else None


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
