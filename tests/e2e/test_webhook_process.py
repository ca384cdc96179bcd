"""`ideabot webhook ...` as real processes against the fake servers: registering once,
showing and removing the webhook; one worker on SQLite that is also its own sender; and
posts with a wrong secret refused on both paths."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest

from bot.devtools.fakeapi import FakeBotAPI
from tests.support.e2e import (
    BotProcess,
    closed_port,
    environment,
    ideabot_command,
    submit_an_idea,
    until,
)

pytestmark = pytest.mark.e2e

SECRET = "process-test-webhook-secret-0123456789"


async def ideabot(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *ideabot_command(*args),
        env={**os.environ, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    said = (await asyncio.wait_for(process.communicate(), 60))[0].decode()
    assert process.returncode is not None
    return process.returncode, said


async def test_set_info_and_delete_register_the_webhook_once(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url)
    env |= {"WEBHOOK_BASE_URL": f"https://127.0.0.1:{closed_port()}", "WEBHOOK_SECRET": SECRET}
    code, said = await ideabot(env, "webhook", "set")
    assert code == 0, said
    assert telegram.webhook is not None and bale.webhook is not None
    assert telegram.webhook["url"].endswith("/telegram")
    assert telegram.webhook["secret_token"] == SECRET
    assert int(telegram.webhook["max_connections"]) == 40
    assert bale.webhook["url"].endswith(f"/bale/{SECRET}") and "secret_token" not in bale.webhook
    assert SECRET not in said and "bale: webhook set to https://" in said

    code, said = await ideabot(env, "webhook", "info")
    assert code == 0, said
    assert "telegram: https://" in said and "/bale/<WEBHOOK_SECRET>" in said
    assert SECRET not in said

    code, said = await ideabot(env, "webhook", "delete")
    assert code == 0, said
    assert telegram.webhook is None and bale.webhook is None


@pytest.mark.parametrize(
    ("setting", "line"),
    [
        ({}, "WEBHOOK_SECRET: must be set for webhook mode"),
        ({"WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET: must be 32 to 256 characters"),
        (
            {"WEBHOOK_SECRET": SECRET, "WEBHOOK_BASE_URL": "http://bot.example.org"},
            "is not an https URL",
        ),
        ({"WEBHOOK_SECRET": SECRET, "WEBHOOK_BASE_URL": "https://h.example/?a=1"}, "without ?"),
    ],
)
async def test_a_worker_with_a_wrong_webhook_setting_says_which_and_stops(
    servers: tuple[FakeBotAPI, FakeBotAPI],
    tmp_path: Path,
    setting: dict[str, str],
    line: str,
) -> None:
    telegram, bale = servers
    env = environment(tmp_path, telegram.url, bale.url)
    env |= {"WEBHOOK_BASE_URL": "https://bot.example.org"} | setting
    code, said = await ideabot(env, "webhook", "serve", "--port", str(closed_port()))
    assert code == 2, said
    assert line in said and "Traceback" not in said


async def test_one_worker_on_sqlite_serves_both_platforms_and_sends_itself(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    port = closed_port()
    env = environment(tmp_path, telegram.url, bale.url)
    env |= {"WEBHOOK_BASE_URL": "https://bot.example.org", "WEBHOOK_SECRET": SECRET}
    worker = BotProcess(env, tmp_path / "worker.log", "webhook", "serve", "--port", str(port))
    await worker.start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"{base}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            # Forged posts: nothing is handled, nobody is answered.
            update = {"update_id": 1, "message": telegram.person(801)._message(text="/start")}
            for path, headers in (
                ("/telegram", {}),
                ("/telegram", {"X-Telegram-Bot-Api-Secret-Token": "x" * 40}),
                (f"/bale/{'x' * 40}", {}),
            ):
                async with session.post(base + path, json=update, headers=headers) as response:
                    assert response.status == 401, path
        await asyncio.sleep(0.3)
        assert telegram.chat_messages(801) == [] and bale.chat_messages(801) == []

        telegram.deliver_to(f"{base}/telegram", secret_token=SECRET)
        bale.deliver_to(f"{base}/bale/{SECRET}")
        people = [telegram.person(701, "Sara"), bale.person(702, "Reza")]
        codes = await asyncio.gather(*(submit_an_idea(p) for p in people))
        assert codes[0] != codes[1]  # the receipts came: this one process sends too
        people[1].send("/help")
        await until(people[1], "راهنما")
        # A second sender and clock for this SQLite database is refused, not doubled.
        code, said = await ideabot(env, "scheduler")
        assert code == 2, said
        assert "another ideabot process already sends and keeps the clock" in said
    finally:
        assert await worker.stop() == 0, worker.log()
    assert "Traceback" not in worker.log()
