"""Running `ideabot run` as a real process against the fake Bot API servers, and chatting
with it as a person would."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from bot.core.tracking import parse_code
from bot.devtools.fakeapi import BotMessage, Person

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

    async def finished(self, timeout: float = 60) -> int:
        """Wait for a process that ends by itself (a one-off command)."""
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout)

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


async def until(person: Person, fragment: str, timeout: float = 20) -> BotMessage:
    """Read the bot's messages to `person` until one contains `fragment`."""
    async with asyncio.timeout(timeout):
        while True:
            message = await person.next_message(timeout)
            if fragment in message.text:
                return message


async def submit_an_idea(
    person: Person,
    receipt_within: float = 20,
    photo: bytes = b"\xff\xd8 a photo of the bins",
    phone: str = "+989141234567",
    area: str = "♻️ پسماند",
) -> str:
    """The whole intake, as a citizen with a photo, a location and a contact; returns
    the tracking code the receipt gave (which may take `receipt_within` seconds)."""
    person.send("/new")
    person.press(await until(person, "در کدام گروه قرار می‌گیرید؟"), "شهروند")
    person.press(await until(person, "کدام حوزهٔ مدیریت شهری"), area)
    await until(person, "یک عنوان کوتاه")
    person.send("سطل‌های <b>هوشمند</b> & *تبریز*")
    await until(person, "کدام مسئلهٔ شهر")
    person.send("پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند.")
    await until(person, "راه‌حل شما چیست")
    person.send("حسگر پرشدن روی سطل‌ها نصب می‌شود و مسیر خودروها هر روز بهینه می‌شود.")
    person.press(await until(person, "چه اثری انتظار دارید"), "⏭ رد کردن")
    person.press(await until(person, "در چه مرحله‌ای است"), "💡 ایده")
    await until(person, "تیم شما چند نفر است")
    person.send("۳")
    await until(person, "تا ۵ عکس")
    person.send_photo(photo, caption="محل سطل‌ها")
    person.press(await until(person, "دریافت شد (۱ از ۵)"), "✅ پایان")
    prompt = await until(person, "آن را بفرستید: دکمهٔ زیر موقعیت فعلی شما را می‌فرستد")
    assert "📍 ارسال موقعیت فعلی من" in prompt.button_texts()
    person.share_location(38.0792, 46.2887)
    await until(person, "✓ ذخیره شد.")
    name = await until(person, "نام و نام خانوادگی شما چیست")
    person.press(name, f"✅ {person.first_name}")
    await until(person, "شمارهٔ همراه خود را")
    person.share_contact(phone)
    person.press(await until(person, "موافقید؟"), "✅ موافقم")
    review = await until(person, "پیش از ثبت، ایده‌تان را بازبینی کنید")
    assert "عنوان: سطل‌های <b>هوشمند</b> & *تبریز*" in review.text
    person.press(review, "📨 ثبت نهایی ایده")
    receipt = await until(person, "ایدهٔ شما ثبت شد.", receipt_within)
    code = parse_code(receipt.text.split("کد رهگیری:")[1].splitlines()[0])
    assert code is not None, receipt.text
    return code
