"""The staff console over HTTP, in process, against the real app with its messenger
requests recorded: signing in with the link the bot gives, and being refused (a person
not on the staff, a used or expired link, no session, a forged CSRF token, a member
removed); finding an idea by the applicant's phone, assigning, scoring and moving it
with a reason, the applicant told in the chat; bulk moves after a confirmation; a
reviewer's limits; the statistics' charts and tables; a call's form checked by the chat
form's own rules."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import CookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, console_of, start_console
from bot.config import ConfigError, Settings
from bot.console.server import console_app
from bot.core.clock import utcnow
from bot.core.platforms import Platform
from bot.core.scoring import DEFAULT_RUBRIC
from bot.core.views import Staff
from bot.devtools.recording import Person, recorded
from bot.ui.callbacks import LanguageCB
from storage import Database
from tests.support.chat import Chat
from tests.support.clock import Clock

URL = "http://ideas.example.ir"  # the test client keeps no Secure cookie over http
PHONE = "+989121234567"  # the one the intake's applicant shares
LINK = re.compile(r"(https?://\S+/console/login/([0-9a-f]+))")


@pytest.fixture
def clock() -> Clock:
    return Clock(utcnow())


@pytest.fixture
def app(make_settings: Callable[..., Settings], db: Database, clock: Clock) -> App:
    settings = make_settings(
        staff="telegram:111:admin,telegram:112:reviewer,bale:211:admin",
        console_bind="127.0.0.1:8090",
        console_url=URL,
    )
    return build_app(settings, db, clock=clock, connection=recorded)


@pytest.fixture
async def browser(app: App) -> AsyncIterator[Callable[[], Any]]:
    """New browsers (each with its own cookies) on the console's pages."""
    opened: list[TestClient[Any, Any]] = []

    async def open_one() -> TestClient[Any, Any]:
        client: TestClient[Any, Any] = TestClient(
            TestServer(console_app(console_of(app))), cookie_jar=CookieJar(unsafe=True)
        )
        await client.start_server()
        opened.append(client)
        return client

    yield open_one
    for client in opened:
        await client.close()


async def person(app: App, platform: Platform, user_id: int, name: str, locale: str) -> Chat:
    chat = Chat(app, platform, Person(user_id, name))
    await chat.say("/start")
    await chat.feed(chat.person.press(LanguageCB(locale).pack()))
    chat.clear()
    return chat


async def link_for(chat: Chat) -> tuple[str, str]:
    """The sign-in link the bot answers /console with: its path, and its token."""
    said = await chat.say("/console")
    found = LINK.search(said)
    assert found is not None, said
    assert found.group(1).startswith(f"{URL}/console/login/")
    return found.group(1).removeprefix(URL), found.group(2)


