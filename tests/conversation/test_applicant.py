"""An applicant follows their ideas: /track, the detail view, withdraw, answering a question."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from bot.core.platforms import Platform
from bot.core.tracking import display_code
from bot.core.views import Staff
from bot.devtools.recording import Person
from bot.ui.callbacks import IdeaAction, IdeaCB
from tests.support.chat import Chat

MakeApp = Callable[..., App]
ADMIN = Staff(Platform.TELEGRAM, 111, "admin")


async def with_idea(app: App, user_id: int = 7) -> tuple[Chat, str, int]:
    chat = Chat(app, Platform.BALE, Person(user_id, "Reza"))
    await chat.to_review()
    await chat.submit()
    [mine], _ = await app.ideas.mine(1)
    return chat, mine.code, mine.id


def press(action: IdeaAction, idea: int) -> str:
    return IdeaCB(action, idea).pack()


async def test_track_shows_the_persons_own_idea_only(make_app: MakeApp) -> None:
    app = make_app()
    chat, code, idea_id = await with_idea(app)
    shown = await chat.say(f"/track {code.lower()}")
    assert shown.startswith(f"ایدهٔ \u2066{display_code(code)}\u2069 «\u2068سطل‌های هوشمند\u2069»")
    assert "وضعیت: ثبت‌شده" in shown
    stranger = Chat(app, Platform.BALE, Person(8, "Mina"))
    refused = await stranger.say(f"/track {code}")
    assert refused == "ایده‌ای با این کد رهگیری در میان ایده‌های شما پیدا نشد."
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert (await chat.say(f"/track {mistyped}")).startswith("ایده‌ای با این کد رهگیری")
    # A forged button for someone else's idea finds nothing either.
    assert (await stranger.send(stranger.person.press(press(IdeaAction.OPEN, idea_id)))).startswith(
        "ایده‌ای با این کد رهگیری"
    )
    forged = await stranger.send(stranger.person.press(press(IdeaAction.WITHDRAW_YES, idea_id)))
    assert forged.startswith("ایده‌ای با این کد رهگیری")
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "submitted"


async def test_my_ideas_opens_the_history(make_app: MakeApp) -> None:
    app = make_app()
    chat, code, idea_id = await with_idea(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    await chat.say("/my")
    assert chat.buttons() == [f"🔎 {display_code(code)}"]
    opened = await chat.send(chat.person.press(press(IdeaAction.OPEN, idea_id)))
    assert "وضعیت: در حال بررسی اولیه" in opened and "سوابق" in opened
    assert chat.buttons() == ["➕ افزودن اطلاعات یا فایل", "↩️ انصراف از این ایده"]


async def test_withdraw_after_confirming(make_app: MakeApp) -> None:
    app = make_app()
    chat, _code, idea_id = await with_idea(app)
    asked = await chat.send(chat.person.press(press(IdeaAction.WITHDRAW, idea_id)))
    assert asked.startswith("از ایدهٔ")
    done = await chat.send(chat.person.press(press(IdeaAction.WITHDRAW_YES, idea_id)))
    assert done.startswith("انصراف شما از این ایده ثبت شد.")
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "withdrawn"
    again = await chat.send(chat.person.press(press(IdeaAction.WITHDRAW_YES, idea_id)))
    assert again == "این ایده دیگر قابل انصراف نیست."


async def test_the_needs_info_round_trip(make_app: MakeApp) -> None:
    app = make_app()
    chat, _code, idea_id = await with_idea(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    await app.review.change_status(idea_id, "needs_info", "هزینهٔ هر حسگر چقدر است؟", ADMIN)
    await app.sender.settled()
    assert "هزینهٔ هر حسگر چقدر است؟" in chat.texts()[-1]
    prompt = await chat.send(chat.person.press(press(IdeaAction.ANSWER, idea_id)))
    assert prompt.startswith("پاسخ خود را در یک پیام بفرستید")
    thanks = await chat.say("حدود دو میلیون تومان")
    assert thanks.startswith("سپاس‌گزاریم. پاسخ شما به ایدهٔ")
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "screening"
    history = await chat.say(f"/track {idea.code}")
    assert "پرسش کارشناسان: هزینهٔ هر حسگر چقدر است؟" in history
    assert "پاسخ شما: حدود دو میلیون تومان" in history
    # The answer was an answer: the menu works again afterwards.
    assert (await chat.say("/help")).startswith("راهنمای ربات")


async def test_a_long_history_still_fits_one_message(make_app: MakeApp) -> None:
    app = make_app()
    chat, code, idea_id = await with_idea(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    for round_ in range(6):
        await app.review.change_status(idea_id, "needs_info", "پرسش " + "ی" * 990, ADMIN)
        await app.review.answer(1, idea_id, f"پاسخ {round_} " + "ب" * 990)
    shown = await chat.say(f"/track {code}")
    assert shown.startswith("ایدهٔ") and len(shown) <= 4096
    assert "پاسخ 5 " in shown and "پاسخ 0 " not in shown  # the latest rounds are kept


async def test_an_answer_returns_a_shortlisted_idea_to_shortlisted(make_app: MakeApp) -> None:
    app = make_app()
    _chat, _code, idea_id = await with_idea(app)
    for status in ("screening", "evaluating", "shortlisted"):
        await app.review.change_status(idea_id, status, None, ADMIN)
    await app.review.change_status(idea_id, "needs_info", "زمان ارائه؟", ADMIN)
    answered = await app.review.answer(1, idea_id, "هفتهٔ آینده")
    assert answered.idea is not None and answered.idea.status == "shortlisted"


async def test_an_album_is_one_answer_with_all_its_photos(make_app: MakeApp) -> None:
    app = make_app()
    chat, _code, idea_id = await with_idea(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    await app.review.change_status(idea_id, "needs_info", "عکس محل را بفرستید.", ADMIN)
    await chat.send(chat.person.press(press(IdeaAction.ANSWER, idea_id)))
    parts = [
        chat.person.photo("site-1", album="g1", caption="سه عکس از کوچه"),
        chat.person.photo("site-2", album="g1"),
        chat.person.photo("site-3", album="g1"),
    ]
    sent = [await chat.feed(part) for part in parts]
    assert chat.shown(sent[0][-1]).startswith("سپاس‌گزاریم.")
    assert sent[1:] == [[], []]  # the rest of the album joins the answer, quietly
    card = await app.review.card(idea_id)
    assert card is not None
    assert sorted(f.message_id for f in card.files)[-3:] == sorted(
        p["message"]["message_id"] for p in parts
    )
    history = await app.review.history(idea_id, applicant_view=True)
    assert [e.text for e in history if e.kind == "answer"] == ["سه عکس از کوچه"]
    # Another message afterwards is not taken for the answer, and is answered.
    assert (await chat.say("ممنون")).startswith("متوجه نشدم")
    assert await app.conversations.draft(1, "answer") is None
    assert (await chat.say("/help")).startswith("راهنمای ربات")


async def test_track_alone_asks_for_the_code_and_a_bare_code_is_understood(
    make_app: MakeApp,
) -> None:
    app = make_app()
    chat, code, _idea_id = await with_idea(app)
    assert (await chat.say("/track")).startswith("کد رهگیری ایدهٔ خود را بفرستید")
    assert (await chat.say("نمی‌دانم")).startswith("⚠️")  # asked again, not dropped
    shown = await chat.say(display_code(code).lower())
    assert shown.startswith(f"ایدهٔ \u2066{display_code(code)}\u2069")
    # Outside any conversation, a tracking code on its own is read as one.
    assert (await chat.say(f"  {code}  ")).startswith(f"ایدهٔ \u2066{display_code(code)}\u2069")
    stranger = Chat(app, Platform.BALE, Person(8, "Mina"))
    await stranger.say("/start")
    assert (await stranger.say(code)).startswith("ایده‌ای با این کد رهگیری")


async def test_a_typed_answer_is_taken_without_pressing_answer(make_app: MakeApp) -> None:
    app = make_app()
    chat, _code, idea_id = await with_idea(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    await app.review.change_status(idea_id, "needs_info", "هزینهٔ هر حسگر؟", ADMIN)
    chat.clear()
    thanks = await chat.say("هزینهٔ هر حسگر حدود دو میلیون تومان است.")
    assert thanks.startswith("سپاس‌گزاریم.")
    history = await app.review.history(idea_id, applicant_view=True)
    assert [e.text for e in history if e.kind == "answer"] == [
        "هزینهٔ هر حسگر حدود دو میلیون تومان است."
    ]
    idea = await app.review.by_id(idea_id)
    assert idea is not None and idea.status == "screening"
    # Nothing waits any more: the next message is not an answer.
    assert (await chat.say("ممنون")).startswith("متوجه نشدم")


async def test_with_several_ideas_waiting_the_bot_asks_which_one_an_answer_is_for(
    make_app: MakeApp,
) -> None:
    app = make_app()
    chat, _code, first = await with_idea(app)
    await chat.to_review()
    await chat.submit()
    mine, _ = await app.ideas.mine(1)
    second = next(i.id for i in mine if i.id != first)
    for idea_id in (first, second):
        await app.review.change_status(idea_id, "needs_info", "عکسی از محل؟", ADMIN)
    photo = chat.person.photo("site-9", caption="این هم عکس محل")
    asked = await chat.send(photo)
    assert asked.startswith("کارشناسان دربارهٔ بیش از یک ایده منتظر پاسخ شما هستند.")
    assert len(chat.buttons()) == 2
    thanks = await chat.send(chat.person.press(press(IdeaAction.ANSWER_THIS, second)))
    assert thanks.startswith("سپاس‌گزاریم.")
    card = await app.review.card(second)
    assert card is not None
    assert photo["message"]["message_id"] in [f.message_id for f in card.files]
    history = await app.review.history(second, applicant_view=True)
    assert [e.text for e in history if e.kind == "answer"] == ["این هم عکس محل"]
    waiting = [idea.id for idea in await app.review.waiting(1)]
    assert waiting == [first]  # the other still waits
    again = await chat.send(chat.person.press(press(IdeaAction.ANSWER_THIS, first)))
    assert again.startswith("این دکمه دیگر فعال نیست")  # that answer went already
