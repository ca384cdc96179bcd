"""People (one row per person per platform), their language, contact details, and the
conversation they are in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import String, Table, bindparam, delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.lean import Lean
from storage.models import Subscription, User, utcnow


class UserRow(NamedTuple):
    """A person's row as it is read (not an object the session tracks)."""

    id: int
    platform: str
    platform_user_id: int
    chat_id: int | None
    first_name: str
    last_name: str | None
    username: str | None
    erased: bool
    locale: str | None
    full_name: str | None
    phone: str | None
    blocked: bool
    subscriptions_chosen: bool
    state: str | None
    created_at: datetime
    updated_at: datetime


_TABLE = cast(Table, User.__table__)
assert UserRow._fields == tuple(_TABLE.c.keys()), "UserRow follows the users table"

# Asked for at every update.
_BY_PLATFORM_ID = Lean(
    lambda _: select(_TABLE).where(
        _TABLE.c.platform == bindparam("platform_"),
        _TABLE.c.platform_user_id == bindparam("user"),
    )
)
_STATE = Lean(
    lambda _: (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("user"))
        .values(
            state=bindparam("state_"), updated_at=bindparam("now", type_=_TABLE.c.updated_at.type)
        )
    )
)


async def get_user(session: AsyncSession, platform: str, platform_user_id: int) -> UserRow | None:
    values = {"platform_": platform, "user": platform_user_id}
    row = await _BY_PLATFORM_ID.first(session, values)
    return UserRow(*row) if row is not None else None


_BY_ID = Lean(lambda _: select(_TABLE).where(_TABLE.c.id == bindparam("id_")))


async def get_user_by_id(session: AsyncSession, user_id: int) -> UserRow | None:
    row = await _BY_ID.first(session, {"id_": user_id})
    return UserRow(*row) if row is not None else None


def _add(insert: Any) -> Any:
    now = bindparam("now", type_=_TABLE.c.created_at.type)
    return (
        insert(_TABLE)
        .values(
            platform=bindparam("platform_"),
            platform_user_id=bindparam("user"),
            chat_id=bindparam("chat"),
            first_name=bindparam("first"),
            last_name=bindparam("last"),
            username=bindparam("username_"),
            erased=False,
            blocked=False,
            subscriptions_chosen=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
    )


_ADD = Lean(_add)
_REFRESH = Lean(
    lambda _: (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("id_"))
        .values(
            chat_id=bindparam("chat"),
            first_name=bindparam("first"),
            last_name=bindparam("last"),
            username=bindparam("username_"),
            updated_at=bindparam("now", type_=_TABLE.c.updated_at.type),
        )
    )
)


async def upsert_user(
    session: AsyncSession,
    platform: str,
    platform_user_id: int,
    *,
    chat_id: int | None,
    first_name: str,
    last_name: str | None,
    username: str | None,
) -> tuple[UserRow, bool]:
    """Create the user on first sight (True) or refresh chat and names when they change."""
    found = await get_user(session, platform, platform_user_id)
    if found is None:
        await _ADD.count(
            session,
            {
                "platform_": platform,
                "user": platform_user_id,
                "chat": chat_id,
                "first": first_name,
                "last": last_name,
                "username_": username,
                "now": utcnow(),
            },
        )
        found = await get_user(session, platform, platform_user_id)
        assert found is not None
        return found, True
    if not changed(
        found, chat_id=chat_id, first_name=first_name, last_name=last_name, username=username
    ):
        return found, False
    if found.erased:  # after an erasure, the messenger's names are not kept again
        first_name, last_name, username = found.first_name, found.last_name, found.username
    fresh = found._replace(
        chat_id=chat_id if chat_id is not None else found.chat_id,
        first_name=first_name,
        last_name=last_name,
        username=username,
    )
    values = {"first": first_name, "last": last_name, "username_": username}
    await _REFRESH.count(
        session, {"id_": found.id, "chat": fresh.chat_id, "now": utcnow()} | values
    )
    return fresh, False


def changed(
    user: UserRow,
    *,
    chat_id: int | None,
    first_name: str,
    last_name: str | None,
    username: str | None,
) -> bool:
    """Whether `upsert_user` would change this row (so a read can tell a write is due)."""
    if chat_id is not None and chat_id != user.chat_id:
        return True
    if user.erased:
        return False
    return (user.first_name, user.last_name, user.username) != (first_name, last_name, username)


async def set_locale(session: AsyncSession, user_id: int, locale: str | None) -> None:
    await session.execute(
        update(User).where(User.id == user_id).values(locale=locale, updated_at=utcnow())
    )


async def set_state(session: AsyncSession, user_id: int, state: str | None) -> None:
    await _STATE.count(session, {"user": user_id, "state_": state, "now": utcnow()})


_CONTACT = Lean(
    lambda _: (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("id_"))
        .values(
            full_name=bindparam("full"),
            phone=bindparam("phone_"),
            updated_at=bindparam("now", type_=_TABLE.c.updated_at.type),
        )
    )
)


async def set_contact(
    session: AsyncSession, user_id: int, full_name: str | None, phone: str | None
) -> None:
    values = {"id_": user_id, "full": full_name, "phone_": phone, "now": utcnow()}
    await _CONTACT.count(session, values)


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


async def names_of(
    session: AsyncSession, people: list[tuple[str, int]]
) -> dict[tuple[str, int], str]:
    """Messenger names of people known by platform and platform id (staff, in a history)."""
    if not people:
        return {}
    found: dict[tuple[str, int], str] = {}
    for platform in {p for p, _ in people}:
        ids = [u for p, u in people if p == platform]
        rows = await session.execute(
            select(User.platform_user_id, User.first_name, User.last_name).where(
                User.platform == platform, User.platform_user_id.in_(ids)
            )
        )
        for uid, first, last in rows.all():
            found[(platform, int(uid))] = " ".join(n for n in (first, last) if n)
    return found


async def users_by_platform_id(
    session: AsyncSession, people: list[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    """Our user ids of people known by platform and platform id (staff to alert)."""
    found: dict[tuple[str, int], int] = {}
    for platform in {p for p, _ in people}:
        ids = [u for p, u in people if p == platform]
        rows = await session.execute(
            select(User.platform_user_id, User.id).where(
                User.platform == platform, User.platform_user_id.in_(ids), User.chat_id.is_not(None)
            )
        )
        found.update({(platform, int(uid)): int(i) for uid, i in rows.all()})
    return found
