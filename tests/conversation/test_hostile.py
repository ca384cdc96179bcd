"""Hostile and odd input, generated from a seed and bounded: people on both platforms
at once send what a person, a broken client or a hostile one could (control and
reordering characters, NUL, markup for either platform, huge texts, forged buttons,
shapes the framework refuses, edits, files, contacts and places), mixed with real
conversations that submit ideas made of such text.

Whatever they send: every update gets an answer in its chat, nothing logs a traceback,
Bale's clients would read no Markdown in anything people typed, and the staff's export
of every stored answer opens in openpyxl and in the CSV reader."""

from __future__ import annotations

import csv
import io
import logging
import random
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.app import App, build_app
from bot.config import Settings
from bot.core.platforms import Platform
from bot.devtools.fakeapi import bale_to_text
from bot.devtools.recording import Call, Person, recorded
from bot.ui.callbacks import (
    IdeaAction,
    IdeaCB,
    LanguageCB,
    MenuAction,
    MenuCB,
    StaffAction,
    StaffCB,
    StepAction,
    StepCB,
    SubscriptionCB,
)
from storage import Database
from tests.support.chat import Chat

SEED = 20261202
PEOPLE = 40  # half on each platform
UPDATES = 50  # each
ANSWERS = ("sendMessage", "editMessageText", "sendDocument", "sendPhoto", "copyMessage")

DISGUISED_LINK = "[پیام فوری از شهرداری](http://evil.example/login)"
# Pieces of text a person could send, alone or mixed.
NASTY = [
    "\x00",
    "\x07\x08\x1b[31m",
    "\u202e\u202d\u2066\u2069\u200f\u200e",
    "\ufeff\ufffe",
    "\ud800",
    "<b>bold</b> <script>alert(1)</script> &amp; &",
    "*bold* _it_ `code` ~s~ " + DISGUISED_LINK,
    "{code} {title} {0} %s %(x)s",
    '=HYPERLINK("http://e.x")',
    "ي ك ى ـــ ۱۲۳ ٤٥٦ 789",
    "Z\u0335\u0336\u0337a\u0338\u0321l\u0322g\u0327o",
    "👨‍👩‍👧‍👦🏳️‍🌈" * 3,
    "\r\n\r\n\t",
    "K7M3-QXA9",
    "/start call_99999999999",
    "/track " + "A" * 50,
    "/idea ABCD-EFGH",
    "/staff add bale:1 admin",
]
COMMANDS = [
    "/start", "/new", "/my", "/track", "/cancel", "/help", "/language", "/settings",
    "/privacy", "/calls", "/events", "/admin", "/review", "/export", "/stats", "/broadcast",
    "/delete_my_data", "/newcall",
]  # fmt: skip


