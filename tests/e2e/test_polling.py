"""The tolerant polling loop against the fake Bot API server, in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from bot.app import App, build_app
from bot.config import Settings
from bot.core.platforms import Platform
from bot.devtools.fakeapi import FakeBotAPI, Flavour
from bot.platform.polling import Backoff, Poller
from storage import Database

MakeSettings = Callable[..., Settings]


@pytest.fixture
def make_app(make_settings: MakeSettings, db: Database) -> Callable[[FakeBotAPI], App]:
    """An app that talks to `server` over HTTP, as `ideabot run` does."""

    def make(server: FakeBotAPI) -> App:
        platform = Platform(server.flavour.value)
        settings = make_settings(
            **{f"{platform.value}_bot_token": server.token, f"{platform.value}_api_url": server.url}
        )
        return build_app(settings, db, platforms=(platform,))

    return make


@asynccontextmanager
async def polling(app: App, **options: object) -> AsyncIterator[Poller]:
    [(platform, connection)] = app.connections.items()
    stop = asyncio.Event()

    async def handle(raw: dict[str, object]) -> None:
        await app.gateway.handle(platform, raw)

    poller = Poller(connection, handle, stop, polling_timeout=1, **options)  # type: ignore[arg-type]
    task = asyncio.create_task(poller.run())
    try:
        yield poller
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        for found in app.connections.values():
            await found.application.shutdown()


@pytest.mark.parametrize("flavour", [Flavour.TELEGRAM, Flavour.BALE])
async def test_an_update_that_does_not_parse_is_skipped(
    make_app: Callable[[FakeBotAPI], App], flavour: Flavour
) -> None:
    async with FakeBotAPI(flavour) as server, polling(make_app(server)):
        person = server.person(5)
        server.push_update({"message": {"message_id": "not a number", "chat": "?"}})
        person.send("/start")
        reply = await person.next()
        assert reply.text.startswith("سلام Sara!")


async def test_a_malformed_callback_does_not_stop_polling(
    make_app: Callable[[FakeBotAPI], App],
) -> None:
    async with FakeBotAPI(Flavour.BALE) as server, polling(make_app(server)) as poller:
        person = server.person(5)
        server.push_update({"callback_query": {"id": "1", "message": "oops", "from": 7}})
        server.push_update({"update_id_is_missing": True, "message": {}})
        person.send("/start")
        reply = await person.next()
        assert reply.text.startswith("سلام Sara!")
        assert poller.connected


async def test_a_batch_of_unusable_updates_is_not_fetched_in_a_hot_loop(
    make_app: Callable[[FakeBotAPI], App],
) -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server:
        server.pending.append({"update_id": "not-a-number"})
        async with polling(make_app(server), backoff=Backoff(0.2, 0.4)):
            await asyncio.sleep(1.0)
        # The waits grow (0.2 s, 0.4 s, …): a second holds only a few polls.
        assert 2 <= len(server.calls_to("getUpdates")) <= 5


async def test_bale_callbacks_without_chat_instance_work(
    make_app: Callable[[FakeBotAPI], App],
) -> None:
    async with FakeBotAPI(Flavour.BALE) as server, polling(make_app(server)):
        person = server.person(5)
        person.send("/language")
        menu = await person.next()
        person.press(menu, "English")
        edited = await person.next()
        assert edited.text == "Done: the bot now speaks English."
        assert "chat_instance" not in server.delivered[-1]["callback_query"]
        assert len(server.callback_answers) == 1


async def test_polling_survives_the_server_going_away(
    make_app: Callable[[FakeBotAPI], App],
) -> None:
    server = FakeBotAPI(Flavour.TELEGRAM)
    await server.start()
    async with polling(make_app(server), backoff=Backoff(0.05, 0.2)) as poller:
        person = server.person(5)
        person.send("/start")
        await person.next()
        port = server.port
        await server.stop()
        await asyncio.sleep(0.5)  # several failed polls
        assert poller.connected
        next_id = server.delivered[-1]["update_id"] + 1
        revived = FakeBotAPI(Flavour.TELEGRAM, port=port, first_update_id=next_id)
        await revived.start()
        try:
            again = revived.person(5)
            again.send("/help")
            reply = await again.next()
            assert reply.text.startswith("راهنمای ربات")
        finally:
            await revived.stop()


async def test_stop_lets_updates_in_hand_finish(make_app: Callable[[FakeBotAPI], App]) -> None:
    async with FakeBotAPI(Flavour.BALE) as server:
        async with polling(make_app(server)) as poller:
            person = server.person(5)
            for _ in range(5):
                person.send("/help")
            await server.wait_confirmed()
            await asyncio.sleep(0)  # the batch is taken; stop now
            assert poller.offset is not None
        # Every update taken from the server was answered before run() returned.
        assert len(server.chat_messages(5)) == 5


def test_backoff_grows_and_resets() -> None:
    backoff = Backoff(1, 8)
    delays = [backoff.next() for _ in range(6)]
    assert 0.8 <= delays[0] <= 1.2 and 6.4 <= delays[-1] <= 9.6
    backoff.reset()
    assert backoff.next() <= 1.2


async def test_an_update_in_hand_when_the_process_dies_is_handled_when_it_starts_again(
    make_app: Callable[[FakeBotAPI], App],
) -> None:
    async with FakeBotAPI(Flavour.TELEGRAM) as server:
        first = make_app(server)
        person = server.person(5)
        handled = first.gateway.handle

        async def dies_on_help(platform: Platform, raw: dict[str, object]) -> bool:
            message = raw.get("message")
            if isinstance(message, dict) and message.get("text") == "/help":
                await asyncio.Event().wait()  # the process is killed while on it
            return await handled(platform, raw)

        first.gateway.handle = dies_on_help  # type: ignore[method-assign]
        [(platform, connection)] = first.connections.items()
        poller = Poller(
            connection,
            lambda raw: first.gateway.handle(platform, raw),
            asyncio.Event(),
            polling_timeout=1,
        )
        killed = asyncio.create_task(poller.run())
        person.send("/start")
        person.send("/help")
        await server.wait_until(lambda: len(server.chat_messages(5)) >= 2, 10)  # /start done
        await asyncio.sleep(0.3)  # a poll or two more, with /help still in hand
        assert poller.offset == server.delivered[-1]["update_id"]  # /help is not confirmed
        killed.cancel()
        for task in poller.in_flight:
            task.cancel()
        await asyncio.gather(killed, *poller.in_flight, return_exceptions=True)
        await connection.application.shutdown()
        answered = len(server.chat_messages(5))
        async with polling(make_app(server)):  # started again, on the same database
            reply = await person.server.wait_event(5, answered, 10)
            assert reply.message.text.startswith("راهنمای ربات")
            await asyncio.sleep(0.5)
        # /start was not handled a second time; /help was, once.
        assert len(server.chat_messages(5)) == answered + 1
