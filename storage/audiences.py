"""Who is reachable, and who is in an audience: everyone subscribed, a focus area, a
kind of applicant, a messenger, an idea's status, an event's attendees, a call's
applicants; and those to remind of a call's deadline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.calls import CallRow
from storage.models import Call, Idea, Signup, Subscription, User


def reachable() -> list[ColumnElement[bool]]:
    """A private chat we may write to. (An erased person who came back is reachable:
    erasure removed their topics and sign-ups, and they choose again.)"""
    return [User.blocked.is_(False), User.chat_id.is_not(None)]


def audience_filter(
    kind: str, value: str | None, platforms: Sequence[str] | None = None
) -> list[ColumnElement[bool]]:
    """Announcements by topic (everyone, an area, a kind of applicant, a messenger) go to
    those who chose a topic; those about something a person did (an idea's status, an
    event they signed up for, a call they sent to) go to everyone involved except those
    who chose to receive nothing. Only platforms this deployment serves are counted."""
    subscribed = exists().where(Subscription.user_id == User.id)
    opted_out = and_(User.subscriptions_chosen.is_(True), ~subscribed)
    conditions = [*reachable()]
    if platforms is not None:
        conditions.append(User.platform.in_(list(platforms)))
    match kind:
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


def audience_query(kind: str, value: str | None, platforms: Sequence[str] | None) -> Any:
    return select(User.id, User.platform, User.chat_id).where(
        *audience_filter(kind, value, platforms)
    )


async def audience_size(
    session: AsyncSession, kind: str, value: str | None, platforms: Sequence[str] | None = None
) -> dict[str, int]:
    """Recipients per platform."""
    rows = await session.execute(
        select(User.platform, func.count(User.id))
        .where(*audience_filter(kind, value, platforms))
        .group_by(User.platform)
    )
    return {platform: int(count) for platform, count in rows}


# Who a reminder is written to, and how: user id, platform, chat id, locale.
Recipient = tuple[int, str, int, str | None]
_RECIPIENT = (User.id, User.platform, User.chat_id, User.locale)


async def deadline_audience(session: AsyncSession, call: Call | CallRow) -> list[Recipient]:
    """Subscribers of the call's areas who have not submitted to it."""
    rows = await session.execute(
        select(*_RECIPIENT).where(
            *reachable(),
            exists().where(Subscription.user_id == User.id, Subscription.topic.in_(call.areas)),
            ~exists().where(Idea.user_id == User.id, Idea.call_id == call.id),
        )
    )
    return [_recipient(row) for row in rows]


async def topic_audience(session: AsyncSession, topics: Sequence[str]) -> dict[Recipient, set[str]]:
    """Everyone reachable who follows any of `topics`, with which of them they follow."""
    rows = await session.execute(
        select(*_RECIPIENT, Subscription.topic)
        .join(User, User.id == Subscription.user_id)
        .where(*reachable(), Subscription.topic.in_(list(topics)))
    )
    followers: dict[Recipient, set[str]] = {}
    for *person, topic in rows:
        followers.setdefault(_recipient(person), set()).add(topic)
    return followers


def _recipient(row: Sequence[Any]) -> Recipient:
    user_id, platform, chat_id, locale = row
    return int(user_id), str(platform), int(chat_id), locale
