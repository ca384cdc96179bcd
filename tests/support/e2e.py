"""Running `ideabot run` as a real process against the fake Bot API servers."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

TG_TOKEN = "111111:TELEGRAM-e2e-token"
BALE_TOKEN = "222222:BALE-e2e-token"


def ideabot_command(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("ideabot")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return [*base, *(args or ("run",))]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.env = env
        self.log_path = log_path
        self.args = args
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            *ideabot_command(*self.args),
            env={**os.environ, **self.env},
            stdout=log,
            stderr=log,
            stdin=asyncio.subprocess.DEVNULL,
        )

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            raise

    async def kill(self) -> None:
        """kill -9: no chance to finish anything."""
        assert self.process is not None
        self.process.kill()
        await asyncio.wait_for(self.process.wait(), 20)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def environment(tmp_path: Path, telegram_url: str, bale_url: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_URL": telegram_url,
        "BALE_BOT_TOKEN": BALE_TOKEN,
        "BALE_API_URL": bale_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
        "LOG_LEVEL": "INFO",
    }
