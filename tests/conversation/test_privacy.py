"""/privacy shows what is stored about a person; /delete_my_data erases it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.core.clock import utcnow
from bot.core.platforms import Platform
from bot.core.views import Audience
from bot.devtools.recording import Person
from bot.ui.callbacks import EventAction, EventCB, PrivacyCB, SubscriptionCB
from storage import drafts, events, ideas, subscriptions, users
from storage.models import Attachment, Idea, Outbox
from tests.support.chat import Chat

MakeApp = Callable[..., App]


async def test_a_person_sees_and_deletes_their_data(make_app: MakeApp) -> None:
    app = make_app()
    chat = Chat(app, Platform.BALE, Person(7, "Sara", "Karimi"))
    await chat.to_review()
    await chat.submit()
    event = await app.events.save(
        None,
        {
            "title": "کارگاه",
            "description": "کارگاه داده‌های باز",
            "place": "تبریز",
            "starts_at": utcnow() + timedelta(days=3),
            "capacity": None,
        },
    )
    await chat.send(chat.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    for topic in ("waste", "transport"):
        await chat.feed(chat.person.press(SubscriptionCB(topic).pack()))
    shown = await chat.say("/privacy")
    for line in (
        # Names and the phone keep their own direction inside the Persian lines.
        "نام در پیام‌رسان: \u2068Sara Karimi\u2069",
        "نام و نام خانوادگی اعلام‌شده: \u2068Sara Karimi\u2069",
        "شمارهٔ تلفن: \u2066+989121234567\u2069",
        "ایده‌های ثبت‌شده: ۱",
        "ایدهٔ نیمه‌تمام: خیر",
        "اطلاعیه‌هایی که دریافت می‌کنید: ♻️ پسماند، 🚦 حمل‌ونقل و ترافیک",
        "رویدادهایی که در آن‌ها ثبت‌نام کرده‌اید: ۱",
    ):
        assert line in shown

    asked = await chat.say("/delete_my_data")
    assert asked.startswith("نام، شمارهٔ تلفن، موقعیت‌های مکانی و مشخصات شما، اطلاعیه‌هایی")
    await chat.feed(chat.person.press(PrivacyCB(False).pack()))
    [kept] = chat.sent("editMessageText")
    assert kept.text == "چیزی حذف نشد."
    async with chat.app.db.read() as session:
        assert len(await ideas.list_ideas(session, 1)) == 1

    await chat.through_to_title()  # an idea in progress is deleted too
    await chat.feed(chat.person.press(PrivacyCB(True).pack()))
    [done] = chat.sent("editMessageText")
    assert done.text == (
        "اطلاعات شما حذف شد. ایده‌های ثبت‌شدهٔ شما (۱ ایده) بدون نام شما نگه داشته می‌شوند."
    )

    async with chat.app.db.read() as session:
        user = await users.get_user_by_id(session, 1)
        assert user is not None
        assert (user.first_name, user.last_name) == ("", None)
        assert (user.full_name, user.phone) == (None, None)
        assert await ideas.list_ideas(session, 1) == []
        assert await drafts.get_draft(session, 1) is None
        assert await subscriptions.topics_of(session, 1) == set()
        assert await events.signups_of(session, 1) == set()
    async with chat.app.db.read() as session:
        [idea] = list(await session.scalars(select(Idea)))
        assert idea.user_id is None and idea.phone is None and idea.full_name is None
        assert idea.latitude is None and idea.title == "سطل‌های هوشمند"
        assert list(await session.scalars(select(Attachment))) == []
    assert (await chat.say("/my")).startswith("هنوز ایده‌ای ثبت نکرده‌اید.")
    # No announcement reaches them, and their reminders are gone.
    assert await app.broadcasts.size(Audience("all")) == {}
    assert (await app.events.get(event.id) or event).taken == 0
    # If they come back and choose again, they are reached like anyone.
    await chat.feed(chat.person.press(SubscriptionCB("events").pack()))
    assert await app.broadcasts.size(Audience("all")) == {"bale": 1}
    await chat.send(chat.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    async with app.db.read() as session:
        reminders = [r for r in await session.scalars(select(Outbox)) if r.kind == "reminder"]
    assert len(reminders) == 2
    # The names the messenger sends with every message are not kept again.
    assert "نام در پیام‌رسان: — (هیچ)" in await chat.say("/privacy")
