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
