"""The staff loop end to end, on both flavours, in Persian and English: an idea arrives and
the reviewer who follows every idea is told (one who chose nothing is not); the
administrator assigns it; two reviewers score it blind; the administrator ranks the
call's ideas and accepts it after confirming; the applicant is told with the next step;
the applicant adds a file and the assignee is told; an undo restores the status and
tells the applicant. And what a reviewer may not do is refused, however it is asked."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.core.alerts import AlertMode
from bot.core.clock import utcnow
from bot.core.platforms import Platform
from bot.core.roles import UNDO_WINDOW
from bot.core.scoring import DEFAULT_RUBRIC
from bot.core.tracking import display_code
from bot.core.views import Staff
from bot.devtools.recording import Call, Person
from bot.services.alerts import Choice
from bot.ui.callbacks import (
    AlertCB,
    BroadcastAction,
    BroadcastCB,
    IdeaAction,
    IdeaCB,
    LanguageCB,
    ManageAction,
    ManageCB,
    RankCB,
    ScoreCB,
    StaffAction,
    StaffCB,
    StepAction,
    StepCB,
)
from tests.support.chat import Chat, open_call

MakeApp = Callable[..., App]

# What each language's screens say, where the test reads them.
WORDS = {
    "fa": {
        "new": "ایدهٔ تازه",
        "assigned": "به شما سپرد",
        "hidden": "پس از آنکه همهٔ معیارها را امتیاز دادید",
        "score": "۳٫۰ از ۵ از نظر ۲ کارشناس",
        "disagree": "کارشناسان هم‌نظر نیستند",
        "confirm": "به صاحب ایده در",
        "accepted": "پذیرفته‌شده",
        "next": "تبریک!",
        "added": "اطلاعاتی افزود",
        "undone": "لغو شد",
        "again": "در حال ارزیابی",
        "refused": "این فرمان در دسترس نیست.",
        "not_permitted": "نقش شما اجازهٔ این کار را نمی‌دهد",
    },
    "en": {
        "new": "A new idea",
        "assigned": "assigned",
        "hidden": "once you have scored every criterion",
        "score": "3.0 of 5 from 2 reviewers",
        "disagree": "the reviewers disagree",
        "confirm": "its applicant told on",
        "accepted": "Accepted",
        "next": "Congratulations!",
        "added": "added information",
        "undone": "was taken back",
        "again": "Being evaluated",
        "refused": "This command is not available.",
        "not_permitted": "Your role does not allow this",
    },
}


def data_of(call: Call, prefix: str) -> str:
    """The callback data of the first button under `call` whose data starts so."""
    rows = (call.markup or {}).get("inline_keyboard") or []
    found = [b["callback_data"] for row in rows for b in row if b.get("callback_data", "")]
    matching = [d for d in found if d.startswith(prefix)]
    assert matching, (prefix, found)
    return str(matching[0])


async def person(app: App, platform: Platform, user_id: int, name: str, locale: str) -> Chat:
    chat = Chat(app, platform, Person(user_id, name))
    await chat.say("/start")
    await chat.feed(chat.person.press(LanguageCB(locale).pack()))
    chat.clear()
    return chat


def shown(chat: Chat) -> str:
    """Everything the chat's client shows since its last clear, as one text."""
    calls = [c for c in chat.calls() if c.method in ("sendMessage", "editMessageText")]
    return "\n".join(chat.shown(c) for c in calls)


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.BALE])
@pytest.mark.parametrize("locale", ["fa", "en"])
async def test_the_staff_loop(make_app: MakeApp, platform: Platform, locale: str) -> None:
    words = WORDS[locale]
    p = platform.value
    app = make_app(staff=f"{p}:111:admin,{p}:112:reviewer,{p}:113:reviewer")
    admin = await person(app, platform, 111, "Nasrin", locale)
    ali = await person(app, platform, 112, "Ali", locale)
    sara = await person(app, platform, 113, "Sara", locale)
    await sara.feed(sara.person.press(AlertCB("off").pack()))  # Sara wants no alerts
    sara.clear()
    applicant = await person(app, platform, 7, "Reza", locale)

    # An idea arrives: Ali (every idea, the default) is told; Sara (nothing) is not.
    await applicant.to_review()
    await applicant.submit()
    [mine], _ = await app.ideas.mine(await applicant.user_id())
    code, idea = display_code(mine.code), mine.id
    alert = shown(ali)
    assert words["new"] in alert and code in alert and "سطل‌های هوشمند" in alert
    assert shown(sara) == ""

    # The administrator opens the card (one message) and assigns it to Ali.
    await admin.say(f"/idea {mine.code}")
    [card] = admin.sent()
    assert code in admin.shown(card) and "+989121234567" in admin.shown(card)
    await admin.feed(admin.person.press(StaffCB(StaffAction.ASSIGN, idea).pack()))
    picker = admin.calls()[-1]
    ali.clear()
    named = " ".join(picker.buttons())
    assert "Nasrin ·" in named and "Ali ·" in named and "Sara ·" in named
    await admin.feed(admin.person.press(data_of(picker, f"staff1:assign_toggle:{idea}::{p}-112")))
    assert words["assigned"] in shown(ali) and code in shown(ali)
    assert (await app.review.assignees(idea)) == {(platform, 112)}
    # Ali's queue shows it first, marked as his.
    assert (await ali.say("/review")).count("📌 \u2066") == 1  # the one line marked

    # Two reviewers score it, blind: Sara sees none of Ali's scores until she has scored.
    for criterion in DEFAULT_RUBRIC:
        await ali.feed(ali.person.press(ScoreCB(idea, criterion.key, 4).pack()))
    sara.clear()
    await sara.feed(sara.person.press(ScoreCB(idea).pack()))
    before = shown(sara)
    assert words["hidden"] in before and "Ali" not in before
    for criterion in DEFAULT_RUBRIC:
        await sara.feed(sara.person.press(ScoreCB(idea, criterion.key, 2).pack()))
    after = sara.shown(sara.calls()[-1])
    assert "Ali" in after and words["score"] in after and words["disagree"] in after

    # The administrator ranks the ideas outside calls, and exports the ranking.
    await admin.say("/ranking")
    ranking = await admin.press_data(RankCB(0).pack())
    assert ranking.count(code) == 1 and words["score"] in ranking
    await admin.feed(admin.person.press(RankCB(0, True).pack()))
    [sheet_file] = admin.sent("sendDocument")
    rows = list(load_workbook(_bytes(sheet_file)).active.iter_rows(values_only=True))
    assert rows[1][1] == code and rows[1][3] == 3.0 and rows[1][4] == 2

    # Accepting asks first and says who is told; only the confirmation does it.
    for step in ("screening", "evaluating"):
        await admin.feed(admin.person.press(StaffCB(StaffAction.MOVE, idea, step).pack()))
    applicant.clear()
    admin.clear()
    await admin.feed(admin.person.press(StaffCB(StaffAction.MOVE, idea, "accepted").pack()))
    assert words["confirm"] in shown(admin)
    assert applicant.calls() == [] and (await app.review.by_id(idea)).status == "evaluating"  # type: ignore[union-attr]
    await admin.feed(admin.person.press(StaffCB(StaffAction.CONFIRM, idea, "accepted").pack()))
    told = shown(applicant)
    assert words["accepted"] in told and words["next"] in told
    report = admin.sent()[-1]
    undo = data_of(report, "staff1:undo:")

    # The applicant adds a file; Ali, the assignee, is told.
    ali.clear()
    await applicant.feed(applicant.person.press(IdeaCB(IdeaAction.ADD_INFO, idea).pack()))
    await applicant.feed(applicant.person.photo("photo-9", caption="نقشهٔ محل"))
    assert words["added"] in shown(ali) and code in shown(ali)
    history = await app.review.history(idea, applicant_view=False)
    assert history[-1].kind == "info" and history[-1].text == "نقشهٔ محل"

    # The administrator undoes the acceptance: the idea is back, the applicant told.
    applicant.clear()
    await admin.feed(admin.person.press(undo))
    back = await app.review.by_id(idea)
    assert back is not None and back.status == "evaluating"
    told = shown(applicant)
    assert words["undone"] in told and words["again"] in told
    # Pressed again, it is too late: nothing changes.
    await admin.feed(admin.person.press(undo))
    assert (await app.review.by_id(idea)).status == "evaluating"  # type: ignore[union-attr]


