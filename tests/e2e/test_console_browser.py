"""The staff console in a real Chromium, served by `ideabot run` against the fake Bot API
servers: an administrator gets a link from the bot, signs in, finds a Bale applicant's
idea by their phone, assigns it, scores it and moves it with a reason; the applicant is
told in the chat; the statistics page shows its charts. A person not on the staff, a
reused link, a forged CSRF token and a request without a session are refused. The
README's screenshots come from here (UPDATE_SCREENSHOT=1)."""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import ClientError, ClientSession, ClientTimeout

from bot.core.tracking import display_code
from bot.devtools.fakeapi import FakeBotAPI, Person
from tests.support.browser import chromium
from tests.support.e2e import BotProcess, closed_port, environment, submit_an_idea, until

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"
WAIT = 20.0
LINK = re.compile(r"(http://\S+/console/login/[0-9a-f]+)")


@pytest.fixture
async def bot(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> AsyncIterator[tuple[BotProcess, str]]:
    telegram, bale = servers
    port = closed_port()
    env = environment(tmp_path, telegram.url, bale.url) | {
        "STAFF": "telegram:801:admin,telegram:802:reviewer",
        "CONSOLE_BIND": f"127.0.0.1:{port}",
    }
    process = BotProcess(env, tmp_path / "bot.log")
    await process.start()
    base = f"http://127.0.0.1:{port}"
    async with asyncio.timeout(30), ClientSession(timeout=ClientTimeout(total=2)) as http:
        while True:
            assert process.process is not None and process.process.returncode is None, process.log()
            try:
                async with http.get(f"{base}/console/static/console.css") as response:
                    if response.status == 200:
                        break
            except ClientError:
                pass
            await asyncio.sleep(0.2)
    yield process, base
    assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log(), process.log()


@pytest.fixture(name="chromium")
async def a_browser() -> AsyncIterator[Browser]:
    async with chromium() as browser:
        yield browser


async def new_page(browser: Browser, errors: list[str]) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
    context.set_default_timeout(WAIT * 1000)
    tab = await context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return tab


async def link_from_the_bot(staff: Person) -> str:
    staff.send("/console")
    found = LINK.search((await until(staff, "/console/login/")).text)
    assert found is not None
    return found.group(1)


def a_photo() -> bytes:
    """A real JPEG, as a phone would send: the console must show it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (31, 111, 139))
    ImageDraw.Draw(image).rectangle((40, 60, 280, 160), fill=(240, 180, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


async def screenshot(page: Page, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOT"):
        await page.screenshot(path=str(DOCS / name), full_page=True)


async def test_an_administrator_works_an_idea_in_the_browser(
    servers: tuple[FakeBotAPI, FakeBotAPI], bot: tuple[BotProcess, str], chromium: Browser
) -> None:
    telegram, bale = servers
    _process, base = bot
    applicant = bale.person(702, "Reza")
    code = await submit_an_idea(applicant, photo=a_photo())
    # Two more, from others, so that finding one by its phone means something.
    await submit_an_idea(
        telegram.person(703, "Mina"), phone="+989351112233", area="📡 هوشمندسازی شهری"
    )
    await submit_an_idea(
        bale.person(704, "Sahand"), phone="+989123334455", area="🚦 حمل‌ونقل و ترافیک"
    )
    ali = telegram.person(802, "Ali")
    ali.send("/start")
    await until(ali, "سلام Ali")
    admin = telegram.person(801, "Nasrin")
    admin.send("/start")
    await until(admin, "سلام Nasrin")
    link = await link_from_the_bot(admin)

    errors: list[str] = []
    page = await new_page(chromium, errors)
    # The link's page only offers to sign in; the button does it.
    await page.goto(link)
    await page.get_by_role("button", name="ورود").click()
    await page.wait_for_url(f"{base}/console/")
    assert await page.locator("html").get_attribute("dir") == "rtl"

    assert await page.locator("tbody tr").count() == 3
    await screenshot(page, "console-queue-fa.png")

    # Found by the applicant's phone, typed as staff would.
    await page.get_by_label("جست‌وجو").fill("0914 123 4567")
    await page.get_by_role("button", name="نمایش").click()
    row = page.locator("tbody tr", has_text=display_code(code))
    await row.wait_for()
    assert await page.locator("tbody tr").count() == 1
    await row.get_by_role("link", name=re.compile("سطل")).click()
    await page.wait_for_url(re.compile(r"/console/ideas/\d+$"))
    assert "tel:+989141234567" in await page.content()
    # The photo comes through the bot that received it, and shows.
    photo = page.locator("ul.files img")
    await photo.scroll_into_view_if_needed()
    await page.wait_for_function("i => i.complete", arg=await photo.element_handle())
    assert await photo.evaluate("i => i.naturalWidth") == 320

    # Assign it to Ali, who is told in his chat.
    await page.locator("#assign").locator("..").get_by_label(re.compile("Ali")).check()
    await page.locator("#assign").locator("..").get_by_role("button").click()
    await page.get_by_text("سپردن ذخیره شد").wait_for()
    assert display_code(code) in (await until(ali, "سپرد")).text

    # Score every criterion.
    for fieldset in await page.locator("fieldset.criterion").all():
        await fieldset.get_by_label("۴", exact=True).check()
    await page.get_by_role("button", name="ذخیرهٔ امتیازهای من").click()
    await page.get_by_text("امتیازهای شما ذخیره شد").wait_for()
    await page.get_by_text("۴٫۰ از ۵").or_(page.get_by_text("۴.۰ از ۵")).first.wait_for()

    # Move it with a reason; the applicant reads it in the chat.
    await page.get_by_label("وضعیت تازه").select_option("screening")
    await page.get_by_label(re.compile("^دلیل")).fill("بررسی اولیه آغاز شد؛ به‌زودی خبر می‌دهیم.")
    await page.get_by_role("button", name="تغییر", exact=True).click()
    await page.get_by_text("ایده اکنون «در حال بررسی اولیه» است").wait_for()
    told = await until(applicant, "در حال بررسی اولیه")
    assert "بررسی اولیه آغاز شد" in told.text
    history = page.locator("ol.history li").last
    assert "Nasrin" in await history.inner_text()
    await screenshot(page, "console-idea-fa.png")

    # The statistics: every chart drawn, each with its table.
    await page.get_by_role("link", name="آمار").click()
    await page.wait_for_url(f"{base}/console/stats")
    charts = page.locator("section.chart img")
    assert await charts.count() == 7
    for image in await charts.all():
        await image.scroll_into_view_if_needed()
        drawn = await image.evaluate("i => i.complete && i.naturalWidth > 0")
        assert drawn, await image.get_attribute("src")
    assert await page.locator("section.chart table").count() == 7
    await screenshot(page, "console-stats-fa.png")
    assert not errors, errors


async def test_what_the_console_refuses(
    servers: tuple[FakeBotAPI, FakeBotAPI], bot: tuple[BotProcess, str], chromium: Browser
) -> None:
    telegram, _bale = servers
    _process, base = bot
    errors: list[str] = []

    # Someone not on the staff gets no link.
    stranger = telegram.person(705, "Kaveh")
    stranger.send("/console")
    refused = await until(stranger, "در دسترس نیست")
    assert "/console/login/" not in refused.text

    # Without a session, nothing.
    page = await new_page(chromium, errors)
    response = await page.goto(f"{base}/console/")
    assert response is not None and response.status == 401
    await page.get_by_text("وارد نشده‌اید").first.wait_for()

    # A link works once: a second browser opening it is refused.
    admin = telegram.person(801, "Nasrin")
    link = await link_from_the_bot(admin)
    await page.goto(link)
    await page.get_by_role("button", name="ورود").click()
    await page.wait_for_url(f"{base}/console/")
    other = await new_page(chromium, errors)
    again = await other.goto(link)
    assert again is not None and again.status == 403
    await other.get_by_text("این پیوند کار نمی‌کند").first.wait_for()

    # A form posted with a forged CSRF token, from the signed-in browser, changes nothing.
    forged: Any = await page.request.post(
        f"{base}/console/staff/invite",
        form={"csrf": "forged", "role": "admin", "platform": "telegram"},
    )
    assert forged.status == 403
    assert "پیوند" not in await forged.text() or "این فرم" in await forged.text()
    assert errors == [] or all("401" in e or "403" in e for e in errors), errors
