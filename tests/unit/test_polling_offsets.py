"""The polling loop's offsets against a scripted server whose answers take a moment: an
update sent again is confirmed once it is handled, however soon its handling ends."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

from bot.core.platforms import Platform
from bot.platform.bots import Connection
from bot.platform.polling import Poller


class ScriptedServer:
    """getUpdates as the real servers keep it: an update stays until a poll's offset
    passes it, except one sent again (its confirmation 'lost'), until it goes out."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.again: set[int] = set()
        self.offsets: list[int | None] = []

    def send_again(self, update_id: int) -> None:
        self.pending.insert(0, {"update_id": update_id})
        self.again.add(update_id)

    async def get_updates(self, offset: int | None) -> list[dict[str, Any]]:
        self.offsets.append(offset)
        if offset is not None:
            self.pending = [
                u for u in self.pending if u["update_id"] >= offset or u["update_id"] in self.again
            ]
        # The answer takes longer than the handling of an update already done.
        await asyncio.sleep(0.01)
        batch = list(self.pending)
        self.again.difference_update(u["update_id"] for u in batch)
        return batch


class ScriptedPoller(Poller):
    def __init__(self, server: ScriptedServer, handled: list[int]) -> None:
        async def handle(raw: dict[str, Any]) -> None:
            await asyncio.sleep(0.001)  # known already: answered at once
            handled.append(raw["update_id"])

        connection = cast(Connection, SimpleNamespace(platform=Platform.BALE))
        super().__init__(connection, handle, asyncio.Event(), polling_timeout=1)
        self.server = server
        self.connected = True

    async def _fetch(self, offset: int | None) -> Any:
        return await self.server.get_updates(offset)


async def test_an_update_sent_again_after_its_confirmation_is_handled_and_confirmed() -> None:
    server = ScriptedServer()
    handled: list[int] = []
    poller = ScriptedPoller(server, handled)
    poller.next_id = 6  # 5 was handled and confirmed before
    server.send_again(5)
    task = asyncio.create_task(poller.run())
    try:
        for _ in range(100):
            if not server.pending and poller.offset == 6:
                break
            await asyncio.sleep(0.01)
    finally:
        poller.stop.set()
        await asyncio.wait_for(task, 5)
    assert server.pending == []  # confirmed, not fetched poll after poll
    assert handled == [5]  # taken once (the gateway knows it: nothing is answered twice)
    assert len(server.offsets) < 10, server.offsets


async def test_an_update_twice_in_one_batch_is_taken_once() -> None:
    server = ScriptedServer()
    handled: list[int] = []
    poller = ScriptedPoller(server, handled)
    server.pending = [{"update_id": 1}, {"update_id": 1}, {"update_id": 2}]
    task = asyncio.create_task(poller.run())
    try:
        for _ in range(100):
            if not server.pending:
                break
            await asyncio.sleep(0.01)
    finally:
        poller.stop.set()
        await asyncio.wait_for(task, 5)
    assert sorted(handled) == [1, 2]
    assert server.pending == []
