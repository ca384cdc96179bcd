"""The status lifecycle: recorded, refused where the table says no, the applicant told."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import App
from bot.core.platforms import Platform
from bot.core.tracking import parse_code
from bot.core.views import Staff
from bot.devtools.fakeapi import html_to_text
from bot.devtools.recording import Person
from bot.services.review import Refusal
from bot.ui.callbacks import LanguageCB
from tests.support.chat import Chat

MakeApp = Callable[..., App]
ADMIN = Staff(Platform.TELEGRAM, 111, "admin")


async def submitted(app: App, platform: Platform = Platform.BALE) -> tuple[Chat, int]:
    chat = Chat(app, platform, Person(7, "Reza"))
    await chat.to_review()
    receipt = await chat.submit()
    code = parse_code(receipt.split("کد رهگیری:")[1].splitlines()[0])
    assert code is not None
    idea = await app.review.by_code(code)
    assert idea is not None
    chat.clear()
    return chat, idea.id


async def test_each_change_is_recorded_and_told_in_persian(make_app: MakeApp) -> None:
    app = make_app()
    chat, idea_id = await submitted(app)
    change = await app.review.change_status(idea_id, "screening", None, ADMIN)
    await app.sender.settled()  # the notice goes once the change is committed
    assert change.refusal is None and change.delivery == "sent"
    [notice] = chat.sent()
    assert notice.text.startswith("وضعیت ایدهٔ \u2066")
    assert "«\u2068سطل‌های هوشمند\u2069»: در حال بررسی اولیه.\n\n" in notice.text
    assert notice.text.endswith("در هر مرحله باخبر می‌شوید.")  # and what happens next
    assert notice.parse_mode is None  # Bale
    history = await app.review.history(idea_id, applicant_view=True)
    assert [(e.from_status, e.to_status) for e in history] == [("submitted", "screening")]


async def test_moves_the_table_forbids_are_refused(make_app: MakeApp) -> None:
    app = make_app()
    chat, idea_id = await submitted(app)
    refused = await app.review.change_status(idea_id, "accepted", None, ADMIN)
    assert refused.refusal is Refusal.NOT_ALLOWED
    refused = await app.review.change_status(idea_id, "rejected", "  ", ADMIN)
    assert refused.refusal is Refusal.REASON_REQUIRED
    assert chat.sent() == []
    assert (await app.review.history(idea_id, applicant_view=False)) == []


async def test_a_question_answered_returns_the_idea_to_the_queue(make_app: MakeApp) -> None:
    app = make_app()
    chat, idea_id = await submitted(app)
    await app.review.change_status(idea_id, "screening", None, ADMIN)
    await app.review.change_status(idea_id, "evaluating", None, ADMIN)
    asked = await app.review.change_status(idea_id, "needs_info", "هزینهٔ هر حسگر؟", ADMIN)
    await app.sender.settled()
    assert asked.idea is not None and asked.idea.status == "needs_info"
    question = chat.sent()[-1]
    assert "پرسشی دارند:\n\nهزینهٔ هر حسگر؟\n\n" in question.text
    assert question.markup is not None
    answered = await app.review.answer(1, idea_id, "حدود ۲ میلیون تومان")
    assert answered.idea is not None and answered.idea.status == "evaluating"
    kinds = [e.kind for e in await app.review.history(idea_id, applicant_view=True)]
    assert kinds == ["status", "status", "question", "answer", "status"]
    again = await app.review.answer(1, idea_id, "دوباره")
    assert again.refusal is Refusal.NOT_WAITING


async def test_only_the_owner_withdraws_or_answers(make_app: MakeApp) -> None:
    app = make_app()
    _chat, idea_id = await submitted(app)
    assert (await app.review.withdraw(999, idea_id)).refusal is Refusal.NOT_FOUND
    assert (await app.review.answer(999, idea_id, "x")).refusal is Refusal.NOT_FOUND
    withdrawn = await app.review.withdraw(1, idea_id)
    assert withdrawn.idea is not None and withdrawn.idea.status == "withdrawn"
    assert (await app.review.withdraw(1, idea_id)).refusal is Refusal.NOT_ALLOWED


async def test_a_code_of_someone_else_is_not_found(make_app: MakeApp) -> None:
    app = make_app()
    await submitted(app)
    [mine], _total = await app.ideas.mine(1)
    assert await app.review.for_applicant(999, mine.code) is None
    found = await app.review.for_applicant(1, mine.code)
    assert found is not None and found.title == "سطل‌های هوشمند"


async def test_a_notice_to_a_platform_not_served_waits_in_the_outbox(make_app: MakeApp) -> None:
    app = make_app()
    chat = Chat(app, Platform.BALE, Person(7, "Reza"))
    await chat.to_review()
    await chat.submit()
    del app.sender.lanes[Platform.BALE]  # this process sends for Telegram only
    ideas, _total = await app.ideas.mine(1)
    idea = await app.review.by_code(ideas[0].code)
    assert idea is not None
    change = await app.review.change_status(idea.id, "screening", None, ADMIN)
    await app.sender.settled()
    assert change.delivery == "pending"


async def test_a_telegram_applicant_is_told_in_html_and_in_english(make_app: MakeApp) -> None:
    app = make_app()
    chat = Chat(app, Platform.TELEGRAM, Person(7, "Ann <b>&"))
    await chat.say("/language")
    await chat.feed(chat.person.press(LanguageCB("en").pack()))
    await chat.to_review()
    await chat.submit()
    [mine], _ = await app.ideas.mine(1)
    chat.clear()
    await app.review.change_status(mine.id, "screening", None, ADMIN)
    await app.review.change_status(mine.id, "rejected", "Not <b>feasible</b> & costly", ADMIN)
    await app.sender.settled()
    first, second = chat.sent()
    assert first.parse_mode == "HTML"
    assert "is now: Initial screening.\n\nThe center's experts are reading it" in html_to_text(
        first.text
    )
    assert "Reason: Not <b>feasible</b> & costly\n\nThank you for sending it." in html_to_text(
        second.text
    )
