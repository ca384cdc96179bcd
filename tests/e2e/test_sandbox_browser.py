"""`ideabot sandbox` in a real Chromium: a citizen submits an idea through the page, in
Persian, from /start to the tracking code; the demo staff account moves it and the citizen
is told. The page's screenshot in README.md comes from here (UPDATE_SCREENSHOT=1)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from aiohttp import ClientError, ClientSession, ClientTimeout

from bot.core.tracking import display_code, parse_code
from tests.support.browser import chromium
from tests.support.e2e import BotProcess, closed_port

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "sandbox-fa.png"
WAIT = 20.0  # seconds, for any one thing the page should show


class SandboxProcess(BotProcess):
    """`ideabot sandbox` as a process, on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int) -> None:
        super().__init__(env, log_path)
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        script = Path(sys.executable).with_name("ideabot")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            *command,
            "sandbox",
            "--port",
            str(self.port),
            env={**os.environ, **self.env},
            stdout=log,
            stderr=log,
            stdin=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(30), ClientSession(timeout=ClientTimeout(total=2)) as http:
            while True:
                assert self.process.returncode is None, self.log()
                try:
                    async with http.get(f"{self.url}api/config") as response:
                        if response.status == 200:
                            return
                except ClientError:
                    pass
                await asyncio.sleep(0.2)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[SandboxProcess]:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.db'}",
        "LOG_LEVEL": "INFO",
        "CONSOLE_BIND": f"127.0.0.1:{closed_port()}",  # the demo staff's /console works
    }
    process = SandboxProcess(env, tmp_path / "sandbox.log", closed_port())
    await process.start()
    yield process
    assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()


@pytest.fixture
async def page(sandbox: SandboxProcess) -> AsyncIterator[Page]:
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1200, "height": 860}, locale="fa-IR")
        context.set_default_timeout(WAIT * 1000)
        tab = await context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        await tab.goto(sandbox.url)
        yield tab
        assert not errors, errors