def _bytes(call: Call) -> io.BytesIO:
    return io.BytesIO(call.file("document"))


FORGED: list[tuple[str, Callable[[int], dict[str, Any] | str]]] = [
    ("accept", lambda i: StaffCB(StaffAction.MOVE, i, "accepted").pack()),
    ("confirm accept", lambda i: StaffCB(StaffAction.CONFIRM, i, "accepted").pack()),
    ("confirm reject", lambda i: StaffCB(StaffAction.CONFIRM, i, "rejected").pack()),
    ("reject", lambda i: StaffCB(StaffAction.MOVE, i, "rejected").pack()),
    ("duplicate", lambda i: StaffCB(StaffAction.MOVE, i, "duplicate").pack()),
    ("assign", lambda i: StaffCB(StaffAction.ASSIGN, i).pack()),
    ("assign someone", lambda i: StaffCB(StaffAction.ASSIGN_TOGGLE, i, ref="telegram-112").pack()),
    ("undo", lambda i: StaffCB(StaffAction.UNDO, i, ref="1").pack()),
    ("ranking", lambda i: RankCB(0).pack()),
    ("start a broadcast", lambda i: BroadcastCB(BroadcastAction.START).pack()),
    ("scheduled broadcasts", lambda i: BroadcastCB(BroadcastAction.LIST).pack()),
    ("cancel a broadcast", lambda i: BroadcastCB(BroadcastAction.UNSCHEDULE_YES, 1).pack()),
    ("send a broadcast", lambda i: StepCB("broadcast", StepAction.SUBMIT, "review", "1").pack()),
]


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.BALE])
async def test_a_reviewer_cannot_broadcast_assign_or_decide(
    make_app: MakeApp, platform: Platform
) -> None:
    p = platform.value
    app = make_app(staff=f"{p}:111:admin,{p}:112:reviewer")
    admin = await person(app, platform, 111, "Nasrin", "fa")
    reviewer = await person(app, platform, 112, "Ali", "fa")
    applicant = await person(app, platform, 7, "Reza", "fa")
    await applicant.to_review()
    await applicant.submit()
    [mine], _ = await app.ideas.mine(await applicant.user_id())
    # An accepted idea whose change an undo could take back; and one in evaluation.
    await admin.feed(admin.person.press(StaffCB(StaffAction.MOVE, mine.id, "screening").pack()))
    before = await app.review.history(mine.id, applicant_view=False)
    for command in ("/broadcast", "/newcall", "/newevent", "/ranking", "/staff invite"):
        assert (await reviewer.say(command)) == WORDS["fa"]["refused"], command
    for what, forged in FORGED:
        reviewer.clear()
        await reviewer.feed(reviewer.person.press(str(forged(mine.id))))
        said = shown(reviewer)
        assert WORDS["fa"]["not_permitted"] in said or WORDS["fa"]["refused"] in said, what
    # Nothing changed: no status, no assignee, no history entry.
    idea = await app.review.by_id(mine.id)
    assert idea is not None and idea.status == "screening"
    assert await app.review.assignees(mine.id) == set()
    assert await app.review.history(mine.id, applicant_view=False) == before
    # What a reviewer may do, they can: screen, evaluate, ask, score.
    card = await reviewer.say(f"/idea {mine.code}")
    assert card
    buttons = reviewer.buttons()
    assert "🧪 ارزیابی" in buttons and "❓ پرسش از صاحب ایده" in buttons
    assert not [b for b in buttons if b.startswith(("✅", "⛔️", "♊️", "👤"))]


