"""The intake conversation through the real Applications, with every request recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.dates import format_date
from bot.core.platforms import Platform
from bot.core.tracking import display_code, parse_code
from bot.core.views import CallInfo
from bot.devtools.recording import Person, recorded
from bot.ui.callbacks import MenuAction, MenuCB, StepAction, StepCB
from storage import Database, drafts, ideas
from storage.models import Outbox, utcnow
from tests.support.chat import PROBLEM, SOLUTION, Chat

MakeApp = Callable[..., App]


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE])
def platform(request: pytest.FixtureRequest) -> Platform:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def chat(make_app: MakeApp, platform: Platform) -> Chat:
    return Chat(make_app(), platform, Person(7, "Sara", "Karimi"))


async def ideas_of(app: App, user_id: int = 1) -> list[Any]:
    async with app.db.read() as session:
        return await ideas.list_ideas(session, user_id)


async def test_a_whole_idea_gives_a_tracking_code(chat: Chat) -> None:
    review = await chat.to_review("university_student")
    for expected in (
        "گروه شما: دانشجو",
        "محل تحصیل یا کار: دانشگاه تبریز",
        "عنوان: سطل‌های هوشمند",
        "اثر مورد انتظار: — (بدون پاسخ)",
        "تعداد اعضای تیم: ۴",
        "پیوست‌ها: ۱ فایل",
        "نام و نام خانوادگی: Sara Karimi",
        "شمارهٔ تلفن: \u2066+۹۸۹۱۲۱۲۳۴۵۶۷\u2069",
    ):
        assert expected in review
    receipt = await chat.submit()
    assert receipt.startswith("✅ ایدهٔ شما ثبت شد.")
    code_line = receipt.splitlines()[1]
    code = parse_code(code_line.split(":", 1)[1])
    assert code is not None
    [idea] = await ideas_of(chat.app)
    assert idea.code == code and idea.persona == "university_student"
    assert idea.affiliation == "دانشگاه تبریز" and idea.team_size == 4
    assert idea.phone == "+989121234567" and idea.status == "submitted"
    assert (idea.latitude, idea.longitude) == (38.08, 46.29)
    async with chat.app.db.read() as session:
        [attachment] = await ideas.list_attachments(session, idea.id)
    assert (attachment.kind, attachment.file_id, attachment.platform) == (
        "photo",
        "photo-1",
        chat.bot.platform.value,
    )
    listing = await chat.say("/my")
    assert listing.startswith("ایده‌های شما")
    date = format_date(idea.created_at, ZoneInfo("Asia/Tehran"), "fa", with_time=False)
    assert (
        f"۱. \u2066{display_code(code)}\u2069 \u2068سطل‌های هوشمند\u2069\n    ثبت‌شده · {date}"
        in listing
    )


@pytest.mark.parametrize(
    ("persona", "question"),
    [
        ("university_student", "در کدام دانشگاه تحصیل می‌کنید؟"),
        ("school_student", "در کدام مدرسه درس می‌خوانید؟"),
        ("professor", "در کدام دانشگاه یا پژوهشگاه فعالیت می‌کنید؟"),
        ("company", "نام شرکت شما چیست؟"),
        ("municipal_staff", "در کدام معاونت یا ادارهٔ شهرداری کار می‌کنید؟"),
        ("industry", "در کدام سازمان یا شرکت فعالیت می‌کنید؟"),
        ("citizen", "ایدهٔ شما دربارهٔ کدام حوزهٔ مدیریت شهری است؟"),
    ],
)
async def test_each_persona_gets_its_own_branch(chat: Chat, persona: str, question: str) -> None:
    await chat.say("/new")
    assert question in await chat.pick("persona", persona)


async def test_english_conversation(make_app: MakeApp) -> None:
    chat = Chat(make_app(default_locale="en"), Platform.BALE, Person(8, "Ann"))
    first = await chat.say("/new")
    assert "which of these describes you best?" in first
    assert "Citizen" in chat.buttons()
    review = await chat.to_review()
    assert "Title: سطل‌های هوشمند" in review
    assert (await chat.submit()).startswith("✅ Your idea is registered.")


async def test_back_returns_to_the_previous_step_keeping_answers(chat: Chat) -> None:
    await chat.through_to_title()
    back = await chat.press(StepAction.BACK, "title")
    assert "کدام حوزهٔ مدیریت شهری" in back
    await chat.pick("area", "transport")
    await chat.say("چراغ‌های هوشمند")
    again = await chat.press(StepAction.BACK, "problem")
    assert "برای ایده‌تان یک عنوان کوتاه" in again
    draft = await chat.draft()
    assert draft is not None and draft.step == "title"
    assert draft.answers["area"] == "transport" and draft.answers["title"] == "چراغ‌های هوشمند"


async def test_skip_only_where_allowed(chat: Chat) -> None:
    await chat.through_to_title()
    refused = await chat.press(StepAction.SKIP, "title")  # a forged skip
    assert refused.startswith("⚠️ این گام را نمی‌توان رد کرد.")
    assert "برای ایده‌تان یک عنوان کوتاه" in refused
    assert "⏭ رد کردن" not in chat.buttons()


async def test_edit_from_the_review_comes_back_to_it(chat: Chat) -> None:
    await chat.to_review()
    prompt = await chat.edit("title")
    assert "پاسخ فعلی: سطل‌های هوشمند" in prompt
    review = await chat.say("سطل‌های زبالهٔ هوشمند")
    assert "عنوان: سطل‌های زبالهٔ هوشمند" in review
    # Changing who you are to a company asks the company's name, then returns to the review.
    await chat.edit("persona")
    asked = await chat.pick("persona", "company")
    assert "نام شرکت شما چیست؟" in asked
    review = await chat.say("شرکت پاک‌شهر")
    assert "محل تحصیل یا کار: شرکت پاک‌شهر" in review
    # And back to citizen drops the affiliation.
    await chat.edit("persona")
    review = await chat.pick("persona", "citizen")
    assert "محل تحصیل یا کار" not in review
    # Back from an edit returns to the review unchanged.
    await chat.edit("stage")
    review = await chat.press(StepAction.BACK, "stage")
    assert "مرحله: 🛠 نمونه اولیه" in review


async def test_cancel_asks_and_keeps_the_draft(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.say("سطل‌های هوشمند")
    question = await chat.press(StepAction.CANCEL, "problem")
    assert question.startswith("ثبت این ایده را متوقف کنیم؟")
    back_in = await chat.press(StepAction.CANCEL_NO, "problem")
    assert "کدام مسئلهٔ شهر" in back_in
    await chat.say("/cancel")
    stopped = await chat.press(StepAction.CANCEL_YES)
    assert stopped.startswith("ثبت ایده متوقف شد.")
    # Outside the intake, text is not taken as an answer.
    assert (await chat.say(PROBLEM)).startswith("متوجه نشدم.")
    offer = await chat.say("/new")
    assert "یک ایدهٔ نیمه‌تمام دارید (در گام «مسئله»)" in offer
    resumed = await chat.press(StepAction.RESUME, value=await chat.draft_id())
    assert "کدام مسئلهٔ شهر" in resumed
    draft_id = await chat.draft_id()
    asked = await chat.press(StepAction.RESTART, value=draft_id)
    assert asked.startswith("پاسخ‌های ایدهٔ نیمه‌تمام شما حذف شود")
    restarted = await chat.press(StepAction.RESTART_YES, value=draft_id)
    assert "در کدام گروه قرار می‌گیرید؟" in restarted
    assert (await chat.draft()).answers == {}  # type: ignore[union-attr]


async def test_start_offers_to_continue_a_draft(chat: Chat) -> None:
    await chat.through_to_title()
    sent = await chat.feed(chat.person.text("/start"))
    assert chat.shown(sent[0]).startswith("سلام Sara!")
    assert "نیمه‌تمام" in chat.shown(sent[1])


@pytest.mark.parametrize(
    ("make_input", "expected"),
    [
        (lambda c: c.media("sticker"), "لطفاً پاسخ را به صورت پیام متنی بفرستید."),
        (lambda c: c.person.text("x" * 5000), "متن طولانی است (۵۰۰۰ نویسه از حداکثر ۱۲۰ نویسه)"),
        (lambda c: c.person.text("😀😀😀😀😀😀"), "لطفاً با کلمات بنویسید"),
        (lambda c: c.person.text("      "), "لطفاً با کلمات بنویسید"),
        (lambda c: c.person.text("۱۲۳۴۵۶۷"), "لطفاً با کلمات بنویسید"),
        (lambda c: c.person.text("آب"), "متن کوتاه است (۲ نویسه از دست‌کم ۵ نویسه)"),
        (lambda c: c.person.location(1.0, 2.0), "لطفاً پاسخ را به صورت پیام متنی بفرستید."),
    ],
)
async def test_bad_title_is_explained_and_asked_again(
    chat: Chat, make_input: Callable[[Chat], dict[str, Any]], expected: str
) -> None:
    await chat.through_to_title()
    reply = await chat.send(make_input(chat))
    assert reply.startswith("⚠️ " + expected)
    assert "برای ایده‌تان یک عنوان کوتاه بنویسید" in reply
    draft = await chat.draft()
    assert draft is not None and draft.step == "title" and draft.answers["area"] == "waste"


async def test_bad_inputs_at_other_steps(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.say("سطل‌های هوشمند")
    await chat.say(PROBLEM)
    await chat.say(SOLUTION)
    await chat.press(StepAction.SKIP, "impact")
    assert (await chat.say("نمونه")).startswith("⚠️ لطفاً یکی از دکمه‌ها را انتخاب کنید.")
    await chat.pick("stage", "idea")
    assert (await chat.say("۹۹")).startswith("⚠️ لطفاً عددی از ۱ تا ۵۰ بفرستید.")
    assert (await chat.say("چند")).startswith("⚠️ لطفاً یک عدد بفرستید")
    await chat.say("٣")
    assert (await chat.say("سلام")).startswith("⚠️ لطفاً عکس، فایل یا پیام صوتی بفرستید")
    big = await chat.send(chat.media("document", size=21 * 1024 * 1024))
    assert big.startswith("⚠️ حجم این فایل بیش از ۲۰ مگابایت است.")
    for _ in range(5):
        received = await chat.send(chat.media("voice"))
    assert received.startswith("دریافت شد (۵ از ۵)")
    assert (await chat.send(chat.media("photo"))).startswith("⚠️ شما ۵ فایل فرستاده‌اید")
    await chat.pick("attachments", "done")
    assert (await chat.say("میدان ساعت")).startswith("⚠️ لطفاً موقعیت مکانی را با دکمهٔ زیر")
    assert "📍 ارسال موقعیت فعلی من" in chat.buttons()
    await chat.say("⏭ رد کردن")  # the reply keyboard's skip
    await chat.say("سارا کریمی")
    assert (await chat.send(chat.person.contact("09121234567", own=False))).startswith(
        "⚠️ این شمارهٔ شخص دیگری است."
    )
    assert (await chat.say("02133445566")).startswith("⚠️ این شمارهٔ همراه نیست.")
    consent = await chat.say("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert "موافقید؟" in consent
    assert (await chat.say("بله")).startswith("⚠️ برای ثبت ایده، لطفاً «موافقم» را بزنید")
    review = await chat.pick("consent", "agree")
    assert "پیوست‌ها: ۵ فایل" in review and "موقعیت مکانی: — (بدون پاسخ)" in review
    assert "نام و نام خانوادگی: سارا کریمی" in review and "+۹۸۹۱۲۱۲۳۴۵۶۷" in review


async def test_stale_buttons_show_the_current_step(chat: Chat) -> None:
    await chat.through_to_title()
    sent = await chat.feed(
        chat.person.press(StepCB("intake", StepAction.PICK, "persona", "company").pack())
    )
    assert chat.shown(sent[0]).startswith("این دکمه مربوط به پرسش قبلی است.")
    assert "برای ایده‌تان یک عنوان کوتاه" in chat.shown(sent[1])


async def test_a_draft_survives_a_restart(make_app: MakeApp, platform: Platform) -> None:
    person = Person(7, "Sara")
    first = Chat(make_app(), platform, person)
    await first.through_to_title("company")
    await first.say("سطل‌های هوشمند")
    restarted = Chat(make_app(), platform, person)  # a new Dispatcher over the same database
    reply = await restarted.say(PROBLEM)
    assert "راه‌حل شما چیست" in reply
    draft = await restarted.draft()
    assert draft is not None
    assert draft.answers["affiliation"] == "دانشگاه تبریز"
    assert draft.answers["title"] == "سطل‌های هوشمند"


async def test_old_drafts_are_discarded(chat: Chat) -> None:
    await chat.through_to_title()
    assert await chat.app.conversations.prune(now=utcnow() + timedelta(days=29)) == 0
    assert await chat.app.conversations.prune(now=utcnow() + timedelta(days=31)) == 1
    assert await chat.draft() is None
    assert (await chat.say("سطل‌های هوشمند")).startswith("ایده‌ای در حال ثبت نیست.")


async def test_daily_limit(make_app: MakeApp) -> None:
    person = Person(7, "Sara")
    chat = Chat(make_app(daily_submission_limit=1), Platform.BALE, person)
    await chat.to_review()
    assert (await chat.submit()).startswith("✅")
    # Told at once, not after typing a whole idea.
    refused = await chat.say("/new")
    assert refused.startswith("شما امروز ۱ ایده ثبت کرده‌اید")
    assert await chat.draft() is None
    # A draft begun before the limit was reached is kept for tomorrow.
    elsewhere = Chat(make_app(daily_submission_limit=5), Platform.BALE, person)
    await elsewhere.to_review()
    refused = await chat.submit()
    assert refused.startswith("شما امروز ۱ ایده ثبت کرده‌اید")
    assert "لطفاً فردا آن را ثبت کنید" in refused
    assert len(await ideas_of(chat.app)) == 1
    assert await chat.draft() is not None


async def submit_data(chat: Chat) -> str:
    return StepCB("intake", StepAction.SUBMIT, "review", await chat.draft_id()).pack()


async def test_two_taps_on_submit_make_one_idea(chat: Chat) -> None:
    await chat.to_review()
    data = await submit_data(chat)
    assert (await chat.send(chat.person.press(data))).startswith("✅")
    assert (await chat.send(chat.person.press(data))).startswith("این ایده پیش‌تر ثبت شده است.")
    assert len(await ideas_of(chat.app)) == 1


async def test_two_updates_in_flight_make_one_idea(chat: Chat) -> None:
    await chat.to_review()
    data = await submit_data(chat)
    await asyncio.gather(
        chat.app.gateway.handle(chat.platform, chat.person.press(data)),
        chat.app.gateway.handle(chat.platform, chat.person.press(data)),
    )
    assert len(await ideas_of(chat.app)) == 1


async def test_two_workers_racing_make_one_idea(
    make_app: MakeApp, make_settings: Callable[..., Settings], db: Database
) -> None:
    """Two workers (two Dispatchers, two database handles) over one database file: the
    claim is in SQL, not in a process's locks."""
    person = Person(7, "Sara")
    chat = Chat(make_app(), Platform.BALE, person)
    await chat.to_review()
    second_handle = Database(db.url)
    other = Chat(
        build_app(make_settings(), second_handle, connection=recorded), Platform.BALE, person
    )
    data = await submit_data(chat)
    await asyncio.gather(
        chat.app.gateway.handle(chat.platform, person.press(data)),
        other.app.gateway.handle(other.platform, person.press(data)),
    )
    assert len(await ideas_of(chat.app)) == 1
    await second_handle.dispose()


