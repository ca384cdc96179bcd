"""The values services return: what the rest of the bot may know of people, ideas,
calls, events and broadcasts. Plain frozen dataclasses; never database rows."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.core.platforms import Platform
from bot.core.roles import Role
from bot.core.statuses import STATUSES

# ----- people -----
# An update as the record of handled ones knows it: its platform, its bot's id, its id,
# and a digest of its content (a reused id with other content is another update).
UpdateKey = tuple[Platform, int, int, str]


@dataclass(frozen=True, slots=True)
class Profile:
    """What a platform tells us about a person in each update."""

    platform: Platform
    platform_user_id: int
    chat_id: int | None
    first_name: str
    last_name: str | None
    username: str | None


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    platform: Platform
    platform_user_id: int
    chat_id: int | None
    first_name: str
    locale: str | None
    # First seen in this very update.
    new: bool = False
    # Has confirmed which announcements they want.
    subscriptions_chosen: bool = True
    # The conversation they are in (bot.ui.states), if any.
    state: str | None = None


@dataclass(frozen=True, slots=True)
class Staff:
    """Who on the staff does something (the history keeps it), and as what."""

    platform: Platform
    user_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class StaffMember:
    platform: Platform
    user_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class StoredAboutPerson:
    messenger_name: str
    full_name: str | None
    phone: str | None
    ideas: int
    has_draft: bool
    topics: frozenset[str]
    events: int


# ----- ideas -----
@dataclass(frozen=True, slots=True)
class IdeaView:
    id: int
    code: str
    title: str
    status: str
    created_at: datetime
    user_id: int | None

    @property
    def open(self) -> bool:
        return STATUSES[self.status].open


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: str  # photo, document, voice
    platform: Platform
    chat_id: int
    message_id: int
    name: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One entry of an idea's history: a status change, a question, an answer, a note."""

    kind: str
    from_status: str | None
    to_status: str | None
    text: str | None
    by_staff: bool
    created_at: datetime
    who: str | None = None  # the staff member's name (staff see it; applicants never)


@dataclass(frozen=True, slots=True)
class IdeaCard:
    """Everything staff see of an idea."""

    idea: IdeaView
    platform: Platform
    persona: str
    affiliation: str | None
    area: str
    call_id: int | None
    problem: str
    solution: str
    impact: str | None
    stage: str
    team_size: int | None
    latitude: float | None
    longitude: float | None
    full_name: str | None
    phone: str | None
    files: tuple[Attachment, ...] = ()
    duplicate_of: int | None = None  # the idea it repeats, once marked a duplicate
    awaiting_staff: bool = False  # its applicant answered or added something since
    updated_at: datetime | None = None
    call_title: str | None = None
    assignees: tuple[str, ...] = ()  # their names
    recent: tuple[HistoryEntry, ...] = ()  # the latest entries, with who


@dataclass(frozen=True, slots=True)
class ExportFilter:
    status: str | None = None
    area: str | None = None
    call_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class Stats:
    # field -> value -> (all time, last 30 days, last 7 days)
    counts: dict[str, dict[str, tuple[int, int, int]]]
    totals: tuple[int, int, int]


# ----- calls and events -----
@dataclass(frozen=True, slots=True)
class CallInfo:
    id: int
    title: str
    description: str
    areas: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    guidance: str | None
    created_at: datetime | None = None
    # Its own scoring criteria as stored ({"key", "name", "weight"}); None: the default.
    rubric: tuple[dict[str, object], ...] | None = None

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    capacity: int | None
    cancelled: bool
    taken: int = 0
    mine: bool = False

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


class Signup(StrEnum):
    DONE = "done"
    ALREADY = "already"
    FULL = "full"
    CLOSED = "closed"  # cancelled, started, or gone


# ----- broadcasts -----
AUDIENCE_KINDS = ("all", "area", "persona", "platform", "status", "event", "call")


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a broadcast is for: everyone subscribed, or one slice of them."""

    kind: str  # one of AUDIENCE_KINDS
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """What staff composed: the text, an optional photo or document, and who gets it."""

    text: str
    audience: Audience
    platform: Platform  # where the staff member is (and the media's file id belongs)
    media_kind: str | None = None
    media_file_id: str | None = None
    media_name: str | None = None


@dataclass(frozen=True, slots=True)
class BroadcastInfo:
    id: int
    status: str
    due_at: datetime
    audience: Audience
    total: int
    text: str


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    sent: int
    failed: int
    blocked: int
    unknown: int
    left: int

    @classmethod
    def of(cls, total: int, by_status: dict[str, int]) -> Counts:
        return cls(
            total=total,
            sent=by_status.get("sent", 0),
            failed=by_status.get("failed", 0),
            blocked=by_status.get("blocked", 0),
            unknown=by_status.get("unknown", 0),
            left=sum(by_status.get(s, 0) for s in ("pending", "claimed", "sending")),
        )


@dataclass(frozen=True, slots=True)
class Progress:
    """A running broadcast as its author should see it now."""

    broadcast_id: int
    staff_platform: Platform
    staff_chat_id: int
    staff_locale: str
    message_id: int | None
    counts: Counts
    finished: bool


@dataclass(frozen=True, slots=True)
class BroadcastContent:
    """What every delivery of one broadcast sends."""

    id: int
    text: str
    media_kind: str | None
    media_ids: dict[str, str]
    media_name: str | None
    staff_platform: Platform


# ----- the outbox -----
@dataclass(frozen=True, slots=True)
class Due:
    """One outbox row claimed for sending, with what the sender needs to send it."""

    id: int
    user_id: int | None
    platform: str
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    kind: str
    broadcast_id: int | None
    locale: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one row: sent, failed, blocked, unknown, or pending again (to be
    tried at `retry_at`)."""

    id: int
    status: str
    error: str | None = None
    retry_at: datetime | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Reader:
    """Where and how one person is written to."""

    user_id: int
    platform: Platform
    chat_id: int
    locale: str | None


@dataclass(eq=False)
class Delivery:
    """What became of one notice: "queued" until the sender has tried it (in the
    background, once the change that wrote it is committed), then the sender's outcome;
    `outcome` waits for it."""

    row_id: int
    status: str = "queued"
    _settled: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def settle(self, status: str) -> None:
        """What the sender made of it (or "queued": it is another process's to send)."""
        self.status = status
        self._settled.set()

    async def outcome(self, timeout: float) -> str:
        """The status once settled, or as it is after `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), timeout)
        return self.status


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file a person sent: what is stored of it, per platform (file ids belong to one
    bot)."""

    kind: str  # photo, document, voice
    file_id: str
    file_unique_id: str | None
    size: int | None
    name: str | None
    mime_type: str | None
    chat_id: int
    message_id: int
    caption: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "size": self.size,
            "name": self.name,
            "mime_type": self.mime_type,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "caption": self.caption,
        }


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file sent with an idea, as the console lists and downloads it."""

    id: int
    kind: str  # photo, document, voice
    platform: Platform
    file_id: str
    name: str | None
    mime_type: str | None
    size: int | None
