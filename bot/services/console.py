"""The staff console's sign-in and its queue: a one-time link the bot gives a staff
member, the session it opens (idle expiry, logout, ended when they leave the staff),
and the search behind the queue page. Every change a console page makes goes through
the same services as the chat."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import Clock, utcnow
from bot.core.persian import normalize, to_ascii_digits
from bot.core.platforms import Platform
from bot.core.roles import Permission, may
from bot.core.statuses import STATUSES
from bot.core.tracking import parse_code
from bot.core.views import IdeaView, Staff
from bot.services.ideas import idea_view
from bot.services.users import StaffDirectory
from storage import Database, assignments, console, users
from storage import ideas as idea_rows
from storage.ideas import Search
from storage.users import UserRow

LINK_LIFETIME = timedelta(minutes=10)
# A session unused this long is over: a console left open on a shared computer.
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=12)  # and any session, after a working day
# Seen at most this often is written back: not a write per page.
_TOUCH_EVERY = timedelta(minutes=1)
PER_PAGE = 25
_PHONE_DIGITS = 10  # an Iranian mobile number without its 0 or +98


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Signed:
    """A staff member signed in to the console, as of this request."""

    staff: Staff
    name: str
    csrf: str
    locale: str | None  # the language they chose in the chat


@dataclass(frozen=True, slots=True)
class Filters:
    """The queue's filters as a staff member set them ("" means any)."""

    status: str = "open"
    area: str = ""
    call: int = 0
    assignee: str = ""  # "platform:user_id", or "me"
    platform: str = ""
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""
    sort: str = "waiting"


@dataclass(frozen=True, slots=True)
class Row:
    """An idea as a line of the queue."""

    idea: IdeaView
    area: str
    platform: str
    name: str | None
    awaiting: bool
    assignees: tuple[str, ...]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Page:
    rows: tuple[Row, ...]
    total: int
    page: int
    pages: int


def _name(person: UserRow | None, user_id: int) -> str:
    names = (person.first_name, person.last_name) if person is not None else ()
    return " ".join(n for n in names if n) or f"#{user_id}"


def search_terms(text: str, *, contact: bool = True) -> dict[str, str]:
    """What a search box holds: a tracking code, a phone number (its last digits, for
    those who may see contact details) or words of a title (or a name)."""
    text = normalize(text).strip()
    if not text:
        return {}
    code = parse_code(text)
    if code is not None:
        return {"code": code}
    digits = re.sub(r"[\s\-()+]", "", to_ascii_digits(text))
    if contact and digits.isdigit() and len(digits) >= 4:
        return {"phone_digits": digits[-_PHONE_DIGITS:] if len(digits) > 4 else digits}
    return {"words": text}


