"""Which staff member is told of what: each chooses to hear of every idea, of their
areas' ideas, of the ideas assigned to them, of nothing, or only in a daily summary."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class AlertMode(StrEnum):
    ALL = "all"
    AREAS = "areas"
    ASSIGNED = "assigned"
    DAILY = "daily"
    OFF = "off"


DEFAULT_MODE = AlertMode.ALL


class AlertEvent(StrEnum):
    NEW_IDEA = "new"
    REPLY = "reply"  # the applicant answered the staff's question
    INFO = "info"  # the applicant added information or files on their own
    ASSIGNED = "assigned"  # to the one told


def wants(
    mode: AlertMode,
    areas: Collection[str],
    event: AlertEvent,
    *,
    area: str,
    assigned_to_them: bool,
) -> bool:
    """Whether a staff member with these choices is told of `event` at once."""
    if mode in (AlertMode.OFF, AlertMode.DAILY):
        return False
    if event is AlertEvent.ASSIGNED or assigned_to_them:
        return True
    if mode is AlertMode.ALL:
        return True
    return mode is AlertMode.AREAS and area in areas