def nasty_text(rng: random.Random) -> str:
    parts = [rng.choice(NASTY) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.1:
        parts.append("طولانی " * rng.randint(600, 1400))  # past a message's length
    if rng.random() < 0.5:
        parts.append("ایده‌ای برای جمع‌آوری پسماند در محله‌های قدیمی تبریز")
    rng.shuffle(parts)
    return "".join(parts)


def forged(rng: random.Random) -> str:
    choices: list[str] = [
        "".join(rng.choice("abc:1_-|\x00{}") for _ in range(rng.randint(1, 64))),
        MenuCB(rng.choice(list(MenuAction))).pack(),
        LanguageCB(rng.choice(["fa", "en", "de", ""])).pack(),
        IdeaCB(rng.choice(list(IdeaAction)), rng.randint(-1, 99)).pack(),
        StaffCB(rng.choice(list(StaffAction)), rng.randint(0, 9), "accepted").pack(),
        SubscriptionCB(rng.choice(["waste", "all", "none", "done", "x"])).pack(),
        StepCB(
            rng.choice(["intake", "call", "broadcast", "answer", "track", "nope"]),
            rng.choice(list(StepAction)),
            rng.choice(["persona", "area", "review", "title", ""]),
            rng.choice(["citizen", "waste", "1", "next", "done", ""]),
        ).pack(),
    ]
    return rng.choice(choices)


def odd_update(rng: random.Random, person: Person) -> dict[str, Any]:  # noqa: PLR0911
    """One update a person, a broken client or a hostile one could send."""
    kind = rng.choice(
        ["text", "text", "command", "press", "press", "photo", "document", "contact",
         "location", "edit", "sticker", "poll", "no_from", "wrong_type"]
    )  # fmt: skip
    if kind == "text":
        return person.text(nasty_text(rng))
    if kind == "command":
        return person.text(rng.choice(COMMANDS) + rng.choice(["", " ", " " + nasty_text(rng)]))
    if kind == "press":
        return person.press(forged(rng), message_text=rng.choice(["…", nasty_text(rng)]))
    if kind == "photo":
        return person.photo(f"p{rng.randint(1, 9)}", size=rng.choice([1, 50_000, 10**9]),
                            caption=rng.choice([None, nasty_text(rng)]))  # fmt: skip
    if kind == "document":
        return person.document(name=nasty_text(rng)[:60] or "x", size=rng.choice([0, 10**10]))
    if kind == "contact":
        return person.contact(rng.choice(["+989121234567", "۰۹۱۲۱۲۳۴۵۶۷", "\x00", "+1"]),
                              own=rng.random() < 0.7)  # fmt: skip
    if kind == "location":
        return person.location(rng.uniform(-90, 90), rng.uniform(-180, 180))
    if kind == "edit":
        return person.edited(nasty_text(rng))
    if kind == "sticker":
        return person.sticker()
    if kind == "poll":
        return person.update(message=person.message(poll={"id": "1"}))
    if kind == "no_from":
        message = person.message(text=nasty_text(rng))
        del message["from"]
        return person.update(message=message)
    return person.update(message=person.message(text={"text": nasty_text(rng)}))


async def submit_hostile_idea(chat: Chat, rng: random.Random) -> None:
    """A whole idea whose every typed answer is hostile text, walked step by step as the
    bot asks (a refused answer is tried once more, then answered plainly)."""
    filler = " ایده‌ای برای شهر با جزئیات کافی برای داوری"
    limits = {"affiliation": 100, "title": 110, "full_name": 60}
    choices = {"persona": rng.choice(["citizen", "company"]), "area": "waste", "stage": "idea"}
    skipped = ("call", "impact", "team_size", "location")
    await chat.say("/new")
    tries: dict[str, int] = {}
    for _ in range(40):
        draft = await chat.app.conversations.draft(await user_of(chat), "intake")
        if draft is None:
            break
        step = draft.step
        tries[step] = tries.get(step, 0) + 1
        hostile = tries[step] <= 2
        if step in choices:
            await chat.pick(step, choices[step])
        elif step in skipped:
            await chat.press(StepAction.SKIP, step)
        elif step == "attachments":
            if not draft.files("attachments"):
                await chat.send(chat.person.photo("site", caption=nasty_text(rng)[:200]))
            await chat.pick("attachments", "done")
        elif step == "phone":
            await chat.send(chat.person.contact("+989121234567"))
        elif step == "consent":
            await chat.pick("consent", "agree")
        elif step == "review":
            await chat.submit()
        else:
            limit = limits.get(step, 900)
            text = (nasty_text(rng) if hostile else "")[: limit - len(filler)] + filler
            if step == "title" and tries[step] == 1:  # every card then shows a disguised link
                text = DISGUISED_LINK + filler
            await chat.feed(chat.person.text(text))
    [mine], _ = await chat.app.ideas.mine(await user_of(chat), limit=1)
    assert mine.code


async def user_of(chat: Chat) -> int:
    user = await chat.app.users.get(chat.platform, chat.person.user_id)
    assert user is not None
    return user.id


def answered(chat: Chat, calls: list[Call]) -> bool:
    return any(c.method in ANSWERS and c.chat_id == chat.person.user_id for c in calls)


@pytest.fixture
def hostile_app(make_settings: Callable[..., Settings], any_db: Database) -> App:
    settings = make_settings(staff="telegram:900:admin,bale:900:admin", daily_submission_limit=50)
    return build_app(settings, any_db, connection=recorded)


async def test_nothing_anyone_sends_breaks_the_bot(
    hostile_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    app, rng = hostile_app, random.Random(SEED)
    caplog.set_level(logging.WARNING)
    chats = [
        Chat(app, platform, Person(1000 + n, nasty_text(rng)[:40] or "x"))
        for n, platform in enumerate([Platform.TELEGRAM, Platform.BALE] * (PEOPLE // 2))
    ]
    submitters = chats[::5]  # a fifth of them, on both platforms, submit a hostile idea first
    assert {c.platform for c in submitters} == set(Platform)
    for chat in submitters:
        await submit_hostile_idea(chat, rng)
    # Staff on Bale read those ideas: the queue, and each one's card.
    bale_staff = Chat(app, Platform.BALE, Person(900, "Nasrin"))
    await bale_staff.feed(bale_staff.person.text("/review"))
    for chat in submitters:
        mine, _ = await app.ideas.mine(await chat.user_id())
        for idea in mine:
            await bale_staff.feed(bale_staff.person.text(f"/idea {idea.code}"))
    silent: list[str] = []
    # On PostgreSQL what differs is how text is stored (every submission is still made):
    # half the rounds find that as surely, and CI stays short.
    rounds = UPDATES if app.db.dialect == "sqlite" else UPDATES // 2
    for _round in range(rounds):
        for chat in chats:
            update = odd_update(rng, chat.person)
            await chat.feed(update)
            if not answered(chat, chat.calls()):
                silent.append(f"{chat.platform}: {str(update)[:300]}")
    assert silent == [], f"{len(silent)} update(s) got no answer, e.g. {silent[:3]}"
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == [], [r.getMessage() for r in tracebacks[:3]]

    # Bale's clients would find no link in anything sent to anyone, staff included.
    for chat in [*chats, bale_staff]:
        if chat.platform is Platform.BALE:
            for call in chat.recorder.calls:
                if call.method in ("sendMessage", "editMessageText") and call.text:
                    assert not [e for e in bale_to_text(call.text)[1] if e["type"] == "text_link"]

    # Every stored answer exports, and both files open.
    staff = Chat(app, Platform.TELEGRAM, Person(900, "Nasrin"))
    await staff.feed(staff.person.text("/export"))
    csv_request, xlsx_request = staff.sent("sendDocument")[-2:]
    rows = list(csv.reader(io.StringIO(csv_request.file("document").decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_request.file("document"))).active
    assert sheet is not None
    submitted = len(submitters)
    assert len(rows) - 1 >= submitted and sheet.max_row - 1 >= submitted