async def sign_in(client: TestClient[Any, Any], path: str) -> str:
    """Open the link, press the button; the console's first page."""
    shown = await client.get(path)
    assert shown.status == 200
    nonce = re.search(r'name="nonce" value="([^"]+)"', await shown.text())
    assert nonce is not None
    signed = await client.post(path, data={"nonce": nonce.group(1)}, allow_redirects=False)
    assert signed.status == 303, await signed.text()
    cookie = signed.cookies["ideabot_console"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
    first = await client.get("/console/")
    assert first.status == 200
    return await first.text()


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def an_idea(app: App, platform: Platform, locale: str) -> tuple[Chat, int, str]:
    applicant = await person(app, platform, 7, "Reza", locale)
    await applicant.to_review()
    await applicant.submit()
    [mine], _ = await app.ideas.mine(await applicant.user_id())
    applicant.clear()
    return applicant, mine.id, mine.code


WORDS = {
    "fa": {"queue": "ایده‌ها", "moved": "اکنون «در حال بررسی اولیه» است", "told": "بررسی اولیه"},
    "en": {"queue": "Ideas", "moved": "is now “Initial screening”", "told": "Initial screening"},
}


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.BALE])
@pytest.mark.parametrize("locale", ["fa", "en"])
async def test_staff_sign_in_from_the_bot_and_work_an_idea(
    app: App, browser: Callable[[], Any], platform: Platform, locale: str
) -> None:
    words = WORDS[locale]
    applicant, idea, code = await an_idea(app, platform, locale)
    admin_id = 111 if platform is Platform.TELEGRAM else 211
    admin = await person(app, platform, admin_id, "Nasrin", locale)
    reviewer = await person(app, Platform.TELEGRAM, 112, "Ali", "fa")
    path, _token = await link_for(admin)
    client = await browser()
    queue = await sign_in(client, path)
    assert f'lang="{locale}"' in queue and words["queue"] in queue

    # Found by the applicant's phone as staff type it, in Persian digits too.
    found = await (await client.get("/console/", params={"q": "۰۹۱۲ ۱۲۳ ۴۵۶۷"})).text()
    assert f"/console/ideas/{idea}" in found and "سطل‌های هوشمند" in found
    nothing = await (await client.get("/console/", params={"q": "09350000000"})).text()
    assert f"/console/ideas/{idea}" not in nothing

    card = await (await client.get(f"/console/ideas/{idea}")).text()
    csrf = csrf_of(card)
    assert f"tel:{PHONE}" in card  # an administrator sees the contact

    # Assign it to Ali, who is told in his chat.
    reviewer.clear()
    assigned = await client.post(
        f"/console/ideas/{idea}/assign", data={"csrf": csrf, "member": "telegram:112"}
    )
    assert assigned.status == 200
    assert await app.review.assignees(idea) == {(Platform.TELEGRAM, 112)}
    assert code[:4] in reviewer.last_text()

    # Score it on every criterion.
    scores = {f"score-{c.key}": "4" for c in DEFAULT_RUBRIC} | {"note-impact": "اثر زیاد"}
    await client.post(f"/console/ideas/{idea}/score", data={"csrf": csrf, **scores})
    sheet = await app.scoring.sheet(idea, Staff(platform, admin_id, "admin"))
    assert sheet is not None and sheet.done and sheet.notes == {"impact": "اثر زیاد"}

    # Move it with a reason: the applicant is told in the chat, the history says who.
    moved = await client.post(
        f"/console/ideas/{idea}/move",
        data={"csrf": csrf, "target": "screening", "reason": "بررسی آغاز شد"},
    )
    page = await moved.text()
    assert words["moved"] in page
    await app.sender.settled()  # the applicant is told once it commits
    assert words["told"] in applicant.last_text() and "بررسی آغاز شد" in applicant.last_text()
    # Every change is in the history, with who made it.
    history = await app.review.history(idea, applicant_view=False)
    done = [(e.kind, e.text, e.who) for e in history]
    assert ("assigned", "Ali", "Nasrin") in done and ("scored", None, "Nasrin") in done
    assert history[-1].to_status == "screening" and history[-1].who == "Nasrin"
    assert "Ali" in await (await client.get(f"/console/ideas/{idea}")).text()


async def test_what_is_refused(app: App, browser: Callable[[], Any], clock: Clock) -> None:
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    stranger = await person(app, Platform.TELEGRAM, 5, "Kaveh", "fa")

    # A person not on the staff gets no link.
    said = await stranger.say("/console")
    assert LINK.search(said) is None and "در دسترس نیست" in said

    # No session: nothing but the page that says how to sign in.
    client = await browser()
    for url in ("/console/", "/console/stats", "/console/ideas/1"):
        response = await client.get(url)
        assert response.status == 401 and "/console" in await response.text()
    refused = await client.post("/console/ideas/1/move", data={"target": "accepted"})
    assert refused.status == 401

    # A link opened only shows a button (a preview must not use it); used once, it is dead.
    path, _ = await link_for(admin)
    await sign_in(client, path)
    again = await browser()
    assert (await again.get(path)).status == 403
    assert (await again.post(path, data={"nonce": "x"})).status == 403

    # A link older than ten minutes is dead too.
    late_path, _ = await link_for(admin)
    clock.advance(minutes=11)
    assert (await (await browser()).get(late_path)).status == 403
    clock.advance(minutes=-11)

    # A form without the session's CSRF token (or with another) changes nothing.
    for forged in ({}, {"csrf": "forged"}):
        response = await client.post("/console/ideas/1/note", data={"note": "x", **forged})
        assert response.status == 403

    # Idle for longer than the limit: the session is over, even once the clock is back.
    clock.advance(minutes=31)
    assert (await client.get("/console/")).status == 401
    clock.advance(minutes=-31)
    assert (await client.get("/console/")).status == 401

    # A staff member removed is out at once, whatever session they held.
    await app.staff.add(Platform.TELEGRAM, 300, "reviewer")
    helper = await person(app, Platform.TELEGRAM, 300, "Mina", "fa")
    helper_path, _ = await link_for(helper)
    theirs = await browser()
    await sign_in(theirs, helper_path)
    await app.staff.remove(Platform.TELEGRAM, 300)
    assert (await theirs.get("/console/")).status == 401

    # Logging out ends the session.
    fresh = await browser()
    page = await sign_in(fresh, (await link_for(admin))[0])
    await fresh.post("/console/logout", data={"csrf": csrf_of(page)})
    assert (await fresh.get("/console/")).status == 401


