"""The sender's pace: however unevenly its sends are delayed between the bucket and
the wire (a mark's write holds some longer than others, the loop is busy), no second
counted from the moments they leave holds more than the configured rate, and a turn
given back untried holds up no other."""

from __future__ import annotations

import asyncio
import random
import time

from bot.platform.sender import Pace
from tests.support.rates import busiest_second

RATE = 20.0
GIVEN_BACK = {5, 33}  # turns given back untried


async def test_no_second_holds_more_than_the_rate_when_sends_are_held_unevenly() -> None:
    pace = Pace(RATE)
    loop = asyncio.get_running_loop()
    left: list[float] = []
    delays = random.Random(7)

    async def send(n: int) -> None:
        async with pace.turn() as going:
            # Between the turn and the wire: a mark's write of 0 to 60 ms, and now
            # and then a loop held up by other work.
            await asyncio.sleep(delays.uniform(0, 0.06))
            if delays.random() < 0.1:
                time.sleep(0.005)  # noqa: ASYNC251 (the busy loop is the point)
            if n in GIVEN_BACK:
                return  # given back untried (a 429 came): its turn counts for nothing
            going()
            left.append(loop.time())

    async with asyncio.timeout(30):
        await asyncio.gather(*(send(n) for n in range(int(RATE * 3))))
    assert len(left) == RATE * 3 - len(GIVEN_BACK)
    assert busiest_second(left) <= RATE


async def test_a_send_cancelled_while_waiting_its_turn_holds_up_no_other() -> None:
    pace = Pace(1)
    holding = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with pace.turn() as going:
            holding.set()
            await release.wait()
            going()

    async def waiting() -> None:
        async with pace.turn() as going:
            going()

    owner = asyncio.create_task(first())
    await holding.wait()
    await asyncio.sleep(1.05)  # the bucket has room again: only the turn holds it up
    cancelled = asyncio.create_task(waiting())
    await asyncio.sleep(0.01)  # it waits for the first turn to go
    cancelled.cancel()
    release.set()
    await owner
    async with asyncio.timeout(5):
        await waiting()  # the next turn comes a second after the first went
    assert cancelled.cancelled()
