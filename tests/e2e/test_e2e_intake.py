"""End to end: an idea with a photo and a shared contact, submitted over HTTP on the
Telegram and the strict Bale flavour by one `ideabot run` process."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.fakeapi import BotMessage, FakeBotAPI, Person
from bot.tracking import parse_code
from storage import Database, repo
from tests.e2e_support import BotProcess, environment

pytestmark = pytest.mark.e2e


async def until(person: Person, fragment: str, timeout: float = 20) -> BotMessage:
    """Read the bot's messages to `person` until one contains `fragment`."""
    async with asyncio.timeout(timeout):
        while True:
            message = await person.next_message(timeout)
            if fragment in message.text:
                return message


async def submit_an_idea(person: Person) -> str:
    person.send("/new")
    person.press(await until(person, "در کدام گروه قرار می‌گیرید؟"), "شهروند")
    person.press(await until(person, "کدام حوزهٔ مدیریت شهری"), "♻️ پسماند")
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
    person.send_photo(b"\xff\xd8 a photo of the bins", caption="محل سطل‌ها")
    person.press(await until(person, "دریافت شد (۱ از ۵)"), "✅ پایان")
    prompt = await until(person, "آن را بفرستید: دکمهٔ زیر موقعیت فعلی شما را می‌فرستد")
    assert "📍 ارسال موقعیت فعلی من" in prompt.button_texts()
    person.share_location(38.0792, 46.2887)
    await until(person, "✓ ذخیره شد.")
    name = await until(person, "نام و نام خانوادگی شما چیست")
    person.press(name, f"✅ {person.first_name}")
    await until(person, "شمارهٔ همراه خود را")
    person.share_contact("+989141234567")
    person.press(await until(person, "موافقید؟"), "✅ موافقم")
    review = await until(person, "پیش از ثبت، ایده‌تان را بازبینی کنید")
    assert "عنوان: سطل‌های <b>هوشمند</b> & *تبریز*" in review.text
    person.press(review, "📨 ثبت نهایی ایده")
    receipt = await until(person, "ایدهٔ شما ثبت شد.")
    code = parse_code(receipt.text.split("کد رهگیری:")[1].splitlines()[0])
    assert code is not None, receipt.text
    return code


async def test_an_idea_on_each_platform(
    servers: tuple[FakeBotAPI, FakeBotAPI], tmp_path: Path
) -> None:
    telegram, bale = servers
    process = BotProcess(environment(tmp_path, telegram.url, bale.url), tmp_path / "bot.log")
    await process.start()
    try:
        people = [telegram.person(701, "Sara"), bale.person(702, "Reza")]
        codes = await asyncio.gather(*(submit_an_idea(p) for p in people))
        assert codes[0] != codes[1]
        for person, code in zip(people, codes, strict=True):
            person.send("/my")
            listing = await until(person, "ایده‌های شما")
            assert f"{code[:4]}-{code[4:]}" in listing.text
            assert "سطل‌های <b>هوشمند</b> & *تبریز*" in listing.text
            assert "ثبت‌شده" in listing.text
    finally:
        assert await process.stop() == 0, process.log()
    assert "Traceback" not in process.log()
    assert not [c for c in bale.calls if "parse_mode" in c.params]
    assert {c.method for c in bale.calls if c.status != 200} <= {"setMyCommands"}
    assert {c.method for c in telegram.calls if c.status != 200} == set()

    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}")
    try:
        async with db.read() as session:
            for platform, server, person_id in (("telegram", telegram, 701), ("bale", bale, 702)):
                user = await repo.get_user(session, platform, person_id)
                assert user is not None and user.phone == "+989141234567"
                [idea] = await repo.list_ideas(session, user.id)
                [photo] = await repo.list_attachments(session, idea.id)
                assert photo.platform == platform and photo.file_id in server.files
                assert photo.kind == "photo" and photo.chat_id == person_id
                assert (idea.latitude, idea.longitude) == (38.0792, 46.2887)
    finally:
        await db.dispose()