async def test_a_reviewer_can_review_but_not_assign_or_decide(
    app: App, browser: Callable[[], Any]
) -> None:
    _, idea, _ = await an_idea(app, Platform.TELEGRAM, "fa")
    reviewer = await person(app, Platform.TELEGRAM, 112, "Ali", "fa")
    client = await browser()
    await sign_in(client, (await link_for(reviewer))[0])
    card = await (await client.get(f"/console/ideas/{idea}")).text()
    csrf = csrf_of(card)
    assert PHONE not in card  # contact details are administrators' only
    assign = await client.post(
        f"/console/ideas/{idea}/assign", data={"csrf": csrf, "member": "telegram:112"}
    )
    assert assign.status == 403 and await app.review.assignees(idea) == set()
    for target in ("rejected", "accepted"):
        await client.post(
            f"/console/ideas/{idea}/move",
            data={"csrf": csrf, "target": target, "reason": "نه", "confirm": "yes"},
        )
    assert (await app.review.by_id(idea)).status == "submitted"  # type: ignore[union-attr]
    bulk = await client.post(
        "/console/bulk", data={"csrf": csrf, "idea": str(idea), "action": "move:rejected"}
    )
    assert bulk.status == 403
    # A working move is theirs to make.
    await client.post(f"/console/ideas/{idea}/move", data={"csrf": csrf, "target": "screening"})
    assert (await app.review.by_id(idea)).status == "screening"  # type: ignore[union-attr]


async def test_a_bulk_move_asks_first_then_tells_each_applicant(
    app: App, browser: Callable[[], Any]
) -> None:
    applicant, idea, _ = await an_idea(app, Platform.BALE, "fa")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    form = {"csrf": csrf, "idea": str(idea), "action": "move:rejected", "reason": "تکراری"}
    asked = await (await client.post("/console/bulk", data=form)).text()
    assert "۱ ایده" in asked and "پذیرفته نشد" in asked and 'name="confirm"' in asked
    assert (await app.review.by_id(idea)).status == "submitted"  # type: ignore[union-attr]
    done = await (await client.post("/console/bulk", data={**form, "confirm": "yes"})).text()
    assert "تغییر کرد: ۱" in done
    assert (await app.review.by_id(idea)).status == "rejected"  # type: ignore[union-attr]
    await app.sender.settled()  # the applicant is told once it commits
    assert "تکراری" in applicant.last_text()


async def test_the_statistics_show_charts_with_their_tables(
    app: App, browser: Callable[[], Any]
) -> None:
    await an_idea(app, Platform.TELEGRAM, "fa")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    client = await browser()
    await sign_in(client, (await link_for(admin))[0])
    page = await (await client.get("/console/stats")).text()
    for chart in ("weekly", "funnel", "areas", "personas", "platforms", "response", "decision"):
        assert f"/console/stats/{chart}.svg" in page
    assert "<caption>" in page and "پسماند" in page  # the area's row in its table
    svg = await client.get("/console/stats/areas.svg")
    assert svg.status == 200 and svg.content_type == "image/svg+xml"
    assert b"<svg" in await svg.read()
    png = await client.get("/console/stats/funnel.png")
    assert (await png.read()).startswith(b"\x89PNG")
    csv_text = (await (await client.get("/console/stats/areas.csv")).read()).decode("utf-8-sig")
    assert "پسماند,1" in csv_text


