"""What the staff console asks of the database, on SQLite and PostgreSQL alike: the
queue's search (a code, a phone in any form, words of a title or a name, with filters),
the trends behind its charts, and sign-in links that work once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.platforms import Platform
from bot.core.tracking import new_code
from bot.core.views import Staff, StaffMember
from bot.services.console import ConsoleService, Filters
from bot.services.stats import StatsService
from bot.services.users import StaffDirectory
from storage import Database, history, ideas

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ADMIN = Staff(Platform.TELEGRAM, 111, "admin")


async def add(db: Database, title: str, name: str, phone: str, **more: object) -> str:
    code = new_code()
    fields = {
        "code": code,
        "platform": "bale",
        "persona": "citizen",
        "area": "waste",
        "title": title,
        "problem": "پسماند در محله دیر جمع می‌شود.",
        "solution": "حسگر روی سطل‌ها.",
        "stage": "idea",
        "full_name": name,
        "phone": phone,
        "consent_at": NOW,
        "created_at": NOW - timedelta(days=3),
        **more,
    }
    async with db.write() as session:
        await ideas.add_idea(session, fields, [])
    return code


def service(db: Database) -> ConsoleService:
    staff = StaffDirectory((StaffMember(Platform.TELEGRAM, 111, "admin"),), db)
    return ConsoleService(db, staff, lambda: NOW)


async def found(db: Database, **filters: object) -> list[str]:
    page = await service(db).queue(Filters(**filters), ADMIN)  # type: ignore[arg-type]
    return [row.idea.title for row in page.rows]


async def test_the_queue_finds_by_code_phone_and_words(any_db: Database) -> None:
    code = await add(any_db, "سطل‌های هوشمند", "Reza Ahmadi", "+989141234567")
    await add(any_db, "اتوبوس برقی", "Sara Karimi", "+989351112233", area="transport")
    await add(any_db, "100% _odd_ title", "Mina", "+989120000000", status="rejected")
    assert await found(any_db, text=code.lower()) == ["سطل‌های هوشمند"]
    assert await found(any_db, text="۰۹۱۴-۱۲۳-۴۵۶۷") == ["سطل‌های هوشمند"]
    assert await found(any_db, text="+98 935 111 2233") == ["اتوبوس برقی"]
    assert await found(any_db, text="karimi") == ["اتوبوس برقی"]
    assert await found(any_db, text="هوشمند") == ["سطل‌های هوشمند"]
    assert await found(any_db, text="هوشمند سطل‌های") == ["سطل‌های هوشمند"]  # any order
    assert await found(any_db, text="هوشمند اتوبوس") == []
    # LIKE's own characters are only characters.
    assert await found(any_db, text="%", status="") == ["100% _odd_ title"]
    assert await found(any_db, text="_o", status="") == ["100% _odd_ title"]
    assert await found(any_db, area="transport") == ["اتوبوس برقی"]
    assert await found(any_db) == ["سطل‌های هوشمند", "اتوبوس برقی"]  # open ones, oldest first
    assert len(await found(any_db, status="")) == 3
    assert await found(any_db, since=NOW - timedelta(days=1)) == []


async def test_the_trends_count_weeks_the_funnel_and_waits(any_db: Database) -> None:
    worked = await add(any_db, "یک", "A", "+989140000001")
    await add(any_db, "دو", "B", "+989140000002", created_at=NOW - timedelta(days=10))
    async with any_db.write() as session:
        idea = await ideas.get_idea_by_code(session, worked)
        assert idea is not None
        for to, hours in (("screening", 5), ("accepted", 50)):
            await history.add_entry(
                session,
                idea_id=idea.id,
                kind="status",
                to_status=to,
                staff_platform="telegram",
                staff_user_id=111,
                created_at=NOW - timedelta(days=3) + timedelta(hours=hours),
            )
    trends = await StatsService(any_db, lambda: NOW).trends(ZoneInfo("Asia/Tehran"))
    assert sum(n for _, n in trends.weekly) == 2 and trends.weekly[-1][1] == 1
    reached = dict(trends.funnel)
    assert reached["submitted"] == 2 and reached["screening"] == 1 and reached["accepted"] == 1
    assert reached["evaluating"] == 1  # an idea accepted went through the stages before it
    assert trends.response == (1, 0, 0, 0, 0, 1)  # within a day; one still waiting
    assert trends.decision == (0, 1, 0, 0, 0, 1)  # 50 hours: 1 to 3 days; one still waiting
    assert trends.response_median_hours is not None and round(trends.response_median_hours) == 5


async def test_a_sign_in_link_works_once_and_only_for_staff(any_db: Database) -> None:
    console = service(any_db)
    assert await console.link(Platform.TELEGRAM, 999) is None
    token = await console.link(Platform.TELEGRAM, 111)
    assert token is not None
    holder = await console.link_holder(token)
    assert holder is not None and holder[1] == ADMIN
    opened = await console.sign_in(token)
    assert opened is not None and await console.link_holder(token) is None
    assert await console.sign_in(token) is None
    signed = await console.signed(opened)
    assert signed is not None and signed.staff == ADMIN
    await console.sign_out(opened)
    assert await console.signed(opened) is None


async def test_someone_removed_through_another_worker_is_out_at_once(any_db: Database) -> None:
    """Two workers over one database: the one that did not remove them has a cache."""
    first, second = (
        ConsoleService(any_db, StaffDirectory((), any_db), lambda: NOW) for _ in range(2)
    )
    await first.staff.add(Platform.BALE, 300, "admin")
    token = await first.link(Platform.BALE, 300)
    assert token is not None
    opened = await first.sign_in(token)
    assert opened is not None
    assert await second.signed(opened) is not None  # second has them in its cache now
    await second.staff.load()
    await first.staff.remove(Platform.BALE, 300)
    assert await second.signed(opened) is None
    await first.staff.add(Platform.BALE, 300, "admin")  # back again: the old session is not
    assert await second.signed(opened) is None


async def test_a_code_finds_its_idea_whatever_its_status(any_db: Database) -> None:
    code = await add(any_db, "رد شده", "Reza", "+989141234567", status="rejected")
    assert await found(any_db, text=code) == ["رد شده"]
    assert await found(any_db, text="رد شده") == []  # words keep the open ones
    assert await found(any_db, text="رد شده", status="") == ["رد شده"]


async def test_a_reviewer_finds_by_title_only(any_db: Database) -> None:
    await add(any_db, "سطل‌های هوشمند", "Reza Ahmadi", "+989141234567")
    reviewer = Staff(Platform.TELEGRAM, 111, "reviewer")
    page = await service(any_db).queue(Filters(text="Ahmadi"), reviewer)
    assert page.rows == ()
    page = await service(any_db).queue(Filters(text="09141234567"), reviewer)
    assert page.rows == ()
    page = await service(any_db).queue(Filters(text="هوشمند"), reviewer)
    assert [r.name for r in page.rows] == [None]  # no name shown to a reviewer