async def test_menu_submit_and_my_ideas(chat: Chat) -> None:
    empty = await chat.send(chat.person.press(MenuCB(MenuAction.MY_IDEAS).pack()))
    assert empty.startswith("هنوز ایده‌ای ثبت نکرده‌اید.")
    first = await chat.send(chat.person.press(MenuCB(MenuAction.SUBMIT).pack()))
    assert "در کدام گروه قرار می‌گیرید؟" in first


async def test_commands_still_work_inside_the_intake(chat: Chat) -> None:
    await chat.through_to_title()
    assert (await chat.say("/help")).startswith("راهنمای ربات")
    # What is typed next may answer the help, not the idea: the step is shown again.
    sent = await chat.feed(chat.person.text("سطل‌های هوشمند"))
    assert chat.shown(sent[0]) == "ایدهٔ شما منتظر است. این‌جا متوقف شده بودید:"
    assert "یک عنوان کوتاه" in chat.shown(sent[1])
    draft = await chat.draft()
    assert draft is not None and "title" not in draft.answers
    assert "مسئلهٔ شهر" in await chat.say("سطل‌های هوشمند")


async def test_a_long_list_of_ideas_fits_one_message(make_app: MakeApp) -> None:
    chat = Chat(make_app(daily_submission_limit=50), Platform.TELEGRAM, Person(7, "Sara"))
    for _ in range(16):
        await chat.to_review()
        await chat.submit()
    listing = await chat.say("/my")
    assert listing.count("سطل‌های هوشمند") == 15
    assert listing.endswith("۱۵ ایدهٔ آخر از ۱۶ ایدهٔ شما.")