async def test_a_call_form_uses_the_chat_forms_rules(app: App, browser: Callable[[], Any]) -> None:
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "en")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    bad = {
        "csrf": csrf,
        "title": "x",
        "description": "Ideas for cleaner streets in the old town.",
        "areas": "waste",
        "opens_at": "2026-12-01 08:00",
        "closes_at": "2026-11-01 08:00",
    }
    refused = await client.post("/console/calls/new", data=bad)
    text = await refused.text()
    assert refused.status == 400 and await app.calls.recent() == []
    assert "at least 3" in text or "too short" in text.lower()
    later = (utcnow() + timedelta(days=20)).strftime("%Y-%m-%d 18:00")
    good = {**bad, "title": "Cleaner streets", "closes_at": later}
    saved = await client.post("/console/calls/new", data=good)
    assert saved.status == 200
    [call] = await app.calls.recent()
    assert call.title == "Cleaner streets" and call.areas == ("waste",)
    # Closing it asks first.
    asked = await (await client.post(f"/console/calls/{call.id}/close", data={"csrf": csrf})).text()
    assert "Cleaner streets" in asked and (await app.calls.is_open(call.id))
    await client.post(f"/console/calls/{call.id}/close", data={"csrf": csrf, "confirm": "yes"})
    assert not await app.calls.is_open(call.id)


async def test_behind_https_the_cookies_are_secure(
    make_settings: Callable[..., Settings], db: Database
) -> None:
    settings = make_settings(
        staff="telegram:111:admin",
        console_bind="127.0.0.1:8090",
        console_url="https://ideas.example.ir",
    )
    app = build_app(settings, db, connection=recorded)
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    said = await admin.say("/console")
    found = LINK.search(said)
    assert found is not None and found.group(1).startswith("https://ideas.example.ir/console/")
    token = found.group(2)
    async with TestClient(TestServer(console_app(console_of(app)))) as client:
        shown = await client.get(f"/console/login/{token}")
        assert "Secure" in shown.headers["Set-Cookie"]
        nonce = re.search(r'name="nonce" value="([^"]+)"', await shown.text())
        assert nonce is not None
        signed = await client.post(
            f"/console/login/{token}",
            data={"nonce": nonce.group(1)},
            headers={"Cookie": f"ideabot_console_signin={nonce.group(1)}"},
            allow_redirects=False,
        )
        assert signed.status == 303
        session = next(v for k, v in signed.headers.items() if "ideabot_console=" in v)
        assert all(part in session for part in ("HttpOnly", "Secure", "SameSite=Strict"))


async def test_odd_addresses_and_forms_are_refused_without_a_traceback(
    app: App, browser: Callable[[], Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    _, idea, _ = await an_idea(app, Platform.TELEGRAM, "fa")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    for url in ("/console/ideas/%C2%B2", "/console/ideas/" + "9" * 40, "/console/ideas/0"):
        assert (await client.get(url)).status == 404, url
    assert (
        await client.get("/console/", params={"page": "4" * 30, "call": "9" * 30})
    ).status == 200
    assert (await client.get("/console/", params={"page": "99"})).status == 200  # the last page
    forms = {
        f"/console/ideas/{idea}/score": {"score-novelty": "²"},
        f"/console/ideas/{idea}/assign": {"member": "telegram:²"},
        "/console/bulk": {"idea": "²", "action": "move:screening"},
        "/console/calls/²/close": {},
        f"/console/ideas/{idea}/move": {"target": "no-such-status"},
    }
    for url, form in forms.items():
        response = await client.post(url, data={"csrf": csrf, **form})
        assert response.status in (200, 404), (url, response.status)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert (await app.review.by_id(idea)).status == "submitted"  # type: ignore[union-attr]


async def test_a_reviewer_sees_no_staff_or_broadcast_pages(
    app: App, browser: Callable[[], Any]
) -> None:
    reviewer = await person(app, Platform.TELEGRAM, 112, "Ali", "fa")
    client = await browser()
    queue = await sign_in(client, (await link_for(reviewer))[0])
    assert "/console/staff" not in queue and "/console/broadcasts" not in queue
    for url in ("/console/staff", "/console/broadcasts", "/console/calls/new"):
        assert (await client.get(url)).status == 403, url


async def test_a_bulk_rejection_asks_for_its_reason_before_anything(
    app: App, browser: Callable[[], Any]
) -> None:
    applicant, idea, _ = await an_idea(app, Platform.TELEGRAM, "en")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "en")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    form = {"csrf": csrf, "idea": str(idea), "action": "move:rejected", "confirm": "yes"}
    asked = await (await client.post("/console/bulk", data=form)).text()
    assert "needs a reason" in asked and '<textarea name="reason"' in asked
    assert (await app.review.by_id(idea)).status == "submitted"  # type: ignore[union-attr]
    moved = await client.post("/console/bulk", data={**form, "reason": "Out of scope"})
    assert "Moved: 1." in await moved.text()
    await app.sender.settled()  # the applicant is told once it commits
    assert "Out of scope" in applicant.last_text()


async def test_an_answered_idea_can_be_marked_seen(app: App, browser: Callable[[], Any]) -> None:
    applicant, idea, _ = await an_idea(app, Platform.TELEGRAM, "en")
    await app.review.add_info(await applicant.user_id(), idea, "one more thing")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "en")
    client = await browser()
    await sign_in(client, (await link_for(admin))[0])
    page = await (await client.get(f"/console/ideas/{idea}")).text()
    seen = await client.post(f"/console/ideas/{idea}/seen", data={"csrf": csrf_of(page)})
    assert "no longer waits" in await seen.text()
    card = await app.review.card(idea)
    assert card is not None and not card.awaiting_staff


