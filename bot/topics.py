"""What people can subscribe to: each focus area, calls for proposals, and events."""

from __future__ import annotations

from bot.i18n import __
from bot.intake.graph import AREAS, Option

CALLS = "calls"
EVENTS = "events"
TOPIC_OPTIONS: tuple[Option, ...] = (
    *AREAS,
    Option(CALLS, __("📣 Calls for proposals")),
    Option(EVENTS, __("🗓 Events and workshops")),
)
TOPICS: tuple[str, ...] = tuple(option.key for option in TOPIC_OPTIONS)
AREA_KEYS: tuple[str, ...] = tuple(option.key for option in AREAS)
