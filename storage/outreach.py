"""SQL for what reaches people later: calls, events and sign-ups, subscriptions,
broadcasts, and the outbox as the one delivery table (DESIGN section 7)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Text,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Broadcast,
    Call,
    Draft,
    Event,
    Idea,
    Outbox,
    Signup,
    Subscription,
    User,
    UTCDateTime,
    utcnow,
)
from storage.repo import _insert

# Outbox rows that were written to remind (not to answer): late ones may be missed.
TIMELY_KINDS = ("reminder", "deadline", "digest", "nudge")


# ----- calls -----
async def add_call(session: AsyncSession, **fields: Any) -> Call:
    row = Call(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_call(session: AsyncSession, call_id: int) -> Call | None:
    return await session.get(Call, call_id)


async def update_call(session: AsyncSession, call_id: int, **fields: Any) -> None:
    await session.execute(
        update(Call).where(Call.id == call_id).values(updated_at=utcnow(), **fields)
    )


async def open_calls(session: AsyncSession, now: datetime, area: str | None = None) -> list[Call]:
    rows = await session.scalars(
        select(Call)
        .where(Call.opens_at <= now, Call.closes_at > now)
        .order_by(Call.closes_at, Call.id)
    )
    calls = list(rows)
    return [c for c in calls if area in c.areas] if area else calls


async def recent_calls(session: AsyncSession, limit: int = 20) -> list[Call]:
    return list(await session.scalars(select(Call).order_by(Call.id.desc()).limit(limit)))


async def calls_created_since(session: AsyncSession, since: datetime, now: datetime) -> list[Call]:
    rows = await session.scalars(
        select(Call).where(Call.created_at >= since, Call.closes_at > now).order_by(Call.closes_at)
    )
    return list(rows)


# ----- events and sign-ups -----
async def add_meetup(session: AsyncSession, **fields: Any) -> Event:
    row = Event(**fields)
    session.add(row)
    await session.flush()
    return row


async def get_meetup(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event | None:
    statement = select(Event).where(Event.id == event_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def update_meetup(session: AsyncSession, event_id: int, **fields: Any) -> None:
    await session.execute(
        update(Event).where(Event.id == event_id).values(updated_at=utcnow(), **fields)
    )


async def upcoming_meetups(session: AsyncSession, now: datetime) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(Event.starts_at > now, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at, Event.id)
    )
    return list(rows)


async def recent_meetups(session: AsyncSession, limit: int = 20) -> list[Event]:
    return list(await session.scalars(select(Event).order_by(Event.id.desc()).limit(limit)))


async def meetups_created_since(
    session: AsyncSession, since: datetime, now: datetime
) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(Event.created_at >= since, Event.starts_at > now, Event.cancelled_at.is_(None))
        .order_by(Event.starts_at)
    )
    return list(rows)


async def count_signups(session: AsyncSession, event_id: int) -> int:
    total = await session.scalar(select(func.count()).where(Signup.event_id == event_id))
    return int(total or 0)


async def signed_up(session: AsyncSession, event_id: int, user_id: int) -> bool:
    return (await session.get(Signup, (event_id, user_id))) is not None


async def add_signup(session: AsyncSession, event_id: int, user_id: int) -> bool:
    result = await session.execute(
        _insert(session, Signup)
        .values(event_id=event_id, user_id=user_id, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def remove_signup(session: AsyncSession, event_id: int, user_id: int) -> bool:
    result = await session.execute(
        delete(Signup).where(Signup.event_id == event_id, Signup.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def attendees(session: AsyncSession, event_id: int) -> list[int]:
    rows = await session.scalars(
        select(Signup.user_id).where(Signup.event_id == event_id).order_by(Signup.created_at)
    )
    return list(rows)


async def signups_of(session: AsyncSession, user_id: int) -> set[int]:
    return set(await session.scalars(select(Signup.event_id).where(Signup.user_id == user_id)))


# ----- subscriptions -----
async def topics_of(session: AsyncSession, user_id: int) -> set[str]:
    rows = await session.scalars(select(Subscription.topic).where(Subscription.user_id == user_id))
    return set(rows)


async def set_topics(session: AsyncSession, user_id: int, topics: Iterable[str]) -> None:
    await session.execute(delete(Subscription).where(Subscription.user_id == user_id))
    rows = [{"user_id": user_id, "topic": topic} for topic in sorted(set(topics))]
    if rows:
        await session.execute(insert(Subscription), rows)


async def mark_subscriptions_chosen(session: AsyncSession, user_id: int) -> None:
    await session.execute(update(User).where(User.id == user_id).values(subscriptions_chosen=True))


async def set_blocked(session: AsyncSession, user_ids: Sequence[int], blocked: bool) -> None:
    """Blocked people are unsubscribed from everything; unblocking restores nothing."""
    if not user_ids:
        return
    await session.execute(update(User).where(User.id.in_(list(user_ids))).values(blocked=blocked))
    if blocked:
        await session.execute(delete(Subscription).where(Subscription.user_id.in_(list(user_ids))))


async def add_people(
    session: AsyncSession, platform: str, chat_ids: Sequence[int], topics: Sequence[str]
) -> None:
    """Many subscribed people at once (benchmarks and load tests)."""
    now = utcnow()
    await session.execute(
        insert(User),
        [
            {
                "platform": platform,
                "platform_user_id": chat,
                "chat_id": chat,
                "first_name": f"P{chat}",
                "created_at": now,
                "updated_at": now,
            }
            for chat in chat_ids
        ],
    )
    users = select(User.id).where(User.platform == platform, User.chat_id.in_(list(chat_ids)))
    for topic in topics:
        await session.execute(
            insert(Subscription).from_select(
                ["user_id", "topic"], select(users.subquery().c.id, literal(topic, String()))
            )
        )


# ----- audiences -----
@dataclass(frozen=True, slots=True)
class Audience:
    """Who a broadcast is for: everyone subscribed, or one slice of them."""

    kind: str  # all, area, persona, platform, status, event, call
    value: str | None = None


def _reachable() -> list[ColumnElement[bool]]:
    """A private chat we may write to. (An erased person who came back is reachable:
    erasure removed their topics and sign-ups, and they choose again.)"""
    return [User.blocked.is_(False), User.chat_id.is_not(None)]


def _audience_filter(
    audience: Audience, platforms: Sequence[str] | None = None
) -> list[ColumnElement[bool]]:
    """Announcements by topic (everyone, an area, a kind of applicant, a messenger) go to
    those who chose a topic; those about something a person did (an idea's status, an
    event they signed up for, a call they sent to) go to everyone involved except those
    who chose to receive nothing. Only platforms this deployment serves are counted."""
    subscribed = exists().where(Subscription.user_id == User.id)
    opted_out = and_(User.subscriptions_chosen.is_(True), ~subscribed)
    conditions = [*_reachable()]
    if platforms is not None:
        conditions.append(User.platform.in_(list(platforms)))
    value = audience.value
    match audience.kind:
        case "area":
            conditions.append(
                exists().where(Subscription.user_id == User.id, Subscription.topic == value)
            )
        case "persona":
            conditions += [
                subscribed,
                exists().where(Idea.user_id == User.id, Idea.persona == value),
            ]
        case "platform":
            conditions += [subscribed, User.platform == value]
        case "status":
            conditions += [
                ~opted_out,
                exists().where(Idea.user_id == User.id, Idea.status == value),
            ]
        case "event":
            event_id = int(value or 0)
            conditions += [
                ~opted_out,
                exists().where(Signup.user_id == User.id, Signup.event_id == event_id),
            ]
        case "call":
            call_id = int(value or 0)
            conditions += [
                ~opted_out,
                exists().where(Idea.user_id == User.id, Idea.call_id == call_id),
            ]
        case _:
            conditions.append(subscribed)
    return conditions


def _audience_query(audience: Audience, platforms: Sequence[str] | None) -> Any:
    conditions = _audience_filter(audience, platforms)
    return select(User.id, User.platform, User.chat_id).where(*conditions)


async def audience_size(
    session: AsyncSession, audience: Audience, platforms: Sequence[str] | None = None
) -> dict[str, int]:
    """Recipients per platform."""
    rows = await session.execute(
        select(User.platform, func.count(User.id))
        .where(*_audience_filter(audience, platforms))
        .group_by(User.platform)
    )
    return {platform: int(count) for platform, count in rows}


async def deadline_audience(session: AsyncSession, call: Call) -> list[int]:
    """Subscribers of the call's areas who have not submitted to it."""
    rows = await session.scalars(
        select(User.id).where(
            *_reachable(),
            exists().where(Subscription.user_id == User.id, Subscription.topic.in_(call.areas)),
            ~exists().where(Idea.user_id == User.id, Idea.call_id == call.id),
        )
    )
    return list(rows)


