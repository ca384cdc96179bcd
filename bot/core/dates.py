"""Dates in the configured time zone: shown in the Solar Hijri (Jalali) calendar, through
jdatetime; typed by staff in either calendar. A typed year above 1500 is Gregorian
(2026/12/02), any other Jalali (1405/09/11): the two never meet, so neither is ever
taken for the other. Where staff check a date they typed, it is shown in both."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

import jdatetime

from bot.core.persian import localize_digits, to_ascii_digits
from bot.core.text import left_to_right
from locales import dates as t
from locales.i18n import gettext

_TYPED = re.compile(r"^\s*(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?\s*$")


def to_jalali(moment: datetime, tz: tzinfo) -> jdatetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return jdatetime.datetime.fromgregorian(datetime=moment.astimezone(tz))


def format_date(moment: datetime, tz: tzinfo, locale: str, *, with_time: bool = True) -> str:
    """E.g. «۵ آذر ۱۴۰۵، ۱۸:۳۰» for Persian, "5 Azar 1405, 18:30" for English."""
    j = to_jalali(moment, tz)
    month = gettext(t.MONTHS[j.month - 1].id, locale)
    text = gettext(t.DATE.id, locale).format(day=j.day, month=month, year=j.year)
    if with_time:
        at = f"{j.hour:02d}:{j.minute:02d}"
        text = gettext(t.DATE_AND_TIME.id, locale).format(date=text, time=at)
    return localize_digits(text, locale)


GREGORIAN_AFTER = 1500  # a typed year above this is Gregorian


def parse_typed(text: str, tz: tzinfo) -> datetime | None:
    """A date staff type, «۱۴۰۵/۰۹/۱۵ ۱۸:۳۰» or 2026-12-06 18:30 in any digits, as an
    aware UTC datetime."""
    match = _TYPED.match(to_ascii_digits(text))
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59:
        return None
    try:
        if year > GREGORIAN_AFTER:
            local = datetime(year, month, day, hour, minute)
        else:
            local = jdatetime.datetime(year, month, day, hour, minute).togregorian()
    except ValueError:
        return None
    moment: datetime = local.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def format_both(moment: datetime, tz: tzinfo, locale: str) -> str:
    """A date staff typed, to check: «۱۵ آذر ۱۴۰۵، ۱۸:۳۰ (۲۰۲۶-۱۲-۰۶)»."""
    gregorian = localize_digits(f"{moment.astimezone(tz):%Y-%m-%d}", locale)
    both = gettext(t.BOTH_CALENDARS.id, locale)
    return both.format(jalali=format_date(moment, tz, locale), gregorian=left_to_right(gregorian))
