from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates import format_both, format_date, parse_typed
from bot.core.persian import (
    ZWNJ,
    localize_digits,
    normalize,
    normalize_phone,
    to_ascii_digits,
)

TEHRAN = ZoneInfo("Asia/Tehran")


def test_arabic_letters_become_persian_and_tatweel_goes() -> None:
    assert normalize("علي كاشاني") == "علی کاشانی"
    assert normalize("مصطفى") == "مصطفی"
    assert normalize("شـــهر") == "شهر"


def test_spaces_fold_but_zwnj_and_newlines_stay() -> None:
    text = f"  ایده{ZWNJ}ها   و\t\tطرح\u00a0ها  \n  خط دوم "
    assert normalize(text) == f"ایده{ZWNJ}ها و طرح ها\nخط دوم"


def test_digits_of_every_script_are_read() -> None:
    assert to_ascii_digits("۱۲۳٤٥٦789") == "123456789"


def test_numbers_are_shown_in_persian_digits_to_persian_readers() -> None:
    assert localize_digits("code 1405", "fa") == "code ۱۴۰۵"
    assert localize_digits("۱۴۰۵", "en") == "1405"


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "0912 123 4567",
        "0912-123-4567",
    ],
)
def test_every_usual_mobile_form_is_one_canonical_number(typed: str) -> None:
    assert normalize_phone(typed) == "+989121234567"


@pytest.mark.parametrize("typed", ["0212345678", "0912123456", "+14155550100", "phone", ""])
def test_what_is_not_an_iranian_mobile_is_refused(typed: str) -> None:
    assert normalize_phone(typed) is None


def test_jalali_date_in_tehran_time() -> None:
    moment = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 18:30 in Tehran
    assert format_date(moment, TEHRAN, "fa") == "۵ آذر ۱۴۰۵، ۱۸:۳۰"
    assert format_date(moment, TEHRAN, "en") == "5 Azar 1405, 18:30"
    assert format_date(moment, TEHRAN, "fa", with_time=False) == "۵ آذر ۱۴۰۵"


def test_nowruz_boundary() -> None:
    # 1405/01/01 began at midnight Tehran time on 21 March 2026 = 20:30 UTC on the 20th.
    assert format_date(datetime(2026, 3, 20, 20, 30, tzinfo=UTC), TEHRAN, "en") == (
        "1 Farvardin 1405, 00:00"
    )
    assert format_date(datetime(2026, 3, 20, 20, 29, tzinfo=UTC), TEHRAN, "en").startswith(
        "29 Esfand 1404"
    )


def test_staff_typed_dates_are_read_in_any_digits() -> None:
    expected = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
    assert parse_typed("۱۴۰۵/۰۹/۱۵ ۱۸:۳۰", TEHRAN) == expected
    assert parse_typed("1405/9/15 18:30", TEHRAN) == expected
    assert parse_typed("1405/09/15", TEHRAN) == datetime(2026, 12, 5, 20, 30, tzinfo=UTC)


def test_a_year_above_1500_is_gregorian_and_both_calendars_are_shown() -> None:
    """2026-12-02 08:00 was once read as Jalali («۲ اسفند ۲۰۲۶»): now as Gregorian."""
    expected = datetime(2026, 12, 2, 4, 30, tzinfo=UTC)
    assert parse_typed("2026-12-02 08:00", TEHRAN) == expected
    assert parse_typed("۲۰۲۶/۱۲/۰۲ ۰۸:۰۰", TEHRAN) == expected
    assert parse_typed("1405/09/11 08:00", TEHRAN) == expected  # the same day, in Jalali
    assert format_both(expected, TEHRAN, "fa") == "۱۱ آذر ۱۴۰۵، ۰۸:۰۰ (\u2066۲۰۲۶-۱۲-۰۲\u2069)"
    assert format_both(expected, TEHRAN, "en") == "11 Azar 1405, 08:00 (\u20662026-12-02\u2069)"


@pytest.mark.parametrize(
    "typed", ["1405/13/01", "1405/12/31 10:00", "1405/09/15 25:00", "2026-02-30", "soon"]
)
def test_impossible_dates_are_refused(typed: str) -> None:
    # 1405 is not a leap year: Esfand has 29 days.
    assert parse_typed(typed, TEHRAN) is None