async def test_an_invitation_makes_staff_once(make_app: MakeApp) -> None:
    app = make_app(staff="bale:111:admin")
    admin = await person(app, Platform.BALE, 111, "Nasrin", "fa")
    invited = await person(app, Platform.BALE, 300, "Sima", "fa")
    late = await person(app, Platform.BALE, 301, "Omid", "fa")
    text = await admin.say("/staff invite reviewer")
    link = next(word for word in text.split() if "start=join_" in word)
    token = link.split("start=")[1]
    welcome = await invited.say(f"/start {token}")
    assert "به کارکنان مرکز نوآوری و فناوری خوش آمدید" in welcome
    assert (await invited.say("/review")).startswith("صف بررسی")
    assert "استفاده شده یا منقضی شده" in await late.say(f"/start {token}")
    assert (await late.say("/review")) == WORDS["fa"]["refused"]


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.BALE])
async def test_an_administrator_adds_staff_by_forwarding_a_message_of_theirs(
    make_app: MakeApp, platform: Platform
) -> None:
    app = make_app(staff=f"{platform.value}:111:admin")
    admin = await person(app, platform, 111, "Nasrin", "fa")
    sima = await person(app, platform, 300, "Sima", "fa")
    asked = await admin.say("/staff add")
    assert "پیامی از کسی را که می‌خواهید بیفزایید" in asked
    # Someone who hides who they are in forwards cannot be added so; the bot says why.
    hidden = await admin.send(admin.person.forwarded("سلام", None))
    assert "پنهان" in hidden and "\u200e/staff invite" in hidden
    roles = await admin.send(admin.person.forwarded("سلام", sima.person.user))
    assert "با چه نقشی" in roles
    sima.clear()
    done = await admin.press_data(StepCB("staffadd", StepAction.PICK, "role", "reviewer").pack())
    assert "Sima" in done and "کارشناس" in done
    assert app.staff.role_of(platform, 300) == "reviewer"
    assert "به کارکنان مرکز نوآوری و فناوری خوش آمدید" in sima.last_text()
    assert (await sima.say("/review")).startswith("صف بررسی")
    # A reviewer cannot add anyone, however they ask.
    refused = await sima.say("/staff add")
    assert refused == WORDS["fa"]["refused"]
    await sima.feed(sima.person.forwarded("سلام", admin.person.user))
    assert app.staff.role_of(platform, 111) == "admin"


