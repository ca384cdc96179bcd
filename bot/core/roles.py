"""Who on the staff may do what. A reviewer reviews, scores, notes and asks; an
administrator also assigns, decides, broadcasts and manages calls, events and staff.
Every service that changes something asks here, so a forged button is refused however
it arrives (chat or browser)."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

Role = str  # "admin" or "reviewer"
ADMIN, REVIEWER = "admin", "reviewer"
ROLES: tuple[Role, ...] = (ADMIN, REVIEWER)


class Permission(StrEnum):
    REVIEW = "review"  # read the queue and cards; move an idea along the working statuses
    ASK = "ask"  # put a question to the applicant
    NOTE = "note"
    SCORE = "score"
    ASSIGN = "assign"
    DECIDE = "decide"  # shortlist, accept, reject, mark a duplicate, implement
    UNDO = "undo"
    BROADCAST = "broadcast"
    MANAGE = "manage"  # calls, events, staff
    RANK = "rank"  # see every score and the rankings


_REVIEWER = frozenset({Permission.REVIEW, Permission.ASK, Permission.NOTE, Permission.SCORE})
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    REVIEWER: _REVIEWER,
    ADMIN: frozenset(Permission),
}

# The statuses a reviewer may move an idea to; every other move is a decision.
WORKING = frozenset({"screening", "evaluating"})
# Moves that cannot be taken back by a plain move, or that end the idea's road: each
# asks for a confirmation that says what will happen.
CONFIRMED = frozenset({"shortlisted", "accepted", "rejected", "duplicate", "completed"})
# How long an administrator may take back a status change (the applicant is told).
UNDO_WINDOW = timedelta(minutes=30)


def may(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in PERMISSIONS.get(role, frozenset())


def needed_to_move(target: str) -> Permission:
    if target == "needs_info":
        return Permission.ASK
    return Permission.REVIEW if target in WORKING else Permission.DECIDE


def may_move(role: Role | None, target: str) -> bool:
    return may(role, needed_to_move(target))
