"""Dates: the months of the Solar Hijri (Jalali) calendar, and how a date is written."""

from locales.i18n import N_

MONTHS = (
    N_("Farvardin"),
    N_("Ordibehesht"),
    N_("Khordad"),
    N_("Tir"),
    N_("Mordad"),
    N_("Shahrivar"),
    N_("Mehr"),
    N_("Aban"),
    N_("Azar"),
    N_("Dey"),
    N_("Bahman"),
    N_("Esfand"),
)
DATE = N_("{day} {month} {year}")
DATE_AND_TIME = N_("{date}, {time}")
# A date staff typed, in the Jalali calendar and (in brackets) the Gregorian one.
BOTH_CALENDARS = N_("{jalali} ({gregorian})")