async def test_a_decision_can_be_undone_from_its_page_within_its_time(
    app: App, browser: Callable[[], Any], clock: Clock
) -> None:
    applicant, idea, _ = await an_idea(app, Platform.TELEGRAM, "en")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "en")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    # A rejection without its reason is refused before any confirmation.
    early = await client.post(
        f"/console/ideas/{idea}/move", data={"csrf": csrf, "target": "rejected"}
    )
    assert "Write the reason" in await early.text()
    rejected = {"csrf": csrf, "target": "rejected", "reason": "Out of scope", "confirm": "yes"}
    page = await (await client.post(f"/console/ideas/{idea}/move", data=rejected)).text()
    assert "Undo “Not accepted”" in page
    entry = re.search(r'name="entry" value="(\d+)"', page)
    assert entry is not None
    applicant.clear()
    undone = await client.post(
        f"/console/ideas/{idea}/undo", data={"csrf": csrf, "entry": entry.group(1)}
    )
    assert "back at “Submitted”" in await undone.text()
    assert (await app.review.by_id(idea)).status == "submitted"  # type: ignore[union-attr]
    await app.sender.settled()  # the applicant is told once it commits
    assert applicant.last_text()  # told
    # Later than the window, nothing is offered, and a forged undo changes nothing.
    await client.post(f"/console/ideas/{idea}/move", data=rejected)
    clock.advance(minutes=31)
    page = await (await client.get(f"/console/ideas/{idea}")).text()
    assert "Undo" not in page
    late = re.search(r"\d+", entry.group(1))
    assert late is not None


async def test_a_console_address_in_use_is_one_clear_line(
    make_settings: Callable[..., Settings], db: Database
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = build_app(make_settings(console_bind=f"127.0.0.1:{port}"), db, connection=recorded)
        with pytest.raises(ConfigError) as caught:
            await start_console(app)
    [line] = caught.value.lines
    assert line.startswith(f"CONSOLE_BIND: cannot listen on 127.0.0.1:{port}")


async def test_cancelling_an_event_asks_first_and_happens_once(
    app: App, browser: Callable[[], Any]
) -> None:
    event = await app.events.save(
        None,
        {
            "title": "Pitch day",
            "description": "Ideas presented to the deputies.",
            "place": "City hall",
            "starts_at": utcnow() + timedelta(days=5),
            "capacity": None,
        },
    )
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "en")
    client = await browser()
    csrf = csrf_of(await sign_in(client, (await link_for(admin))[0]))
    url = f"/console/events/{event.id}/cancel"
    asked = await (await client.post(url, data={"csrf": csrf})).text()
    assert "Pitch day" in asked and f'action="{url}"' in asked
    assert not (await app.events.get(event.id)).cancelled  # type: ignore[union-attr]
    done = await client.post(url, data={"csrf": csrf, "confirm": "yes"})
    assert "The event is cancelled" in await done.text()
    assert (await app.events.get(event.id)).cancelled  # type: ignore[union-attr]
    again = await client.post(url, data={"csrf": csrf, "confirm": "yes"})
    assert again.status == 404