class ConsoleService:
    def __init__(
        self,
        db: Database,
        staff: StaffDirectory,
        clock: Clock = utcnow,
        *,
        idle: timedelta = IDLE_LIMIT,
    ) -> None:
        self.db = db
        self.staff = staff
        self.clock = clock
        self.idle = idle

    async def _role(self, platform: Platform, user_id: int) -> Staff | None:
        # Read each time, never from a worker's cache: someone removed or demoted by
        # another worker has their rights taken at once.
        role = await self.staff.current_role(platform, user_id)
        return Staff(platform, user_id, role) if role is not None else None

    # ----- signing in -----
    async def link(self, platform: Platform, user_id: int) -> str | None:
        """A one-time sign-in token for a staff member (None for anyone else)."""
        if await self._role(platform, user_id) is None:
            return None
        # Letters and digits only: Bale's clients would read a `_` in it as Markdown.
        token = secrets.token_hex(24)
        now = self.clock()
        async with self.db.write() as session:
            await console.add_link(
                session, _digest(token), platform.value, user_id, now, now + LINK_LIFETIME
            )
        return token

    async def link_holder(self, token: str) -> tuple[str, Staff] | None:
        """Whose link this is, if it still works: the sign-in page names them (and only
        offers to sign in: a messenger's link preview opens the link too)."""
        async with self.db.read() as session:
            link = await console.get_link(session, _digest(token))
            if link is None or link.used_at is not None or link.expires_at <= self.clock():
                return None
            person = await users.get_user(session, link.platform, link.user_id)
        staff = await self._role(Platform(link.platform), link.user_id)
        if staff is None:
            return None
        return _name(person, staff.user_id), staff

    async def sign_in(self, token: str) -> str | None:
        """The session token for a fresh, unused link of someone still on the staff;
        the link is used up either way."""
        now = self.clock()
        async with self.db.write() as session:
            link = await console.use_link(session, _digest(token), now)
            if link is None or await self._role(Platform(link.platform), link.user_id) is None:
                return None
            opened = secrets.token_urlsafe(32)
            await console.add_session(
                session,
                _digest(opened),
                link.platform,
                link.user_id,
                secrets.token_urlsafe(32),
                now,
            )
        return opened

    async def signed(self, token: str) -> Signed | None:
        """Who holds this session, if it is still open: not ended, not idle too long,
        and its holder still on the staff (with their role as it is now)."""
        now = self.clock()
        key = _digest(token)
        async with self.db.read() as session:
            row = await console.get_session(session, key)
            if row is None or row.ended_at is not None:
                return None
            staff = await self._role(Platform(row.platform), row.user_id)
            person = await users.get_user(session, row.platform, row.user_id)
            seen_at, csrf, opened = row.seen_at, row.csrf, row.created_at
        # Idle too long, or open too long however busy (a tab left refreshing itself).
        if staff is None or now - seen_at > self.idle or now - opened > SESSION_LIMIT:
            await self.sign_out(token)
            return None
        if now - seen_at > _TOUCH_EVERY:
            async with self.db.write() as session:
                await console.touch_session(session, key, now)
        locale = person.locale if person is not None else None
        return Signed(staff, _name(person, staff.user_id), csrf, locale)

    async def sign_out(self, token: str) -> None:
        async with self.db.write() as session:
            await console.end_session(session, _digest(token), self.clock())

    async def prune(self) -> int:
        now = self.clock()
        async with self.db.write() as session:
            return await console.prune(session, now - LINK_LIFETIME, now - self.idle * 2)

    # ----- the queue -----
    async def queue(self, filters: Filters, viewer: Staff, page: int = 0) -> Page:
        """A page of the ideas matching `filters`, with who holds each. Only those who
        may see contact details find ideas by a name or a phone, and see the names; a
        tracking code or a phone finds an idea whatever its status."""
        contact = may(viewer.role, Permission.DECIDE)
        terms = search_terms(filters.text, contact=contact)
        if filters.status == "open" and ("code" in terms or "phone_digits" in terms):
            statuses: tuple[str, ...] = ()
        elif filters.status == "open":
            statuses = tuple(k for k, s in STATUSES.items() if s.open)
        else:
            statuses = (filters.status,) if filters.status in STATUSES else ()
        assignee = None
        if filters.assignee == "me":
            assignee = (viewer.platform.value, viewer.user_id)
        elif ":" in filters.assignee:
            platform, _, user = filters.assignee.partition(":")
            if user.isdigit():
                assignee = (platform, int(user))
        found = Search(
            statuses=statuses,
            area=filters.area or None,
            platform=filters.platform or None,
            call_id=filters.call or None,
            assignee=assignee,
            since=filters.since,
            until=filters.until,
            sort=filters.sort,
            words=terms.get("words"),
            with_names=contact,
            code=terms.get("code"),
            phone_digits=terms.get("phone_digits"),
        )
        page = max(page, 0)
        async with self.db.read() as session:
            rows, total = await idea_rows.search(session, found, page * PER_PAGE, PER_PAGE)
            if not rows and total and page:  # past the last page: the last one
                page = (total - 1) // PER_PAGE
                rows, total = await idea_rows.search(session, found, page * PER_PAGE, PER_PAGE)
            held = await assignments.assignees_of(session, [r.id for r in rows])
            names = await users.names_of(session, sorted({k for v in held.values() for k in v}))
        lines = tuple(
            Row(
                idea_view(r),
                r.area,
                r.platform,
                r.full_name if contact else None,
                r.awaiting_staff_at is not None,
                tuple(names.get(k) or f"#{k[1]}" for k in held[r.id]),
                r.updated_at,
            )
            for r in rows
        )
        return Page(lines, total, page, max(1, -(-total // PER_PAGE)))
