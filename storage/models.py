"""Tables. Timestamps are stored in UTC; every datetime read back is aware (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person on one platform: the same human on Telegram and Bale is two users."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id", name="uq_users_platform_uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    last_name: Mapped[str | None] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    # Set when the person asked for their data to be deleted: names are not kept again.
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    # The person's own choice; None means "use DEFAULT_LOCALE".
    locale: Mapped[str | None] = mapped_column(String(8))
    # Given with consent when submitting an idea; offered again next time.
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(16))
    # Set on 403 ("bot was blocked"); cleared when the person writes to the bot again.
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether the person has seen and confirmed the announcements picker.
    subscriptions_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    # The conversation they are in ("intake/answering", …), if any.
    state: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Subscription(Base):
    """One kind of announcement a person wants: a focus area, "calls" or "events"."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_topic", "topic", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)


class ProcessedUpdate(Base):
    """An update we have handled, so a redelivered update is handled once. The digest of
    its content tells a redelivery (the same id, the same content) from a new update
    under an id a server reused after numbering its updates afresh."""

    __tablename__ = "processed_updates"
    __table_args__ = (Index("ix_processed_updates_at", "processed_at"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    digest: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The screens it answered with (sent again if the platform asks again, in webhook
    # mode); cleared once no platform would.
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class Draft(Base):
    """A conversation under way (an idea being written, a staff form, a prompt): the
    step reached and the answers so far; one per person and conversation."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "flow", name="uq_drafts_user_flow"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(16), default="intake")
    step: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set while a step is being edited from the review screen.
    returning_to_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Idea(Base):
    __tablename__ = "ideas"
    __table_args__ = (Index("ix_ideas_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(16))
    persona: Mapped[str] = mapped_column(String(32))
    affiliation: Mapped[str | None] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(32))
    call_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    impact: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16))
    team_size: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(32), default="submitted")
    # Since when the idea waits for staff: its applicant answered or added something.
    awaiting_staff_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when staff mark this idea a duplicate: the idea it repeats.
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", name="fk_ideas_duplicate_of", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Attachment(Base):
    """A file sent with an idea; file ids belong to one bot, so the platform is kept."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    # Where the person sent it, for copyMessage.
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str | None] = mapped_column(Text)
    # Sent with an answer to the staff's question, not with the idea itself.
    history_id: Mapped[int | None] = mapped_column(
        ForeignKey("history.id", name="fk_attachments_history_id", ondelete="CASCADE")
    )


class History(Base):
    """The append-only history of an idea: status changes, questions, answers, notes."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_idea", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # status, question, answer, note
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    # Who: a staff member (platform and id), or the applicant (both None).
    staff_platform: Mapped[str | None] = mapped_column(String(16))
    staff_user_id: Mapped[int | None] = mapped_column(BigInteger)
    visible_to_applicant: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StaffMember(Base):
    """Staff added from the chat by an administrator (those in STAFF need no row)."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_staff_platform_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StaffPreference(Base):
    """What a staff member wants to be told of (no row: everything, at once)."""

    __tablename__ = "staff_preferences"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    alerts: Mapped[str] = mapped_column(String(16), default="all")
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)


class StaffInvite(Base):
    """A one-time link that makes whoever opens it staff, with this role."""

    __tablename__ = "staff_invites"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Assignment(Base):
    """A reviewer an administrator gave an idea to."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_staff", "platform", "user_id", "created_at"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Score(Base):
    """One reviewer's score of one criterion of an idea, with their note."""

    __tablename__ = "scores"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    criterion: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Call(Base):
    """A call for proposals: open between two times, for some focus areas."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    guidance: Mapped[str | None] = mapped_column(Text)
    # Its scoring criteria ([{"key", "name", "weight"}]); None: the default rubric.
    rubric: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Event(Base):
    """A workshop, pitch day or open day people sign up for."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Signup(Base):
    __tablename__ = "signups"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Broadcast(Base):
    """An announcement from staff: its message, its audience, and when it is due.

    Its recipients become outbox rows when it falls due, one per person."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text, default="")
    media_kind: Mapped[str | None] = mapped_column(String(16))  # photo, document
    # file ids belong to one bot: {platform: file_id}, filled in as each platform uploads it.
    media_ids: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    media_name: Mapped[str | None] = mapped_column(String(255))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # scheduled -> sending -> done; or cancelled before it is due.
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_platform: Mapped[str] = mapped_column(String(16))
    staff_chat_id: Mapped[int] = mapped_column(BigInteger)
    staff_locale: Mapped[str] = mapped_column(String(8), default="fa")
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Outbox(Base):
    """A message to a person, written before it is sent: nothing is lost if sending fails.

    Notices, reminders and broadcast deliveries alike: one row per recipient, sent when
    due by one sender. A broadcast row keeps no text of its own (it is the broadcast's).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status", "status", "id"),
        Index("ix_outbox_due", "status", "platform", "due_at"),
        Index("ix_outbox_kind_due", "status", "platform", "kind", "due_at"),
        Index("ix_outbox_broadcast", "broadcast_id", "status"),
        Index("ix_outbox_dedupe", "dedupe", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # pending -> claimed -> sending -> sent | failed | blocked | unknown (sent or not, the
    # API didn't say); missed (a reminder that fell due while down) and cancelled are
    # never sent. A claimed row was not tried yet: after a crash it is pending again.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    kind: Mapped[str] = mapped_column(String(16), default="notice")
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE")
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A reminder no longer worth sending from this moment (its event has begun).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # For rows that must exist once (a reminder of one event to one person).
    dedupe: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsoleLink(Base):
    """A one-time sign-in link to the staff console, sent by the bot. Only its hash is
    kept: the database alone never lets anyone in."""

    __tablename__ = "console_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsoleSession(Base):
    """A staff member signed in to the console; ended by logout, idleness or removal."""

    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_staff", "platform", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger)
    # Every form carries it; a form from elsewhere does not know it.
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