async def topic_audience(session: AsyncSession, topics: Sequence[str]) -> dict[int, set[str]]:
    """Everyone reachable who follows any of `topics`, with which of them they follow."""
    rows = await session.execute(
        select(Subscription.user_id, Subscription.topic)
        .join(User, User.id == Subscription.user_id)
        .where(*_reachable(), Subscription.topic.in_(list(topics)))
    )
    followers: dict[int, set[str]] = {}
    for user_id, topic in rows:
        followers.setdefault(user_id, set()).add(topic)
    return followers


# ----- broadcasts -----
async def add_broadcast(session: AsyncSession, **fields: Any) -> Broadcast:
    row = Broadcast(**{"created_at": utcnow(), "total": 0, "media_ids": {}, **fields})
    session.add(row)
    await session.flush()
    return row


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def update_broadcast(session: AsyncSession, broadcast_id: int, **fields: Any) -> None:
    await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(**fields))


async def broadcasts_in(session: AsyncSession, statuses: Sequence[str]) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast).where(Broadcast.status.in_(list(statuses))).order_by(Broadcast.due_at)
    )
    return list(rows)


async def due_broadcasts(session: AsyncSession, now: datetime) -> list[Broadcast]:
    rows = await session.scalars(
        select(Broadcast)
        .where(Broadcast.status == "scheduled", Broadcast.due_at <= now)
        .order_by(Broadcast.due_at, Broadcast.id)
    )
    return list(rows)