async def open_call(
    app: App, title: str = "فراخوان پسماند ۱۴۰۵", areas: tuple[str, ...] = ("waste",)
) -> CallInfo:
    now = utcnow()
    fields = {
        "title": title,
        "description": "ایده‌هایی برای کاهش پسماند",
        "areas": list(areas),
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "guidance": None,
    }
    return await app.calls.save(None, fields)


async def test_the_call_step_is_asked_when_a_call_is_open(make_app: MakeApp) -> None:
    app = make_app()
    call = await open_call(app)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    await chat.say("/new")
    await chat.pick("persona", "citizen")
    asked = await chat.pick("area", "waste")
    assert "در این حوزه فراخوان باز وجود دارد" in asked
    assert chat.buttons()[0] == "فراخوان پسماند ۱۴۰۵"
    assert (await chat.pick("call", "99")).startswith("⚠️ لطفاً از دکمه‌های زیر استفاده کنید.")
    assert "یک عنوان کوتاه" in await chat.pick("call", str(call.id))
    draft = await chat.draft()
    assert draft is not None and draft.answers["call"] == str(call.id)
    # Another area has no open call: the step is passed over.
    await chat.press(StepAction.BACK, "title")
    await chat.press(StepAction.BACK, "call")
    assert "یک عنوان کوتاه" in await chat.pick("area", "transport")
    draft = await chat.draft()
    assert draft is not None and "call" not in draft.answers  # it belonged to the old area


