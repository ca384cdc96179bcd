"""What must reach a person later, said as plain values, and the `Notifier` that takes
them. Services say *what* happened (a status changed, an event moved); the platform
layer composes it for each reader (their messenger's format, their language) and
writes it to the outbox in the service's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.core.alerts import AlertEvent
from bot.core.roles import Role
from bot.core.views import CallInfo, Delivery, EventInfo, IdeaView, Reader


class Kind(StrEnum):
    """An outbox row's kind. Timely kinds remind of something: one that fell due while
    ideabot was down is recorded as missed rather than sent late."""

    NOTICE = "notice"  # to one person about their own idea: sent at once
    CHANGE = "change"  # an event moved or was cancelled: to all its attendees
    REMINDER = "reminder"
    DEADLINE = "deadline"
    DIGEST = "digest"
    NUDGE = "nudge"
    ANNOUNCE = "announce"
    BROADCAST = "broadcast"


TIMELY_KINDS = (Kind.REMINDER, Kind.DEADLINE, Kind.DIGEST, Kind.NUDGE)


@dataclass(frozen=True, slots=True)
class Receipt:
    """An idea was submitted: its tracking code, which must reach its author even if
    the process stops right after the commit."""

    code: str


@dataclass(frozen=True, slots=True)
class StatusChanged:
    idea: IdeaView
    status: str
    reason: str | None
    undone: bool = False  # an administrator took back the change before this one


@dataclass(frozen=True, slots=True)
class StaffAlert:
    """To a staff member: something happened to an idea they follow."""

    idea: IdeaView
    event: AlertEvent
    area: str
    by: str | None = None  # who assigned it, for ASSIGNED


@dataclass(frozen=True, slots=True)
class StaffSummary:
    """To a staff member who chose the daily summary: what arrived, what waits."""

    new: Sequence[IdeaView]
    waiting: Sequence[IdeaView]


@dataclass(frozen=True, slots=True)
class StaffWelcome:
    """To someone just made staff."""

    role: Role


@dataclass(frozen=True, slots=True)
class AnswerReceived:
    idea: IdeaView


@dataclass(frozen=True, slots=True)
class EventReminder:
    event: EventInfo
    before: timedelta


@dataclass(frozen=True, slots=True)
class EventMoved:
    event: EventInfo
    old_start: datetime


@dataclass(frozen=True, slots=True)
class EventNewPlace:
    event: EventInfo


@dataclass(frozen=True, slots=True)
class EventCancelled:
    event: EventInfo


@dataclass(frozen=True, slots=True)
class CallDeadline:
    call: CallInfo
    before: timedelta


@dataclass(frozen=True, slots=True)
class CallOpened:
    call: CallInfo


@dataclass(frozen=True, slots=True)
class Digest:
    calls: Sequence[CallInfo]
    events: Sequence[EventInfo]


@dataclass(frozen=True, slots=True)
class DraftNudge:
    pass


Notice = (
    Receipt
    | StatusChanged
    | AnswerReceived
    | EventReminder
    | EventMoved
    | EventNewPlace
    | EventCancelled
    | CallDeadline
    | CallOpened
    | Digest
    | DraftNudge
    | StaffAlert
    | StaffSummary
    | StaffWelcome
)


class Notifier(Protocol):
    async def notify(
        self,
        user_id: int,
        notice: Notice,
        *,
        kind: Kind = Kind.NOTICE,
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        dedupe: str | None = None,
    ) -> Delivery | None:
        """Write `notice` for `user_id` to the outbox, in the caller's transaction.

        None when the person can't be reached (blocked the bot, or never had a private
        chat), or when a row with the same `dedupe` key was already written. A notice
        of kind NOTICE is sent as soon as the transaction commits; the others when due.
        """
        ...

    async def notify_all(
        self,
        readers: Sequence[Reader],
        notice: Notice,
        *,
        kind: Kind,
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        dedupe: str,
    ) -> int:
        """Write the same `notice` for many readers at once (composed once for each
        platform and language), in the caller's transaction, for the sender to take
        when due; each row's key is `dedupe` and the reader's id, so a reader already
        written to is passed over. How many rows were written; the sender is woken."""
        ...

    def wake(self) -> None:
        """Rows were written for later: the sender should look (after the commit)."""
        ...
