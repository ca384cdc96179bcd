"""Webhook mode through the real Applications: both platforms' paths, their secrets, an
update answered only once it was handled, and one that comes again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.platforms import Platform
from bot.devtools.recording import Person, recorded
from bot.platform.webhook import SECRET_HEADER, webhook_app
from bot.ui.callbacks import StaffAction, StaffCB, StepAction, StepCB
from storage import Database
from storage.models import User
from tests.support.chat import Chat
from tests.support.databases import POSTGRES_URL, own_database

SECRET = "s" * 20 + "-webhook-secret-0123"
Client = TestClient[Any, Any]


@pytest.fixture
def webhook_app_of(make_settings: Callable[..., Settings], db: Database) -> Callable[..., App]:
    def make(**overrides: Any) -> App:
        return build_app(make_settings(**overrides), db, connection=recorded, webhook=True)

    return make


@pytest.fixture
async def served(webhook_app_of: Callable[..., App]) -> AsyncIterator[tuple[App, Client]]:
    app = webhook_app_of()
    for connection in app.connections.values():
        await connection.application.initialize()
    routes = webhook_app(app.gateway.handle, SECRET, tuple(Platform))
    async with TestClient(TestServer(routes)) as client:
        yield app, client


async def post(
    client: Client, platform: Platform, update: dict[str, Any], secret: str | None = SECRET
) -> int:
    if platform is Platform.TELEGRAM:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        response = await client.post("/telegram", json=update, headers=headers)
    else:
        response = await client.post(f"/bale/{secret or ''}", json=update)
    return response.status


async def people(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


@pytest.mark.parametrize("platform", list(Platform))
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_handled(
    served: tuple[App, Client], platform: Platform
) -> None:
    app, client = served
    chat = Chat(app, platform, Person(7))
    for secret in (None, "x" * 40, SECRET[:-1], SECRET + "0", "ß" * 40):
        assert await post(client, platform, chat.person.text("/start"), secret) in (401, 404)
    assert chat.sent() == [] and await people(app.db) == 0
    assert await post(client, platform, chat.person.text("/start")) == 200
    assert chat.sent() and await people(app.db) == 1


async def test_each_platform_is_served_only_on_its_own_path(served: tuple[App, Client]) -> None:
    app, client = served
    telegram = Chat(app, Platform.TELEGRAM, Person(7))
    bale = Chat(app, Platform.BALE, Person(8))
    assert await post(client, Platform.TELEGRAM, telegram.person.text("/start")) == 200
    assert await post(client, Platform.BALE, bale.person.text("/start")) == 200
    assert telegram.sent() and bale.sent()
    # Bale's path never takes Telegram's header for its secret.
    bare = await client.post(
        "/bale/", json=bale.person.text("/help"), headers={SECRET_HEADER: SECRET}
    )
    assert bare.status == 404
    assert (
        await client.post("/telegram", data=b"{not json", headers={SECRET_HEADER: SECRET})
    ).status == 400


@pytest.mark.parametrize("platform", list(Platform))
async def test_an_update_that_comes_again_gets_its_replies_again_and_nothing_twice(
    served: tuple[App, Client], platform: Platform
) -> None:
    """The platform posts again what it got no 2xx for: the worker died after the
    commit, before its replies went out. The replies kept with the update go again;
    what it did is not done twice."""
    app, client = served
    chat = Chat(app, platform, Person(7))
    application = app.connections[platform].application
    handled: list[object] = []
    process = application.process_update

    async def counted(update: object) -> None:
        handled.append(update)
        await process(update)

    application.process_update = counted  # type: ignore[method-assign]
    start = chat.person.text("/start")
    assert await post(client, platform, start) == 200
    first = chat.texts()
    assert first
    chat.clear()
    assert await post(client, platform, start) == 200
    assert chat.texts() == first
    assert len(handled) == 1  # the handlers ran once


async def test_polling_never_sends_an_update_s_replies_twice(make_app: Callable[..., App]) -> None:
    """A poller gets an update again after a restart whether or not its replies went out:
    only a webhook's missing answer says they did not."""
    app = make_app()
    chat = Chat(app, Platform.TELEGRAM, Person(7))
    start = chat.person.text("/start")
    assert await chat.feed(start)
    assert await chat.feed(start) == []


@pytest.mark.parametrize("platform", list(Platform))
async def test_an_update_met_by_an_unreachable_database_is_left_to_come_again(
    served: tuple[App, Client], platform: Platform
) -> None:
    app, client = served
    chat = Chat(app, platform, Person(7))

    async def unreachable(
        update_key: tuple[Platform, int, int, str], replies: object = None
    ) -> bool:
        raise OSError("the database is unreachable")

    handled = app.users.handled
    app.users.handled = unreachable  # type: ignore[method-assign]  # the turn's first step
    start = chat.person.text("/start")
    assert await post(client, platform, start) == 503
    assert chat.sent() == []  # no apology: it will be handled when it comes again
    app.users.handled = handled  # type: ignore[method-assign]
    assert await post(client, platform, start) == 200
    assert chat.sent()


async def test_a_worker_that_does_not_send_says_the_applicant_is_being_told(
    webhook_app_of: Callable[..., App],
) -> None:
    """On PostgreSQL a worker leaves every notice to the one sender in another process:
    staff read that the applicant's message is on its way, not that it failed."""
    app = webhook_app_of(staff="telegram:111:admin")
    app.messenger.sends = False
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    submit = StepCB("intake", StepAction.SUBMIT, "review", await applicant.draft_id()).pack()
    assert await applicant.feed(applicant.person.press(submit)) == []  # the receipt is a row
    [mine], _ = await app.ideas.mine(1)
    staff = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    applicant.clear()
    said = await staff.send(
        staff.person.press(StaffCB(StaffAction.MOVE, mine.id, "screening").pack())
    )
    assert "پیامش در راه صاحب ایده است" in said, said
    assert applicant.sent() == []  # this process sent nothing to the applicant
    assert await app.outbox.pending(Platform.BALE) >= 1  # the sender will


async def test_one_chat_at_two_workers_is_handled_one_update_at_a_time(
    make_settings: Callable[..., Settings],
) -> None:
    """Bale promises no order: two of one person's updates may reach two workers at once.
    On PostgreSQL the second waits for the first's commit before its handlers run."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set (no PostgreSQL to test against)")
    url = await own_database(POSTGRES_URL, "ideabot_gateway_test")
    databases = [Database(url), Database(url)]
    await databases[0].upgrade()
    workers = [
        build_app(make_settings(database_url=url), db, connection=recorded, webhook=True)
        for db in databases
    ]
    try:
        chats = [Chat(worker, Platform.BALE, Person(7)) for worker in workers]
        await chats[0].feed(chats[0].person.text("/start"))
        spans: dict[int, tuple[float, float]] = {}
        for n, worker in enumerate(workers):
            application = worker.connections[Platform.BALE].application
            process = application.process_update

            async def timed(update: object, n: int = n, process: Any = process) -> None:
                started = asyncio.get_running_loop().time()
                if n == 0:
                    await asyncio.sleep(0.5)  # the first is slow, holding its chat
                await process(update)
                spans[n] = (started, asyncio.get_running_loop().time())

            application.process_update = timed  # type: ignore[method-assign]

        async def second() -> None:
            await asyncio.sleep(0.1)  # it arrives while the first is on its way
            await chats[1].feed(chats[1].person.text("/about"))

        await asyncio.gather(chats[0].feed(chats[0].person.text("/help")), second())
        assert spans[1][0] >= spans[0][1]  # the second began only after the first ended
    finally:
        for db in databases:
            await db.dispose()
