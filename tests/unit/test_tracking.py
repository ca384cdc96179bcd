from __future__ import annotations

import itertools

from bot.core.tracking import ALPHABET, display_code, new_code, parse_code


def test_new_codes_are_valid_and_varied() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(parse_code(code) == code for code in codes)


def test_typed_forms_are_accepted() -> None:
    code = new_code()
    shown = display_code(code)
    assert parse_code(shown.lower()) == code
    assert parse_code(f"  {shown}  ") == code
    persian = shown.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = shown.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_code(persian) == code
    assert parse_code(arabic) == code


def test_lookalike_letters_read_as_digits() -> None:
    code = "00011" + "AB"
    from bot.core.tracking import check_symbol

    full = code + check_symbol(code)
    assert parse_code(full.replace("0", "O").replace("1", "l")) == full


def test_every_single_mistyped_symbol_is_caught() -> None:
    for _ in range(200):
        code = new_code()
        for position, symbol in itertools.product(range(len(code)), ALPHABET):
            if symbol != code[position]:
                typo = code[:position] + symbol + code[position + 1 :]
                assert parse_code(typo) is None


def test_adjacent_swaps_are_mostly_caught() -> None:
    caught = total = 0
    for _ in range(300):
        code = new_code()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                total += 1
                caught += parse_code(swapped) is None
    assert caught / total > 0.95


def test_garbage_is_not_a_code() -> None:
    for text in ["", "hello", "ABCD-EFG", "ABCD-EFGHI", "ABCU-EFGH", "کد رهگیری"]:
        assert parse_code(text) is None