class Chat:
    """The chat on the page, read as a person reads it: bubble after bubble."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.bubbles = page.locator("#messages .bubble.in")
        self.seen = 0

    async def open(self, flavour: str, person: str) -> None:
        await self.page.locator(f'button.flavour[data-flavour="{flavour}"]').click()
        await self.page.locator(f'button.person[data-person="{person}"]').click()
        self.seen = 0

    async def until(self, fragment: str) -> Locator:
        """The first bot message after the last one read that contains `fragment`."""
        async with asyncio.timeout(WAIT):
            while True:
                for index in range(self.seen, await self.bubbles.count()):
                    bubble = self.bubbles.nth(index)
                    if fragment in await bubble.inner_text():
                        self.seen = index + 1
                        return bubble
                await asyncio.sleep(0.1)

    async def press(self, bubble: Locator, label: str) -> None:
        await bubble.get_by_role("button", name=label, exact=True).click()

    async def type(self, text: str) -> None:
        await self.page.locator("#text").fill(text)
        await self.page.locator("#send").click()

    async def tap(self, label: str) -> None:
        """A button of the reply keyboard under the chat."""
        await self.page.locator("#keyboard").get_by_role("button", name=label).click()


async def submit_an_idea(chat: Chat, tmp_path: Path) -> str:
    page = chat.page
    await page.get_by_role("button", name="شروع", exact=True).click()
    await chat.press(await chat.until("سلام سارا"), "💡 ثبت ایده")
    await chat.press(await chat.until("در کدام گروه قرار می‌گیرید؟"), "شهروند")
    await chat.press(await chat.until("کدام حوزهٔ مدیریت شهری"), "♻️ پسماند")
    await chat.until("یک عنوان کوتاه")
    await chat.type("سطل‌های <b>هوشمند</b> & *تبریز*")
    await chat.until("کدام مسئلهٔ شهر")
    await chat.type("پسماند در محله‌های قدیمی دیر جمع‌آوری می‌شود و بو و آلودگی ایجاد می‌کند.")
    await chat.until("راه‌حل شما چیست")
    await chat.type("حسگر پرشدن روی سطل‌ها نصب می‌شود و مسیر خودروها هر روز بهینه می‌شود.")
    await chat.press(await chat.until("چه اثری انتظار دارید"), "⏭ رد کردن")
    await chat.press(await chat.until("در چه مرحله‌ای است"), "💡 ایده")
    await chat.until("تیم شما چند نفر است")
    await chat.type("۳")
    await chat.until("تا ۵ عکس")
    photo = tmp_path / "bins.png"
    photo.write_bytes(PNG)
    await page.locator("#file").set_input_files(photo)
    await page.locator("#file-caption").fill("محل سطل‌ها")
    await page.locator("#file-send").click()
    await chat.press(await chat.until("دریافت شد (۱ از ۵)"), "✅ پایان")
    await chat.until("دکمهٔ زیر موقعیت فعلی شما را می‌فرستد")
    await chat.tap("📍 ارسال موقعیت فعلی من")
    assert await page.locator("#location-latitude").input_value() == "38.0792"
    await page.locator("#location-send").click()
    await chat.until("✓ ذخیره شد.")
    await chat.press(await chat.until("نام و نام خانوادگی شما چیست"), "✅ سارا رضایی")
    await chat.until("شمارهٔ همراه خود را")
    await chat.tap("📱 ارسال شمارهٔ تلفن")
    phone = page.locator("#contact-phone")
    assert await phone.input_value() == "+989141234567"
    await phone.fill("09141112233")  # demo data the person may edit
    await page.locator("#contact-send").click()
    await chat.press(await chat.until("موافقید؟"), "✅ موافقم")
    review = await chat.until("پیش از ثبت، ایده‌تان را بازبینی کنید")
    # Typed markup is shown as typed, never as formatting.
    assert "عنوان: سطل‌های <b>هوشمند</b> & *تبریز*" in await review.inner_text()
    await chat.press(review, "📨 ثبت نهایی ایده")
    receipt = await chat.until("ایدهٔ شما ثبت شد.")
    text = await receipt.inner_text()
    code = parse_code(text.split("کد رهگیری:")[1].splitlines()[0])
    assert code is not None, text
    return code


# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


async def test_an_idea_from_start_to_tracking_code_and_the_staff_moves_it(
    page: Page, tmp_path: Path
) -> None:
    assert await page.locator("html").get_attribute("dir") == "rtl"
    chat = Chat(page)
    await chat.open("telegram", "citizen")
    code = await submit_an_idea(chat, tmp_path)
    shown = display_code(code)
    await page.locator("#messages").evaluate("list => { list.scrollTop = list.scrollHeight; }")
    path = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "sandbox.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path))

    await chat.open("telegram", "staff")
    await page.get_by_role("button", name="شروع", exact=True).click()
    await chat.until("سلام نسرین")
    await page.locator("#menu").click()  # Telegram's command menu, with the staff's commands
    await page.locator("#commands").get_by_text("/review").wait_for()
    await page.locator("#menu").click()
    await chat.type(f"/idea {code}")
    card = await chat.until("آخرین تغییر")  # the idea's card, one message with its buttons
    assert shown in await card.inner_text()
    await chat.press(card, "🔎 شروع بررسی اولیه")
    await chat.until("انجام شد")
    # The console's sign-in link is a link on the page, as a messenger's client makes it.
    await chat.type("/console")
    sign_in = (await chat.until("میز کار کارکنان")).locator('a[href*="/console/login/"]')
    assert (await sign_in.get_attribute("target")) == "_blank"
    # The citizen's chat shows that something new arrived.
    citizen = page.locator('button.person[data-person="citizen"] .badge')
    await citizen.wait_for(state="visible")

    await chat.open("telegram", "citizen")
    told = await chat.until("وضعیت ایدهٔ")
    assert shown in await told.inner_text()
    assert "در حال بررسی اولیه" in await told.inner_text()


async def test_bale_shows_plain_text_and_the_page_speaks_english(page: Page) -> None:
    chat = Chat(page)
    await chat.open("bale", "company")
    assert await page.locator("body").get_attribute("data-flavour") == "bale"
    await page.get_by_role("button", name="شروع", exact=True).click()
    welcome = await chat.until("سلام نگین")
    # Bale gets no parse_mode: the bot sends no markup there, and none is drawn.
    assert await welcome.locator("b").count() == 0
    await page.locator("#attach").click()  # 📎 offers a file, a location or one's contact
    await page.locator("#attach-location").click()
    await page.locator("#location-dialog").get_by_role("button", name="انصراف").click()
    await page.locator("#location-dialog").wait_for(state="hidden")
    await chat.open("telegram", "company")
    assert await page.locator("#messages .bubble").count() == 0  # each chat is its own
    await page.locator('button.locale[data-locale="en"]').click()
    await page.locator("html[dir=ltr]").wait_for()
    assert await page.locator("#start").inner_text() == "Start"
    await page.locator("#start").click()
    telegram = await chat.until("سلام نگین")
    assert await telegram.locator("b").count() > 0  # Telegram's HTML is drawn
    await chat.open("bale", "company")
    await chat.until("سلام نگین")  # the chat was kept; the page speaks English, the bot Persian
