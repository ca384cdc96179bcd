"""Staff work an idea from the chat; applicants are told at every step; others are refused."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.core.platforms import Platform
from bot.core.tracking import display_code
from bot.devtools.fakeapi import html_to_text
from bot.devtools.recording import Person, recording
from bot.ui.callbacks import (
    IdeaAction,
    IdeaCB,
    LanguageCB,
    QueueCB,
    StaffAction,
    StaffCB,
    StepAction,
)
from bot.ui.commands import STAFF_COMMANDS
from storage import ideas
from tests.support.chat import PROBLEM, SOLUTION, Chat, open_call

MakeApp = Callable[..., App]


async def setup(make_app: MakeApp, role: str = "admin") -> tuple[App, Chat, Chat, str, int]:
    app = make_app(staff=f"telegram:111:{role}")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    await applicant.submit()
    reviewer = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    [mine], _ = await app.ideas.mine(1)
    applicant.clear()
    return app, applicant, reviewer, mine.code, mine.id


async def move(reviewer: Chat, idea_id: int, to: str) -> str:
    return await reviewer.send(reviewer.person.press(StaffCB(StaffAction.MOVE, idea_id, to).pack()))


async def confirm(staff: Chat, idea_id: int, to: str) -> str:
    return await staff.send(staff.person.press(StaffCB(StaffAction.CONFIRM, idea_id, to).pack()))


async def decide(staff: Chat, idea_id: int, to: str) -> str:
    """A move that asks first: pressed, its confirmation read, then confirmed."""
    staff.clear()
    await staff.feed(staff.person.press(StaffCB(StaffAction.MOVE, idea_id, to).pack()))
    asked = staff.texts()[-1]
    assert "صاحب ایده" in asked or "applicant" in asked, asked
    return await confirm(staff, idea_id, to)


async def test_a_telegram_reviewer_moves_a_bale_idea_and_the_applicant_is_told(
    make_app: MakeApp,
) -> None:
    _app, applicant, reviewer, code, idea_id = await setup(make_app)
    await reviewer.say(f"/idea {code}")
    [card] = reviewer.texts()  # one message
    assert "سطل‌های هوشمند" in card and "\u2066+989121234567\u2069" in card  # read left to right
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.FILES, idea_id).pack()))
    assert "فایل در بله فرستاده شده است" in reviewer.texts()[-1]  # files stay on Bale
    assert reviewer.sent("copyMessage") == []

    assert (await move(reviewer, idea_id, "screening")).startswith("انجام شد")
    assert "در حال بررسی اولیه.\n\n" in applicant.texts()[-1]

    asked = await move(reviewer, idea_id, "needs_info")
    assert asked == "پرسش خود از صاحب ایده را بفرستید."
    await reviewer.say("هزینهٔ هر حسگر چقدر است؟")
    question = applicant.texts()[-1]
    assert "پرسشی دارند:\n\nهزینهٔ هر حسگر چقدر است؟" in question
    await applicant.send(applicant.person.press(IdeaCB(IdeaAction.ANSWER, idea_id).pack()))
    await applicant.say("حدود دو میلیون تومان")
    assert applicant.texts()[-1].startswith("سپاس‌گزاریم.")

    assert (await move(reviewer, idea_id, "evaluating")).startswith("انجام شد")
    assert "در حال ارزیابی." in applicant.texts()[-1]
    assert (await decide(reviewer, idea_id, "accepted")).startswith("انجام شد")
    assert "پذیرفته‌شده.\n\nتبریک!" in applicant.texts()[-1]  # and the next step
    # Bale never got a parse_mode.
    assert all(request.parse_mode is None for request in applicant.sent())


async def test_reasons_and_notes(make_app: MakeApp) -> None:
    app, applicant, reviewer, _code, idea_id = await setup(make_app)
    await move(reviewer, idea_id, "rejected")
    asked = await reviewer.say("هم‌اکنون در حال اجراست.")
    assert "دلیل" in asked and "هم‌اکنون در حال اجراست." in asked  # shown before it is done
    assert applicant.texts() == []
    assert (await confirm(reviewer, idea_id, "rejected")).startswith("انجام شد")
    told = applicant.texts()[-1]
    assert "پذیرفته نشد.\nدلیل: هم‌اکنون در حال اجراست.\n\n" in told
    assert "/new" in told  # how to try again
    await reviewer.send(reviewer.person.press(StaffCB(StaffAction.NOTE, idea_id).pack()))
    await reviewer.say("تکراری با طرح سال قبل")
    history = await app.review.history(idea_id, applicant_view=True)
    assert [e.kind for e in history] == ["status"]  # the note is for staff only
    await confirm(reviewer, idea_id, "accepted")  # an old confirmation, pressed late
    assert "دیگر ممکن نیست" in reviewer.texts()[-2]  # said so, and the card as it is now
    assert "وضعیت: پذیرفته نشد" in html_to_text(reviewer.texts()[-1])


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c, i: c.person.text("/idea ABCD-EFGH"),
        lambda c, i: c.person.press(StaffCB(StaffAction.MOVE, i, "accepted").pack()),
        lambda c, i: c.person.press(StaffCB(StaffAction.NOTE, i).pack()),
        lambda c, i: c.person.text("/admin"),
        lambda c, i: c.person.text("/review"),
        lambda c, i: c.person.text("/stats"),
        lambda c, i: c.person.text("/export"),
        lambda c, i: c.person.text("/staff add bale:7 admin"),
        lambda c, i: c.person.press(QueueCB(status="accepted").pack()),
        lambda c, i: c.person.press(StaffCB(StaffAction.OPEN, i).pack()),
    ],
)
async def test_staff_actions_are_refused_to_others(
    make_app: MakeApp, attempt: Callable[[Chat, int], dict[str, Any]]
) -> None:
    app, applicant, _reviewer, _code, idea_id = await setup(make_app)
    reply = await applicant.send(attempt(applicant, idea_id))
    assert reply == "این فرمان در دسترس نیست."
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "submitted"
    assert await app.review.history(idea_id, applicant_view=False) == []


async def test_the_review_queue_filters_and_pages(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:reviewer", daily_submission_limit=20)
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    for _ in range(10):
        await applicant.to_review()
        await applicant.submit()
    reviewer = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    first = await reviewer.say("/review")
    assert first.startswith("صف بررسی: ۱۰ ایده")
    assert len([b for b in reviewer.buttons() if b.startswith("🔎")]) == 8
    assert "بعدی ◀️" in reviewer.buttons()
    page_two = await reviewer.send(reviewer.person.press(QueueCB(page=1).pack()))
    assert len([b for b in reviewer.buttons() if b.startswith("🔎")]) == 2
    assert "▶️ قبلی" in reviewer.buttons() and page_two.count("سطل‌های هوشمند") == 2
    none = await reviewer.send(reviewer.person.press(QueueCB(area="transport").pack()))
    assert none.startswith("صف بررسی: ۰ ایده")
    telegram_only = await reviewer.send(reviewer.person.press(QueueCB(platform="telegram").pack()))
    assert "۰ ایده" in telegram_only
    opened = await reviewer.send(reviewer.person.press(StaffCB(StaffAction.OPEN, 1).pack()))
    assert "🔎 شروع بررسی اولیه" in reviewer.buttons() and opened
    # By call: a call for the waste area, and one idea sent to it.
    call = await open_call(app)
    async with app.db.write() as session:
        idea = await ideas.get_idea(session, 3)
        assert idea is not None
        idea.call_id = call.id
    await reviewer.say("/review")
    assert "فراخوان ▸" in reviewer.buttons()
    by_call = await reviewer.send(reviewer.person.press(QueueCB(call=call.id).pack()))
    assert by_call.startswith("صف بررسی: ۱ ایده")
    assert "فراخوان: فراخوان پسماند" in by_call


async def test_stats_count_by_area_persona_status_and_platform(make_app: MakeApp) -> None:
    _app, _applicant, reviewer, _code, idea_id = await setup(make_app)
    await move(reviewer, idea_id, "screening")
    shown = await reviewer.say("/stats")
    assert shown.startswith("ایده‌ها: ۱ در مجموع · ۱ در ۳۰ روز اخیر · ۱ در ۷ روز اخیر")
    assert "♻️ پسماند: ۱ / ۱ / ۱" in shown and "شهروند: ۱ / ۱ / ۱" in shown
    assert "در حال بررسی اولیه: ۱ / ۱ / ۱" in shown and "بله: ۱ / ۱ / ۱" in shown


async def test_duplicates_are_hinted_and_marked(make_app: MakeApp) -> None:
    app, _applicant, reviewer, first_code, first_id = await setup(make_app)
    other = Chat(app, Platform.TELEGRAM, Person(8, "Mina"))
    await other.through_to_title()
    await other.say("سطلهای هوشمند")  # the same idea, written a little differently
    await other.say(PROBLEM)
    await other.say(SOLUTION)
    await other.press(StepAction.SKIP, "impact")
    await other.pick("stage", "idea")
    await other.press(StepAction.SKIP, "team_size")
    await other.press(StepAction.SKIP, "attachments")
    await other.say("⏭ رد کردن")
    await other.say("مینا رضایی")
    await other.say("09351234567")
    await other.pick("consent", "agree")
    await other.submit()
    await other.feed(other.person.press(LanguageCB("en").pack()))  # Mina reads English
    mine, _ = await app.ideas.mine(2)
    second_id = mine[0].id

    await reviewer.send(reviewer.person.press(StaffCB(StaffAction.OPEN, second_id).pack()))
    card = reviewer.texts()[-1]
    assert "ایده‌های احتمالاً تکراری" in card and display_code(first_code) in card
    asked = await move(reviewer, second_id, "duplicate")
    assert asked == "کد رهگیری ایده‌ای را بفرستید که این ایده تکرار آن است."
    assert (await reviewer.say("ZZZZ-ZZZZ")).startswith("⚠️ ایده‌ای با این کد رهگیری وجود ندارد.")
    # A valid code of no idea: said so, and the code is asked again.
    assert (await reviewer.say("K7M3-QXA6")) == "ایده‌ای با این کد رهگیری وجود ندارد."
    assert "تکراری" in await reviewer.say(first_code)  # the confirmation
    assert (await confirm(reviewer, second_id, "duplicate")).startswith("انجام شد")
    idea = await app.review.by_id(second_id)
    assert idea is not None and idea.status == "duplicate"
    marked = await app.review.card(second_id)
    assert marked is not None and marked.duplicate_of == first_id  # linked to the original
    # Mina is told in English, whatever language the reviewer works in.
    notice = recording(reviewer.connection).sent(chat_id=8)[-1].text
    same = f"Reason: same as idea \u2066{display_code(first_code)}\u2069\n\n"
    assert same in html_to_text(notice)
    reviewer.clear()
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.HISTORY, second_id).pack()))
    assert f"همانند ایدهٔ \u2066{display_code(first_code)}\u2069" in reviewer.texts()[-1]


def exported(chat: Chat) -> tuple[list[list[str]], list[list[object]], str]:
    csv_request, xlsx_request = chat.sent("sendDocument")[-2:]
    assert csv_request.file_names["document"] == "ایده‌ها.csv"
    assert xlsx_request.file_names["document"] == "ایده‌ها.xlsx"
    csv_bytes = csv_request.file("document")
    assert csv_bytes.startswith(codecs.BOM_UTF8)  # so Excel reads Persian right
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_request.file("document"))).active
    assert sheet.title == "ایده‌ها" and sheet.sheet_view.rightToLeft
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows, cells, csv_request.text


@pytest.mark.parametrize(("role", "contact"), [("admin", True), ("reviewer", False)])
async def test_export_csv_and_xlsx(make_app: MakeApp, role: str, contact: bool) -> None:
    app = make_app(staff=f"telegram:111:{role}")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    await applicant.submit()
    staff = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    await staff.feed(staff.person.text("/export area=waste"))
    rows, cells, caption = exported(staff)
    assert caption.startswith("۱ ایده.")
    assert rows[0][:3] == ["کد رهگیری", "تاریخ ثبت", "وضعیت"]
    assert rows[1][2] == "ثبت‌شده" and rows[1][8] == "سطل‌های هوشمند"
    assert ("+989121234567" in rows[1]) is contact
    assert ("نام و نام خانوادگی" in rows[0]) is contact
    assert [str(v) if v is not None else "" for v in cells[1]] == rows[1]
    await staff.feed(staff.person.text("/export area=transport"))
    rows, _cells, _caption = exported(staff)
    assert len(rows) == 1  # only the header
    assert (await staff.say("/export colour=blue")).startswith("«colour=blue» را نمی‌توانم بخوانم.")


async def test_admins_add_and_remove_staff(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:admin,telegram:112:reviewer")
    admin = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    reviewer = Chat(app, Platform.TELEGRAM, Person(112, "Ali"))
    newcomer = Chat(app, Platform.BALE, Person(300, "Sima"))
    assert (await newcomer.say("/review")) == "این فرمان در دسترس نیست."
    assert (await reviewer.say("/staff add bale:300")) == "این فرمان در دسترس نیست."
    assert (await admin.say("/staff add bale:300")) == "bale:300 اکنون جزو کارکنان است: کارشناس."
    assert (await newcomer.say("/review")).startswith("صف بررسی")
    listing = await admin.say("/staff")
    assert "bale:300 · کارشناس · افزوده‌شده در ربات" in listing
    assert "telegram:111 · مدیر · از تنظیمات" in listing
    # Kept in the database: a restarted process knows it too.
    restarted = Chat(make_app(), Platform.BALE, newcomer.person)
    assert (await restarted.say("/review")).startswith("صف بررسی")
    assert (await admin.say("/staff remove bale:300")) == "bale:300 دیگر جزو کارکنان نیست."
    assert (await newcomer.say("/review")) == "این فرمان در دسترس نیست."
    assert (await admin.say("/staff remove telegram:112")).endswith("آن را همان‌جا تغییر دهید.")
    assert (await admin.say("/staff add whatsapp:1")).startswith("به این شکل:")


async def test_on_the_same_platform_the_card_resends_the_files(make_app: MakeApp) -> None:
    app = make_app(staff="bale:222:reviewer")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()  # with one photo
    await applicant.submit()
    reviewer = Chat(app, Platform.BALE, Person(222, "Nasrin"))
    [mine], _ = await app.ideas.mine(1)
    await move(reviewer, mine.id, "needs_info")
    await reviewer.say("یک عکس از محل بفرستید")
    await applicant.send(applicant.person.press(IdeaCB(IdeaAction.ANSWER, mine.id).pack()))
    await applicant.feed(applicant.person.photo("photo-2", caption="این هم محل"))
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.FILES, mine.id).pack()))
    copies = reviewer.sent("copyMessage")
    assert [c.params["from_chat_id"] for c in copies] == [7, 7]  # the idea's and the answer's
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.HISTORY, mine.id).pack()))
    history = reviewer.texts()[-1]
    assert "پرسش از صاحب ایده" in history and "پاسخ صاحب ایده" in history
    assert "این هم محل" in history


async def test_export_by_jalali_dates(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:admin")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    await applicant.submit()
    staff = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    await staff.feed(staff.person.text("/export from=1300/01/01 to=1300/12/29"))
    rows, _cells, _caption = exported(staff)
    assert len(rows) == 1
    await staff.feed(staff.person.text("/export from=1400/01/01 to=1499/12/29"))
    rows, _cells, _caption = exported(staff)
    assert len(rows) == 2


async def test_an_applicants_formula_is_exported_as_text(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:admin")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    await applicant.edit("title")
    await applicant.say('=HYPERLINK("http://e.vil","x")')
    await applicant.submit()
    staff = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    await staff.feed(staff.person.text("/export"))
    rows, cells, _caption = exported(staff)
    assert rows[1][8] == '\'=HYPERLINK("http://e.vil","x")'
    assert cells[1][8] == '\'=HYPERLINK("http://e.vil","x")'


async def test_an_answer_stored_before_cleaning_still_exports(make_app: MakeApp) -> None:
    """Rows written before text was cleaned at the edge may hold control characters:
    the export cleans them too, and both files open."""
    app = make_app(staff="telegram:111:admin")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    await applicant.submit()
    [mine], _ = await app.ideas.mine(await applicant.user_id())
    async with app.db.write() as session:
        row = await ideas.get_idea(session, mine.id)
        assert row is not None
        row.title = "سطل\x07های\x1b[31m هوشمند\x0b"
        row.problem = "بو\x08 و آلودگی\x1f"
    staff = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    await staff.feed(staff.person.text("/export"))
    rows, cells, _caption = exported(staff)
    assert rows[1][8] == cells[1][8]
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in rows[1][8] + rows[1][9])
    assert "هوشمند" in rows[1][8]


async def test_a_prompt_is_forgotten_when_another_command_comes(make_app: MakeApp) -> None:
    app, applicant, reviewer, _code, idea_id = await setup(make_app)
    await move(reviewer, idea_id, "rejected")  # asks for the reason
    await reviewer.say("/review")
    await reviewer.say("سلام")  # not a reason any more
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "submitted"
    await move(reviewer, idea_id, "needs_info")
    await reviewer.say("چند نفر در تیم هستند؟")
    await applicant.send(applicant.person.press(IdeaCB(IdeaAction.ANSWER, idea_id).pack()))
    await applicant.say("/my")  # the answer's prompt is dropped, but the question still waits:
    assert (await applicant.say("پنج نفر")).startswith("سپاس‌گزاریم.")  # so this answers it
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "screening"  # back in the reviewers' queue


async def test_a_prompt_whose_draft_has_gone_says_so(make_app: MakeApp) -> None:
    app, _applicant, reviewer, _code, idea_id = await setup(make_app)
    assert (await move(reviewer, idea_id, "rejected")).startswith("دلیل")
    user = await app.users.get(Platform.TELEGRAM, 111)
    assert user is not None
    await app.conversations.discard(user.id, "reason")  # expired meanwhile
    ended = await reviewer.say("هم‌اکنون در حال اجراست.")
    assert ended.startswith("این گفت‌وگو به پایان رسیده")
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "submitted"


async def test_staff_cannot_withdraw_for_the_owner(make_app: MakeApp) -> None:
    _app, _applicant, reviewer, code, idea_id = await setup(make_app)
    await reviewer.say(f"/idea {code}")
    assert not [b for b in reviewer.buttons() if "انصراف صاحب ایده" in b]
    assert (await move(reviewer, idea_id, "withdrawn")).startswith("این تغییر از وضعیت فعلی")


async def test_the_full_history_shows_every_word(make_app: MakeApp) -> None:
    _app, applicant, reviewer, _code, idea_id = await setup(make_app)
    empty = await reviewer.send(reviewer.person.press(StaffCB(StaffAction.HISTORY, idea_id).pack()))
    assert empty == "هنوز چیزی در سوابق این ایده ثبت نشده است."
    await move(reviewer, idea_id, "needs_info")
    long_question = "چرا " + "و" * 950 + " پایان پرسش"
    await reviewer.say(long_question)
    await applicant.send(applicant.person.press(IdeaCB(IdeaAction.ANSWER, idea_id).pack()))
    long_answer = "زیرا " + "ب" * 2900 + " پایان پاسخ"
    await applicant.say(long_answer)
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.HISTORY, idea_id).pack()))
    shown = "\n".join(html_to_text(t) for t in reviewer.texts())
    assert long_question in shown and long_answer in shown
    assert all(len(html_to_text(t)) <= 4096 for t in reviewer.texts())


async def test_the_card_shows_a_whole_solution(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:111:reviewer")
    applicant = Chat(app, Platform.BALE, Person(7, "Reza"))
    await applicant.to_review()
    solution = "راه‌حل " + "ح" * 2900 + " پایان"
    await applicant.edit("solution")
    await applicant.say(solution)
    await applicant.submit()
    [mine], _ = await app.ideas.mine(1)
    reviewer = Chat(app, Platform.TELEGRAM, Person(111, "Nasrin"))
    await reviewer.feed(reviewer.person.press(StaffCB(StaffAction.ANSWERS, mine.id).pack()))
    assert any(solution in html_to_text(t) for t in reviewer.texts())


async def test_a_new_staff_member_gets_the_staff_menu_and_loses_it_when_removed(
    make_app: MakeApp,
) -> None:
    app = make_app(staff="bale:111:admin")
    admin = Chat(app, Platform.BALE, Person(111, "Nasrin"))
    telegram = recording(app.connections[Platform.TELEGRAM])  # the other platform's bot
    await admin.say("/staff add telegram:300 reviewer")
    [menu] = telegram.sent("setMyCommands")
    assert menu.params["scope"] == {"type": "chat", "chat_id": 300}
    staff_only = len(STAFF_COMMANDS)
    names = [c["command"] for c in menu.params["commands"]]
    assert names[-staff_only:] == [n for n, _ in STAFF_COMMANDS]
    await admin.say("/staff remove telegram:300")
    [removed] = telegram.sent("deleteMyCommands")
    assert removed.params["scope"] == {"type": "chat", "chat_id": 300}
