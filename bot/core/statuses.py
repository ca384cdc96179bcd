"""Idea statuses: keys, names, open or closed, and which may follow which (the
lifecycle of `docs/persian.md`)."""

from __future__ import annotations

from dataclasses import dataclass

from locales import vocabulary as t
from locales.i18n import Text


@dataclass(frozen=True, slots=True)
class Status:
    key: str
    name: Text
    open: bool


STATUSES: dict[str, Status] = {
    s.key: s
    for s in (
        Status("submitted", t.SUBMITTED, True),
        Status("screening", t.SCREENING, True),
        Status("needs_info", t.NEEDS_INFO, True),
        Status("evaluating", t.EVALUATING, True),
        Status("shortlisted", t.SHORTLISTED, True),
        Status("accepted", t.ACCEPTED, True),
        Status("incubating", t.INCUBATING, True),
        Status("completed", t.COMPLETED, False),
        Status("rejected", t.REJECTED, False),
        Status("duplicate", t.DUPLICATE, False),
        Status("withdrawn", t.WITHDRAWN, False),
    )
}
INITIAL = "submitted"

# Which status may follow which. Staff move ideas along these edges; the applicant may
# withdraw an open idea; an answer to "needs_info" returns the idea where it was.
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"screening", "needs_info", "rejected", "duplicate", "withdrawn"}),
    "screening": frozenset({"needs_info", "evaluating", "rejected", "duplicate", "withdrawn"}),
    "needs_info": frozenset(
        {"screening", "evaluating", "shortlisted", "rejected", "duplicate", "withdrawn"}
    ),
    "evaluating": frozenset({"needs_info", "shortlisted", "accepted", "rejected", "withdrawn"}),
    "shortlisted": frozenset({"needs_info", "accepted", "rejected", "withdrawn"}),
    "accepted": frozenset({"incubating", "withdrawn"}),
    "incubating": frozenset({"completed", "withdrawn"}),
    "completed": frozenset(),
    "rejected": frozenset(),
    "duplicate": frozenset(),
    "withdrawn": frozenset(),
}
# Changing to these needs a reason, which the applicant is shown.
REASON_REQUIRED = frozenset({"needs_info", "rejected", "duplicate"})


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())