async def test_a_daily_summary_instead_of_alerts(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:112:reviewer")
    reviewer = await person(app, Platform.TELEGRAM, 112, "Ali", "fa")
    await reviewer.feed(reviewer.person.press(AlertCB("daily").pack()))
    reviewer.clear()
    applicant = await person(app, Platform.TELEGRAM, 7, "Reza", "fa")
    await applicant.to_review()
    await applicant.submit()
    assert shown(reviewer) == ""  # no alert at once
    now = utcnow()
    assert await app.alerts.summaries(now) == 1
    await app.sender.drain(Platform.TELEGRAM)
    summary = shown(reviewer)
    assert "خلاصهٔ روزانهٔ شما" in summary and "سطل‌های هوشمند" in summary
    assert await app.alerts.summaries(now + timedelta(minutes=5)) == 0  # once a day


async def test_closing_a_call_asks_first(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:admin")
    admin = await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    call = await open_call(app)
    asked = await admin.press_data(ManageCB(ManageAction.CLOSE_CALL, id=call.id).pack())
    assert "دوباره باز نمی‌شود" in asked
    still = await app.calls.get(call.id)
    assert still is not None and still.is_open(utcnow())
    await admin.feed(admin.person.press(data_of(admin.sent()[-1], "mg1:close_call_yes:")))
    closed = await app.calls.get(call.id)
    assert closed is not None and not closed.is_open(utcnow())


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.BALE])
async def test_the_alerts_menu_reads_and_saves(make_app: MakeApp, platform: Platform) -> None:
    app = make_app(staff=f"{platform.value}:112:reviewer")
    reviewer = await person(app, platform, 112, "Ali", "fa")
    menu = await reviewer.say("/alerts")
    labels = reviewer.buttons()
    assert "👤 ایده‌هایی که به من سپرده شده" in labels and "● 🔔 همهٔ ایده‌ها" in labels
    assert "{" not in menu and not [b for b in labels if "{" in b]
    saved = await reviewer.press_data(AlertCB("assigned").pack())
    assert saved == "ذخیره شد: 👤 ایده‌هایی که به من سپرده شده."
    choice = await app.alerts.choice(platform, 112)
    assert choice.mode.value == "assigned"


async def test_new_ideas_go_round_robin_to_the_reviewers_of_their_area(make_app: MakeApp) -> None:
    app = make_app(
        staff="telegram:111:admin,telegram:112:reviewer,telegram:113:reviewer,telegram:114:reviewer",
        auto_assign=True,
    )
    for user_id, name in ((112, "Ali"), (113, "Sara"), (114, "Omid")):
        await person(app, Platform.TELEGRAM, user_id, name, "fa")
    waste = frozenset({"waste"})
    await app.alerts.choose(Platform.TELEGRAM, 112, Choice(AlertMode.AREAS, waste))
    await app.alerts.choose(Platform.TELEGRAM, 113, Choice(AlertMode.ASSIGNED, waste))
    await app.alerts.choose(
        Platform.TELEGRAM, 114, Choice(AlertMode.AREAS, frozenset({"transport"}))
    )
    holders = []
    for user_id in (7, 8, 9):
        applicant = await person(app, Platform.TELEGRAM, user_id, "Reza", "fa")
        await applicant.to_review()  # a waste idea
        await applicant.submit()
        [mine], _ = await app.ideas.mine(await applicant.user_id())
        holders.append(await app.review.assignees(mine.id))
    # Each goes to the waste reviewer holding fewest; Omid (transport) gets none.
    assert holders == [
        {(Platform.TELEGRAM, 112)},
        {(Platform.TELEGRAM, 113)},
        {(Platform.TELEGRAM, 112)},
    ]


async def test_an_undo_after_its_time_changes_nothing(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:admin")
    await person(app, Platform.TELEGRAM, 111, "Nasrin", "fa")
    applicant = await person(app, Platform.TELEGRAM, 7, "Reza", "fa")
    await applicant.to_review()
    await applicant.submit()
    [mine], _ = await app.ideas.mine(await applicant.user_id())
    change = await app.review.change_status(mine.id, "screening", None, admin_staff())
    assert change.entry_id is not None
    later = utcnow() + UNDO_WINDOW + timedelta(minutes=1)
    app.review.clock = lambda: later
    applicant.clear()
    undone = await app.review.undo(mine.id, change.entry_id, admin_staff())
    assert undone.refusal is not None and undone.refusal.value == "too_late"
    assert (await app.review.by_id(mine.id)).status == "screening"  # type: ignore[union-attr]
    assert applicant.calls() == []


def admin_staff() -> Staff:
    return Staff(Platform.TELEGRAM, 111, "admin")
