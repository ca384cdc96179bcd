"""End to end: an idea with a photo and a shared contact, submitted over HTTP on the
Telegram and the strict Bale flavour by one `ideabot run` process."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.devtools.fakeapi import FakeBotAPI
from storage import Database, ideas, users
from tests.support.e2e import BotProcess, environment, submit_an_idea, until

pytestmark = pytest.mark.e2e


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
                user = await users.get_user(session, platform, person_id)
                assert user is not None and user.phone == "+989141234567"
                [idea] = await ideas.list_ideas(session, user.id)
                [photo] = await ideas.list_attachments(session, idea.id)
                assert photo.platform == platform and photo.file_id in server.files
                assert photo.kind == "photo" and photo.chat_id == person_id
                assert (idea.latitude, idea.longitude) == (38.0792, 46.2887)
    finally:
        await db.dispose()
