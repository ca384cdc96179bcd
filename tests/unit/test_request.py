"""The HTTP client under every Bot, against a small server on loopback: what each way a
request can go wrong becomes (never sent, lost, timed out), uploads, and shutdown."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.platform.request import AiohttpRequest, Lost, NotSent
from tests.support.e2e import closed_port


def _read(value: object) -> str:
    assert isinstance(value, web.FileField), value
    return value.file.read().decode()


class Server:
    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.finished: list[str] = []
        self.url = ""

    async def ok(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.received.append(
            {key: value if isinstance(value, str) else _read(value) for key, value in form.items()}
        )
        return web.json_response({"ok": True, "result": True})

    async def slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        self.finished.append("slow")
        return web.json_response({"ok": True, "result": True})

    async def drop(self, request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()  # the request arrived; the answer never comes
        return web.Response()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    found = Server()
    app = web.Application()
    app.router.add_post("/ok", found.ok)
    app.router.add_post("/slow", found.slow)
    app.router.add_post("/drop", found.drop)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    found.url = f"http://127.0.0.1:{port}"
    yield found
    await runner.cleanup()


async def test_fields_and_files_arrive(server: Server) -> None:
    request = AiohttpRequest()
    await request.initialize()
    data = RequestData(
        [
            RequestParameter.from_input("chat_id", 7),
            RequestParameter.from_input("caption", "سلام <b>"),
            RequestParameter.from_input("document", InputFile(b"plan bytes", filename="plan.txt")),
        ]
    )
    try:
        status, payload = await request.do_request(f"{server.url}/ok", "POST", data)
    finally:
        await request.shutdown()
    assert status == 200 and json.loads(payload)["ok"] is True
    [fields] = server.received
    assert fields["chat_id"] == "7" and fields["caption"] == "سلام <b>"
    assert fields["document"] == "plan bytes"


async def test_a_read_timeout_is_timed_out_and_a_drop_is_lost(server: Server) -> None:
    request = AiohttpRequest()
    await request.initialize()
    with pytest.raises(TimedOut):
        await request.do_request(f"{server.url}/slow", "POST", read_timeout=0.2)
    assert server.finished == []  # it gave up before the server answered
    with pytest.raises(Lost):
        await request.do_request(f"{server.url}/drop", "POST")
    await request.shutdown()


async def test_a_refused_connection_was_never_sent() -> None:
    request = AiohttpRequest()
    await request.initialize()
    with pytest.raises(NotSent):
        await request.do_request(f"http://127.0.0.1:{closed_port()}/ok", "POST")
    await request.shutdown()


async def test_after_shutdown_nothing_opens_a_new_session(server: Server) -> None:
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    with pytest.raises(NotSent):
        await request.do_request(f"{server.url}/ok", "POST")
    assert server.received == []
    await request.initialize()  # an Application started again
    status, _ = await request.do_request(f"{server.url}/ok", "POST")
    await request.shutdown()
    assert status == 200
