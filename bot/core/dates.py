"""Solar Hijri (Jalali) dates in the configured time zone, through jdatetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

import jdatetime

from bot.core.persian import localize_digits, to_ascii_digits
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


def parse_jalali(text: str, tz: tzinfo) -> datetime | None:
    """A date staff type, «۱۴۰۵/۰۹/۱۵ ۱۸:۳۰» in any digits, as an aware UTC datetime."""
    match = _TYPED.match(to_ascii_digits(text))
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        gregorian = jdatetime.datetime(year, month, day, hour, minute).togregorian()
    except ValueError:
        return None
    if hour > 23 or minute > 59:
        return None
    moment: datetime = gregorian.replace(tzinfo=tz)
    return moment.astimezone(UTC)
