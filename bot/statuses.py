"""Idea statuses (GLOSSARY-fa.md): keys, names, open or closed."""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import LazyProxy

from bot.i18n import __


@dataclass(frozen=True, slots=True)
class Status:
    key: str
    name: LazyProxy
    open: bool


STATUSES: dict[str, Status] = {
    s.key: s
    for s in (
        Status("submitted", __("Submitted"), True),
        Status("screening", __("Initial screening"), True),
        Status("needs_info", __("Needs more information"), True),
        Status("evaluating", __("Being evaluated"), True),
        Status("shortlisted", __("Shortlisted for the pitch"), True),
        Status("accepted", __("Accepted"), True),
        Status("incubating", __("In acceleration and implementation"), True),
        Status("completed", __("Implemented"), False),
        Status("rejected", __("Not accepted"), False),
        Status("duplicate", __("Duplicate (merged)"), False),
        Status("withdrawn", __("Withdrawn by the owner"), False),
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
