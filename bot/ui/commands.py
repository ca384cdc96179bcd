"""The command menus: everyone's commands, and the staff's, with what each does."""

from __future__ import annotations

from locales import commands as t
from locales.i18n import Text

COMMANDS: tuple[tuple[str, Text], ...] = (
    ("start", t.START),
    ("new", t.NEW),
    ("my", t.MY),
    ("track", t.TRACK),
    ("calls", t.CALLS),
    ("events", t.EVENTS),
    ("settings", t.SETTINGS),
    ("privacy", t.PRIVACY),
    ("help", t.HELP),
    ("language", t.LANGUAGE),
    ("cancel", t.CANCEL),
)
STAFF_COMMANDS: tuple[tuple[str, Text], ...] = (
    ("admin", t.ADMIN),
    ("review", t.REVIEW),
    ("idea", t.IDEA),
    ("alerts", t.ALERTS),
    ("ranking", t.RANKING),
    ("stats", t.STATS),
    ("console", t.CONSOLE),
    ("export", t.EXPORT),
    ("staff", t.STAFF),
    ("newcall", t.NEWCALL),
    ("newevent", t.NEWEVENT),
    ("broadcast", t.BROADCAST),
)