async def test_answers_are_normalized(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.say("  سطل‌هاي   هوشمند  براي  كوچه‌ها ")
    draft = await chat.draft()
    assert draft is not None and draft.answers["title"] == "سطل‌های هوشمند برای کوچه‌ها"


async def test_a_new_persona_asks_its_own_affiliation_again(chat: Chat) -> None:
    await chat.to_review("company")
    await chat.edit("persona")
    asked = await chat.pick("persona", "professor")
    assert "در کدام دانشگاه یا پژوهشگاه فعالیت می‌کنید؟" in asked
    review = await chat.say("دانشگاه صنعتی سهند")
    assert "محل تحصیل یا کار: دانشگاه صنعتی سهند" in review


async def test_an_old_submit_button_does_not_submit_while_editing(chat: Chat) -> None:
    await chat.to_review()
    await chat.edit("title")
    sent = await chat.feed(chat.person.press(StepCB("intake", StepAction.SUBMIT).pack()))
    assert chat.shown(sent[0]).startswith("این دکمه مربوط به پرسش قبلی است.")
    assert not await ideas_of(chat.app)
    review = await chat.say("سطل‌های زبالهٔ هوشمند")
    assert "عنوان: سطل‌های زبالهٔ هوشمند" in review
    assert (await chat.submit()).startswith("✅")
    [idea] = await ideas_of(chat.app)
    assert idea.title == "سطل‌های زبالهٔ هوشمند"


async def test_old_buttons_after_submitting(chat: Chat) -> None:
    await chat.to_review()
    await chat.submit()
    for action in (StepAction.CANCEL, StepAction.CANCEL_NO, StepAction.RESUME):
        reply = await chat.press(action, "review")
        assert reply.startswith("ایده‌ای در حال ثبت نیست."), action
    assert await chat.draft() is None


async def test_start_in_the_middle_keeps_the_draft(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.say("/start")
    assert "یک عنوان کوتاه" in await chat.say("سلام")  # shown again, not stored
    assert "مسئلهٔ شهر" in await chat.say("سطل‌های هوشمند")
    draft = await chat.draft()
    assert draft is not None and draft.answers["title"] == "سطل‌های هوشمند"


async def test_typing_while_asked_to_confirm_cancel(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.press(StepAction.CANCEL, "title")
    asked_again = await chat.say("سطل‌های هوشمند")  # neither yes nor no: never an answer
    assert asked_again.startswith("ثبت این ایده را متوقف کنیم؟")
    assert "یک عنوان کوتاه" in await chat.say("خیر")  # no: go on
    await chat.press(StepAction.CANCEL, "title")
    assert (await chat.say("بله")).startswith("ثبت ایده متوقف شد.")  # yes: stop
    draft = await chat.draft()
    assert draft is not None and "title" not in draft.answers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("رد کردن", "در چه مرحله‌ای است"),
        ("⏭ رد کردن", "در چه مرحله‌ای است"),
        ("انصراف", "ثبت این ایده را متوقف کنیم؟"),
        ("بازگشت", "راه‌حل شما چیست"),
    ],
)
async def test_typed_button_labels_act_as_the_buttons(
    chat: Chat, typed: str, expected: str
) -> None:
    await chat.through_to_title()
    await chat.say("سطل‌های هوشمند")
    await chat.say(PROBLEM)
    await chat.say(SOLUTION)
    assert expected in await chat.say(typed)
    draft = await chat.draft()
    assert draft is not None and draft.answers.get("impact") != typed


async def test_typed_option_label_is_taken(chat: Chat) -> None:
    await chat.through_to_stage()
    assert "تیم شما چند نفر است" in await chat.say("نمونه اولیه")
    assert "تا ۵ عکس" in await chat.say("۲")
    assert "اگر ایدهٔ شما به مکان مشخصی" in await chat.say("پایان")  # Done, with no file


async def test_going_back_offers_to_keep_the_answer(chat: Chat) -> None:
    await chat.through_to_title()
    await chat.say("سطل‌های هوشمند")
    back = await chat.press(StepAction.BACK, "problem")
    assert "پاسخ فعلی: سطل‌های هوشمند" in back
    assert "✅ همان پاسخ قبلی بماند" in chat.buttons()
    assert "مسئلهٔ شهر" in await chat.pick("title", "keep")
    back = await chat.press(StepAction.BACK, "problem")
    await chat.press(StepAction.BACK, "title")
    assert "✓ ♻️ پسماند" in chat.buttons()  # the chosen option is marked


async def test_files_are_kept_when_going_back_to_attachments(chat: Chat) -> None:
    await chat.through_to_stage()
    await chat.pick("stage", "idea")
    await chat.say("۲")
    await chat.send(chat.media("photo"))
    await chat.pick("attachments", "done")
    sent = await chat.feed(chat.person.text("↩️ بازگشت"))  # the location step's reply button
    assert chat.shown(sent[0]) == "✓"  # nothing was saved: no "Saved"
    assert "⏭ رد کردن" not in chat.buttons() and "✅ پایان" in chat.buttons()
    await chat.press(StepAction.SKIP, "attachments")  # a forged skip keeps them too
    draft = await chat.draft()
    assert draft is not None and len(draft.answers["attachments"]) == 1


async def test_phone_from_abroad_and_wrong_kinds(chat: Chat) -> None:
    await chat.to_review()
    await chat.edit("phone")
    wrong = await chat.send(chat.person.location(1.0, 2.0))
    assert wrong.startswith("⚠️ لطفاً شمارهٔ تلفن خود را با دکمهٔ زیر بفرستید یا تایپ کنید.")
    review = await chat.send(chat.person.contact("447700900123"))  # a foreign SIM, shared
    assert "\u2066+۴۴۷۷۰۰۹۰۰۱۲۳\u2069" in review
    await chat.edit("phone")
    review = await chat.say("+49 151 23456789")
    assert "+۴۹۱۵۱۲۳۴۵۶۷۸۹" in review


async def test_group_chats_are_not_served(chat: Chat) -> None:
    update = chat.person.text("/new")
    update["message"]["chat"] = {"id": -100, "type": "group"}
    await chat.feed(update)
    assert chat.calls() == [] and chat.recorder.sent(chat_id=-100) == []


async def test_a_label_of_a_button_not_offered_is_not_an_answer(chat: Chat) -> None:
    await chat.through_to_title()
    refused = await chat.say("⏭ رد کردن")
    assert refused.startswith("⚠️ این گام را نمی‌توان رد کرد.")
    refused = await chat.say("✅ همان پاسخ قبلی بماند")
    assert refused.startswith("⚠️ لطفاً از دکمه‌های زیر استفاده کنید.")
    draft = await chat.draft()
    assert draft is not None and "title" not in draft.answers


async def test_typing_the_submit_label_submits(chat: Chat) -> None:
    await chat.to_review()
    assert (await chat.say("ثبت نهایی ایده")).startswith("✅ ایدهٔ شما ثبت شد.")


async def test_a_number_inside_words_is_read(chat: Chat) -> None:
    await chat.through_to_stage()
    await chat.pick("stage", "idea")
    await chat.say("۳ نفر")
    draft = await chat.draft()
    assert draft is not None and draft.answers["team_size"] == 3


async def test_an_iranian_landline_with_country_code_is_refused(chat: Chat) -> None:
    await chat.to_review()
    await chat.edit("phone")
    assert (await chat.say("+982133445566")).startswith("⚠️ این شمارهٔ همراه نیست.")
    assert (await chat.say("+98 912 123")).startswith("⚠️ این شمارهٔ همراه نیست.")


async def test_edited_messages_are_answered(chat: Chat) -> None:
    await chat.through_to_title()
    sent = await chat.feed(chat.person.edited("سطل‌های هوشمند"))
    assert chat.shown(sent[0]).startswith("پیام‌های ویرایش‌شده به‌عنوان پاسخ پذیرفته نمی‌شوند.")


async def test_a_files_caption_is_kept(chat: Chat) -> None:
    await chat.through_to_stage()
    await chat.pick("stage", "idea")
    await chat.say("۲")
    await chat.send(chat.person.photo(caption="محل  سطل‌ها"))
    draft = await chat.draft()
    assert draft is not None and draft.answers["attachments"][0]["caption"] == "محل سطل‌ها"


async def test_back_from_a_step_an_edit_opened_does_not_skip_it(chat: Chat) -> None:
    await chat.to_review()
    await chat.edit("persona")
    await chat.pick("persona", "company")  # opens "company name"
    back = await chat.press(StepAction.BACK, "affiliation")
    assert "در کدام گروه قرار می‌گیرید؟" in back  # not the review, which lacks an answer
    assert "نام شرکت شما چیست؟" in await chat.pick("persona", "company")
    review = await chat.say("شرکت پاک‌شهر")
    assert "محل تحصیل یا کار: شرکت پاک‌شهر" in review


async def test_submit_with_an_answer_missing_says_so(chat: Chat) -> None:
    await chat.to_review()
    draft_id = await chat.draft_id()
    await chat.edit("persona")
    await chat.pick("persona", "company")
    # The draft is at "company name"; put it back on the review screen without one.
    draft = await chat.draft()
    assert draft is not None
    async with chat.app.db.write() as session:
        await drafts.save_draft(session, 1, "review", draft.answers, False)
    reply = await chat.press(StepAction.SUBMIT, "review", draft_id)
    assert reply.startswith("⚠️ پیش از ثبت ایده، این پاسخ هنوز لازم است.")
    assert "نام شرکت شما چیست؟" in reply
    assert not await ideas_of(chat.app)


async def test_the_receipt_is_committed_with_the_idea_and_sent_even_if_the_first_try_fails(
    chat: Chat,
) -> None:
    await chat.to_review()
    chat.recorder.fail_next("sendMessage", 502, "Bad Gateway")  # the receipt's first try
    sent = await chat.feed(
        chat.person.press(
            StepCB("intake", StepAction.SUBMIT, "review", await chat.draft_id()).pack()
        )
    )
    assert [c.result for c in sent] == [None]  # it did not arrive
    [mine] = await ideas_of(chat.app)
    async with chat.app.db.read() as session:
        [row] = list(await session.scalars(select(Outbox).where(Outbox.kind == "notice")))
    assert row.status == "pending"  # written with the idea, waiting for another try
    assert row.next_attempt_at is not None
    async with chat.app.db.write() as session:  # the retry falls due
        due = await session.get(Outbox, row.id)
        assert due is not None
        due.next_attempt_at = utcnow()
    chat.clear()
    await chat.app.sender.drain(chat.platform)
    [receipt] = chat.sent()
    assert chat.shown(receipt).startswith("✅ ایدهٔ شما ثبت شد.")
    assert display_code(mine.code) in chat.shown(receipt)


async def test_a_long_paste_split_in_two_by_the_client_is_one_answer(chat: Chat) -> None:
    """The first part was refused as too long and the tail taken for the answer."""
    await chat.through_to_title()
    await chat.say("سطل‌های هوشمند")
    first, tail = "پسماند " * 585, "و این پایان متن است."  # 4095 and 20 characters
    assert (await chat.say(first)).startswith("⚠️ متن طولانی است")
    again = await chat.say(tail)  # the client's second part, a moment later
    assert again.startswith("⚠️ متن طولانی است (۴۱۱۵ نویسه")  # both parts, as one
    draft = await chat.app.conversations.draft(1, "intake")
    assert draft is not None and draft.step == "problem" and "problem" not in draft.answers
    # A message sent well after is an answer of its own.
    later = chat.person.text(PROBLEM)
    later["message"]["date"] += 60
    assert "راه‌حل شما چیست" in await chat.send(later)


async def test_a_nul_in_any_answer_is_dropped_and_the_idea_stored(
    make_settings: Callable[..., Settings], any_db: Database
) -> None:
    """PostgreSQL refuses a NUL in text: it never reaches the database, on either."""
    app = build_app(make_settings(), any_db, connection=recorded)
    chat = Chat(app, Platform.TELEGRAM, Person(5, "Sara"))
    await chat.through_to_title()
    await chat.say("سطل\x00های هوشمند")
    await chat.say(PROBLEM + "\x00")
    await chat.say("\x00" + SOLUTION)
    await chat.press(StepAction.SKIP, "impact")
    await chat.pick("stage", "idea")
    await chat.press(StepAction.SKIP, "team_size")
    await chat.pick("attachments", "done")
    await chat.press(StepAction.SKIP, "location")
    await chat.pick("full_name", "profile")
    await chat.send(chat.person.contact("+989121234567"))
    await chat.pick("consent", "agree")
    receipt = await chat.submit()
    assert "کد رهگیری" in receipt
    [mine], _ = await app.ideas.mine(await chat.user_id())
    card = await app.review.card(mine.id)
    assert card is not None and card.idea.title == "سطلهای هوشمند"
    assert "\x00" not in card.problem + card.solution
