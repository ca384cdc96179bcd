"""The sandbox's HTTP API, with the real bot in the same process (no browser here)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import inspect

from bot.__main__ import main
from bot.devtools.fakeapi import Flavour
from bot.devtools.sandbox import Sandbox, check_loopback, web_app
from bot.devtools.sandbox.demo import DEFAULT_DATABASE_URL, database_url, staff_setting
from bot.devtools.sandbox.render import html_tree
from bot.devtools.sandbox.web import wipe_database
from storage import Database
from tests.support.databases import fresh_database

Client = TestClient[Any, Any]


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    box = Sandbox(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}")
    await box.start()
    yield box
    await box.close()


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[Client]:
    async with TestClient(TestServer(web_app(sandbox))) as test_client:
        yield test_client


async def chat(client: Client, flavour: str, person: str, since: int = 0) -> dict[str, Any]:
    response = await client.get(f"/api/chat/{flavour}/{person}", params={"since": since})
    assert response.status == 200
    result: dict[str, Any] = await response.json()
    return result


async def bot_says(
    client: Client, flavour: str, person: str, fragment: str, timeout: float = 15
) -> dict[str, Any]:
    """The first item the bot sent (or edited) in this chat containing `fragment`."""
    async with asyncio.timeout(timeout):
        while True:
            items: list[dict[str, Any]] = (await chat(client, flavour, person))["items"]
            for item in items:
                if item["from"] == "bot" and fragment in item["text"]:
                    return item
            await asyncio.sleep(0.05)


async def post(client: Client, path: str, body: dict[str, Any], status: int = 200) -> None:
    response = await client.post(path, json=body)
    assert response.status == status, await response.text()


def test_html_tree_keeps_only_telegram_formatting_and_safe_links() -> None:
    markup = (
        '<b>bold <i>both</i></b> &lt;script&gt; <a href="javascript:alert(1)">bad</a> '
        '<a href="https://example.org/?a=1&amp;b=2">good</a> <span class="tg-spoiler">s</span>'
        "<blockquote>q</blockquote><code>K7M3</code>"
    )
    assert html_tree(markup) == [
        {"t": "b", "c": ["bold ", {"t": "i", "c": ["both"]}]},
        " <script> ",
        {"t": "a", "c": ["bad"]},
        " ",
        {"t": "a", "href": "https://example.org/?a=1&b=2", "c": ["good"]},
        " sq",
        {"t": "code", "c": ["K7M3"]},
    ]


def test_the_demo_staff_is_an_administrator_on_both_flavours() -> None:
    assert staff_setting() == "telegram:9001:admin,bale:9001:admin"


def test_the_database_is_the_sandbox_s_own_unless_the_environment_says() -> None:
    assert database_url({}) == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///sandbox.db"
    assert database_url({"DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_only_loopback_addresses_are_served() -> None:
    for host in ("127.0.0.1", "::1", "localhost"):
        assert check_loopback(host) == host
    for host in ("0.0.0.0", "192.168.1.5", "example.org"):
        with pytest.raises(ValueError, match="loopback"):
            check_loopback(host)
    assert main(["sandbox", "--host", "0.0.0.0"]) == 2


async def test_the_page_and_its_words(client: Client) -> None:
    page = await client.get("/")
    assert page.status == 200
    assert "/static/app.js" in await page.text()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for name in ("app.js", "app.css"):
        assert (await client.get(f"/static/{name}")).status == 200
    fa = await (await client.get("/api/config", params={"locale": "fa"})).json()
    en = await (await client.get("/api/config", params={"locale": "en"})).json()
    assert fa["texts"]["title"] == "محیط آزمایشی ideabot"
    assert en["texts"]["title"] == "ideabot sandbox"
    assert fa["texts"]["person_staff"] == "کارشناس مرکز (مدیر)"
    assert [p["key"] for p in fa["people"]] == ["citizen", "student", "company", "staff"]
    assert fa["flavours"] == ["telegram", "bale"]


async def test_each_flavour_shows_the_bot_as_its_clients_do(client: Client) -> None:
    for flavour in ("telegram", "bale"):
        await post(client, "/api/send", {"flavour": flavour, "person": "citizen", "text": "/start"})
    telegram = await bot_says(client, "telegram", "citizen", "سلام سارا")
    bale = await bot_says(client, "bale", "citizen", "سلام سارا")
    assert {"t": "b", "c": ["مرکز نوآوری و فناوری شهرداری تبریز"]} in telegram["html"]
    assert bale["html"] is None and "<b>" not in bale["text"]
    assert [b["text"] for b in telegram["inline"][0]] == ["💡 ثبت ایده", "📋 پیگیری ایده‌های من"]
    items = (await chat(client, "telegram", "citizen"))["items"]
    assert items[0] == {"from": "person", "kind": "text", "text": "/start"}
    # Each person keeps their own chat.
    assert (await chat(client, "telegram", "student"))["items"] == []


async def test_buttons_pressed_and_edits_arrive(client: Client) -> None:
    await post(client, "/api/send", {"flavour": "bale", "person": "student", "text": "/language"})
    picker = await bot_says(client, "bale", "student", "زبان ربات")
    english = next(b for row in picker["inline"] for b in row if b["text"] == "English")
    body = {"flavour": "bale", "person": "student", "message_id": picker["message_id"]}
    await post(client, "/api/press", body | {"data": "not-on-this-message"}, 404)
    await post(client, "/api/press", body | {"data": english["callback_data"]})
    edit = await bot_says(client, "bale", "student", "English")
    assert edit["event"] == "edit" and edit["message_id"] == picker["message_id"]
    assert edit["edits"] == 1


async def test_contact_location_and_files(client: Client, sandbox: Sandbox) -> None:
    who = {"flavour": "telegram", "person": "company"}
    await post(client, "/api/contact", who | {"phone": "+989141234567"})
    await post(client, "/api/location", who | {"latitude": "38.07", "longitude": "46.29"})
    await post(client, "/api/location", who | {"latitude": "91", "longitude": "0"}, 400)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    for name, content in (("bins.png", png), ("x.html", b"<script>alert(1)</script>")):
        form = FormData({**who, "caption": "محل سطل‌ها"})
        form.add_field("file", content, filename=name)
        response = await client.post("/api/upload", data=form)
        assert response.status == 200, await response.text()
    items = (await chat(client, "telegram", "company"))["items"]
    kinds = [(i["kind"], i.get("text")) for i in items if i["from"] == "person"]
    assert kinds == [
        ("contact", "+989141234567"),
        ("location", None),
        ("photo", "محل سطل‌ها"),
        ("document", ""),
    ]
    photo = await client.get(f"/api/file/telegram/{items[2]['file']}")
    page = await client.get(f"/api/file/telegram/{items[3]['file']}")
    assert photo.headers["Content-Type"] == "image/png"
    # A person's HTML file is a download, never a page of the sandbox's origin.
    assert page.headers["Content-Type"] == "application/octet-stream"
    assert page.headers["Content-Disposition"].startswith("attachment")
    fake = sandbox.fakes[Flavour.TELEGRAM]
    shared = [u["message"] for u in [*fake.delivered, *fake.pending]]
    assert shared[0]["contact"]["phone_number"] == "+989141234567"


async def test_bad_requests_are_refused(client: Client) -> None:
    await post(client, "/api/send", {"flavour": "whatsapp", "person": "citizen", "text": "x"}, 400)
    await post(client, "/api/send", {"flavour": "bale", "person": "mallory", "text": "x"}, 400)
    await post(client, "/api/send", {"flavour": "bale", "person": "citizen", "text": " "}, 400)
    too_long = "x" * 4097
    await post(client, "/api/send", {"flavour": "bale", "person": "citizen", "text": too_long}, 400)
    assert (await client.get("/api/chat/bale/citizen", params={"since": "x"})).status == 400
    assert (await client.get("/api/file/bale/nope")).status == 404


async def test_a_waiting_page_is_answered_when_the_bot_writes(client: Client) -> None:
    first = await chat(client, "bale", "citizen")
    waiting = asyncio.ensure_future(
        client.get("/api/chat/bale/citizen", params={"since": 0, "version": first["version"]})
    )
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await post(client, "/api/send", {"flavour": "bale", "person": "citizen", "text": "/help"})
    async with asyncio.timeout(10):
        answer = await (await waiting).json()
    assert answer["items"][0]["text"] == "/help"


async def test_reset_empties_the_chats_and_the_database(
    client: Client, sandbox: Sandbox, tmp_path: Path
) -> None:
    await post(client, "/api/send", {"flavour": "telegram", "person": "citizen", "text": "/start"})
    await bot_says(client, "telegram", "citizen", "سلام سارا")
    await post(client, "/api/reset", {})
    after = await chat(client, "telegram", "citizen")
    assert after["items"] == [] and after["generation"] == 1
    assert all(count == 0 for count in after["counts"].values())
    # The bot runs again on a fresh database.
    await post(client, "/api/send", {"flavour": "telegram", "person": "citizen", "text": "/start"})
    await bot_says(client, "telegram", "citizen", "سلام سارا")
    assert (tmp_path / "sandbox.db").exists()
    # A page that missed the reset is given the new chat from its start.
    params = {"since": "99", "version": "", "generation": "0"}
    stale = await (await client.get("/api/chat/telegram/citizen", params=params)).json()
    assert stale["since"] == 0 and stale["items"][0]["text"] == "/start"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_wiping_empties_the_database(kind: str, tmp_path: Path) -> None:
    db = await fresh_database(kind, tmp_path)
    url = db.url
    async with db.engine.connect() as conn:
        assert await conn.run_sync(lambda c: inspect(c).get_table_names())
    await db.dispose()
    if kind == "sqlite":  # as a person writes it, without the async driver
        url = url.replace("sqlite+aiosqlite://", "sqlite://")
    await wipe_database(url)
    if kind == "sqlite":
        assert not (tmp_path / "test.db").exists()
        return
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert tables == ["alembic_version"]  # Alembic keeps its (now empty) table
    finally:
        await db.dispose()


async def test_a_sandbox_started_again_on_its_database_answers_the_first_message(
    tmp_path: Path,
) -> None:
    """Its fake servers number their updates afresh: the record of handled updates must
    not take the new ones for the old."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}"
    for run in range(2):
        if run:
            # Updates carry their time in whole seconds: the same text under the same
            # ids in the same second is, to anyone, a redelivery. A real restart takes
            # longer than that, so the second run starts in a later second.
            await asyncio.sleep(1.05 - time.time() % 1)
        box = Sandbox(url)
        await box.start()
        try:
            async with TestClient(TestServer(web_app(box))) as client:
                for flavour in ("telegram", "bale"):
                    for text in ("/help", "/about"):
                        body = {"flavour": flavour, "person": "citizen", "text": text}
                        await post(client, "/api/send", body)
                    await bot_says(client, flavour, "citizen", "راهنمای ربات", timeout=10)
        finally:
            await box.close()