async def cancel_broadcast(session: AsyncSession, broadcast_id: int) -> bool:
    """Cancel a broadcast that has not started; False if it already has (or is gone)."""
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == "scheduled")
        .values(status="cancelled", finished_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def expand_broadcast(
    session: AsyncSession,
    broadcast: Broadcast,
    now: datetime,
    platforms: Sequence[str] | None = None,
) -> int | None:
    """Start a scheduled broadcast: one outbox row per recipient, written in one
    statement. None if it was no longer scheduled (cancelled, or started by another
    process): the status moves first, so only one caller ever expands it."""
    started = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast.id, Broadcast.status == "scheduled")
        .values(status="sending", started_at=now)
    )
    if not started.rowcount:  # type: ignore[attr-defined]
        return None
    audience = Audience(**broadcast.audience)
    recipients = _audience_query(audience, platforms).subquery()
    constants = {
        "text": literal("", Text()),
        "status": literal("pending", String()),
        "kind": literal("broadcast", String()),
        "broadcast_id": literal(broadcast.id, Integer()),
        "attempts": literal(0, Integer()),
        "due_at": literal(now, UTCDateTime()),
        "created_at": literal(now, UTCDateTime()),
    }
    source = select(
        recipients.c.id, recipients.c.platform, recipients.c.chat_id, *constants.values()
    )
    await session.execute(
        insert(Outbox).from_select(
            ["user_id", "platform", "chat_id", *constants], source, include_defaults=False
        )
    )
    total = await session.scalar(select(func.count()).where(Outbox.broadcast_id == broadcast.id))
    await update_broadcast(session, broadcast.id, total=int(total or 0))
    return int(total or 0)


async def delivery_counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Outbox.status, func.count())
        .where(Outbox.broadcast_id == broadcast_id)
        .group_by(Outbox.status)
    )
    return {status: int(count) for status, count in rows}


# ----- the outbox as a queue -----
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


async def claim_due(session: AsyncSession, platform: str, now: datetime, limit: int) -> list[Due]:
    """Take up to `limit` due rows of one platform and mark them `claimed`.

    A claimed row has not been tried: after a crash it goes back to `pending`. The
    sender marks rows `sending` just before it sends them (`mark_sending`); a row left
    `sending` by a process that died is ambiguous (see `expire_sending`)."""
    ids_query = (
        select(Outbox.id)
        .where(
            Outbox.status == "pending",
            Outbox.platform == platform,
            Outbox.due_at <= now,
            or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
            or_(Outbox.expires_at.is_(None), Outbox.expires_at > now),
        )
        .order_by(Outbox.due_at, Outbox.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        ids_query = ids_query.with_for_update(skip_locked=True)
    ids = list(await session.scalars(ids_query))
    if not ids:
        return []
    await session.execute(
        update(Outbox).where(Outbox.id.in_(ids)).values(status="claimed", next_attempt_at=now)
    )
    rows = await session.execute(
        select(Outbox, User.locale)
        .outerjoin(User, User.id == Outbox.user_id)
        .where(Outbox.id.in_(ids))
        .order_by(Outbox.due_at, Outbox.id)
    )
    return [
        Due(
            row.id,
            row.user_id,
            row.platform,
            row.chat_id,
            row.text,
            row.reply_markup,
            row.kind,
            row.broadcast_id,
            locale,
            row.attempts + 1,
        )
        for row, locale in rows
    ]


async def mark_sending(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    """Rows about to be sent; returns those still claimed (a sweep may have given a row
    back to `pending`, and another sender may hold it now: it is not sent from here)."""
    if not ids:
        return set()
    result = await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(list(ids)), Outbox.status == "claimed")
        .values(status="sending", attempts=Outbox.attempts + 1)
        .returning(Outbox.id)
    )
    return set(result.scalars())


async def claim_one(session: AsyncSession, row_id: int, now: datetime) -> Due | None:
    """Claim one pending row (a notice sent as soon as it is written)."""
    result = await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.status == "pending")
        .values(status="sending", attempts=Outbox.attempts + 1, next_attempt_at=now)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    row = await session.get(Outbox, row_id)
    assert row is not None
    locale = await session.scalar(select(User.locale).where(User.id == row.user_id))
    return Due(
        row.id,
        row.user_id,
        row.platform,
        row.chat_id,
        row.text,
        row.reply_markup,
        row.kind,
        row.broadcast_id,
        locale,
        row.attempts,
    )


@dataclass(frozen=True, slots=True)
class Result:
    id: int
    status: str  # sent, failed, blocked, unknown, pending (try again at `retry_at`)
    error: str | None = None
    retry_at: datetime | None = None
    user_id: int | None = None
    # Not tried at all (a 429 pause came first): the attempt it was counted is given back.
    untried: bool = False


async def record_results(session: AsyncSession, results: Sequence[Result], now: datetime) -> None:
    by_status: dict[str, list[int]] = {}
    for result in results:
        if result.status == "pending":
            attempts = Outbox.attempts - 1 if result.untried else Outbox.attempts
            await session.execute(
                update(Outbox)
                .where(Outbox.id == result.id)
                .values(
                    status="pending",
                    next_attempt_at=result.retry_at,
                    last_error=result.error,
                    attempts=attempts,
                )
            )
        else:
            by_status.setdefault(result.status, []).append(result.id)
    errors = {r.id: r.error for r in results if r.error and r.status != "pending"}
    for status, ids in by_status.items():
        values: dict[str, Any] = {"status": status}
        if status == "sent":
            values["sent_at"] = now
        await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(**values))
    for row_id, error in errors.items():
        await session.execute(
            update(Outbox).where(Outbox.id == row_id).values(last_error=error[:255])
        )
    blocked = [r.user_id for r in results if r.status == "blocked" and r.user_id is not None]
    await set_blocked(session, blocked, True)


async def expire_sending(session: AsyncSession, claimed_before: datetime) -> int:
    """Rows still `sending` long after they were claimed belong to a process that died
    mid-send: whether they reached the person is unknown, so they are not sent again.
    Rows it had only claimed were never tried: they go back to `pending`."""
    await session.execute(
        update(Outbox)
        .where(Outbox.status == "claimed", Outbox.next_attempt_at < claimed_before)
        .values(status="pending", next_attempt_at=None)
    )
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == "sending", Outbox.next_attempt_at < claimed_before)
        .values(status="unknown", last_error="the sending process stopped mid-send")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def miss_overdue(session: AsyncSession, due_before: datetime, now: datetime) -> int:
    """Reminders that fell due too long ago (the process was down), or whose moment has
    passed (`expires_at`), are recorded as missed."""
    result = await session.execute(
        update(Outbox)
        .where(
            Outbox.status == "pending",
            or_(
                and_(Outbox.kind.in_(TIMELY_KINDS), Outbox.due_at < due_before),
                Outbox.expires_at <= now,
            ),
        )
        .values(status="missed")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def cancel_pending(session: AsyncSession, dedupe_prefix: str) -> int:
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == "pending", Outbox.dedupe.startswith(dedupe_prefix, autoescape=True))
        .values(status="cancelled", dedupe=None)  # the key is free for a new row
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def add_once(session: AsyncSession, **fields: Any) -> bool:
    """An outbox row with a `dedupe` key, written only if no row has that key yet."""
    now = utcnow()
    values = {"status": "pending", "attempts": 0, "created_at": now, "due_at": now, **fields}
    result = await session.execute(
        _insert(session, Outbox).values(**values).on_conflict_do_nothing(index_elements=["dedupe"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def pending_count(session: AsyncSession, platform: str | None = None) -> int:
    conditions: list[ColumnElement[bool]] = [Outbox.status.in_(["pending", "claimed", "sending"])]
    if platform:
        conditions.append(Outbox.platform == platform)
    return int(await session.scalar(select(func.count()).where(and_(*conditions))) or 0)


async def stale_drafts(session: AsyncSession, untouched_since: datetime) -> list[Draft]:
    rows = await session.scalars(select(Draft).where(Draft.updated_at < untouched_since))
    return list(rows)
