"""Calls, events, subscriptions, reminders and broadcasts, through the real Applications,
with a clock the tests move (never sleeps)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update

from bot.app import App, build_app
from bot.config import Settings
from bot.core.platforms import Platform
from bot.core.scoring import rubric_of
from bot.core.views import Audience, CallInfo, EventInfo, Plan, Profile, Signup
from bot.devtools.recording import Call, Person, recorded
from bot.ui.callbacks import (
    BroadcastAction,
    BroadcastCB,
    EventAction,
    EventCB,
    LanguageCB,
    ManageAction,
    ManageCB,
    StepAction,
    StepCB,
    SubscriptionCB,
)
from bot.ui.intake import AS_GENERAL
from storage import Database, drafts, ideas
from storage.models import Draft, Outbox, ProcessedUpdate, Subscription, User, utcnow
from tests.support.chat import PROBLEM, SOLUTION, Chat
from tests.support.clock import Clock

TEHRAN = ZoneInfo("Asia/Tehran")
# Thursday 5 Azar 1405, 12:00 in Tehran.
START = datetime(2026, 11, 26, 12, 0, tzinfo=TEHRAN).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(make_settings: Callable[..., Settings], any_db: Database, clock: Clock) -> App:
    """On SQLite and, when it answers, PostgreSQL."""
    settings = make_settings(staff="telegram:900:admin")
    return build_app(settings, any_db, clock=clock, connection=recorded)


def inbox(chats: tuple[Chat, ...], chat_id: int) -> list[str]:
    """What reached one chat (sent or edited), since each chat's last `clear`."""
    return [
        chat.shown(call)
        for chat in chats
        for call in chat.calls()
        if call.method in ("sendMessage", "editMessageText") and call.chat_id == chat_id
    ]


def buttons(call: Call) -> list[str]:
    return call.buttons()


async def new_call(app: App, clock: Clock, **fields: object) -> CallInfo:
    values: dict[str, object] = {
        "title": "فراخوان پسماند ۱۴۰۵",
        "description": "ایده‌هایی برای کاهش پسماند محله‌ها",
        "areas": ["waste"],
        "opens_at": clock.now - timedelta(days=1),
        "closes_at": clock.now + timedelta(days=10),
        "guidance": None,
    }
    return await app.calls.save(None, values | fields)


async def new_event(app: App, clock: Clock, **fields: object) -> EventInfo:
    values: dict[str, object] = {
        "title": "کارگاه شهر هوشمند",
        "description": "آشنایی با داده‌های باز شهری",
        "place": "تبریز، خیابان امام، ساختمان مرکز نوآوری",
        # Sunday 8 Azar 1405, 18:00 in Tehran.
        "starts_at": datetime(2026, 11, 29, 18, 0, tzinfo=TEHRAN).astimezone(UTC),
        "capacity": None,
    }
    return await app.events.save(None, values | fields)


async def user_id(chat: Chat) -> int:
    user = await chat.app.users.get(chat.bot.platform, chat.person.user_id)
    assert user is not None
    return user.id


async def outbox(app: App) -> list[Outbox]:
    async with app.db.read() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


# ----- calls -----
async def test_a_call_link_opens_the_intake_bound_to_the_call(app: App, clock: Clock) -> None:
    call = await new_call(app, clock)
    chat = Chat(app, Platform.TELEGRAM, Person(7, "Sara"))
    sent = await chat.feed(chat.person.text(f"/start call_{call.id}"))
    assert chat.shown(sent[0]).startswith("📣 ایدهٔ شما برای فراخوان «فراخوان پسماند ۱۴۰۵»")
    await chat.pick("persona", "citizen")
    # The call's area: its call step is answered by the link, and the title comes next.
    assert "یک عنوان کوتاه" in await chat.pick("area", "waste")
    draft = await chat.draft()
    assert draft is not None and draft.answers["call"] == str(call.id)


async def test_calls_are_listed_with_a_link_for_each_platform(app: App, clock: Clock) -> None:
    call = await new_call(app, clock)
    await new_call(app, clock, title="بسته", closes_at=clock.now - timedelta(hours=1))
    for platform, link in (
        (Platform.TELEGRAM, f"https://t.me/ideabot_bot?start=call_{call.id}"),
        (Platform.BALE, f"https://ble.ir/ideabot_bot?start=call_{call.id}"),
    ):
        chat = Chat(app, platform, Person(7, "Sara"))
        sent = await chat.feed(chat.person.text("/calls"))
        assert chat.shown(sent[0]) == "فراخوان‌های باز: ۱"
        [listing] = sent[1:]
        assert link in chat.shown(listing)
        assert "باز از ۴ آذر ۱۴۰۵، ۱۲:۰۰ تا ۱۵ آذر ۱۴۰۵، ۱۲:۰۰" in chat.shown(listing)
        assert buttons(listing) == ["💡 ثبت ایده برای این فراخوان"]


async def test_a_closed_call_is_refused_kindly(app: App, clock: Clock) -> None:
    call = await new_call(app, clock, closes_at=clock.now - timedelta(minutes=1))
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    text = await chat.say(f"/start call_{call.id}")
    assert text.startswith("فراخوان «فراخوان پسماند ۱۴۰۵» اکنون باز نیست.")
    assert chat.buttons() == ["💡 ثبت ایدهٔ آزاد"]
    assert await chat.draft() is None
    assert (await chat.say("/start call_999")).startswith("این فراخوان پیدا نشد.")


async def test_a_call_that_closes_while_writing_offers_a_general_idea(
    app: App, clock: Clock
) -> None:
    call = await new_call(app, clock)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    await chat.say(f"/start call_{call.id}")
    await chat.pick("persona", "citizen")
    await chat.pick("area", "waste")
    for text in ("سطل‌های هوشمند", PROBLEM, SOLUTION):
        await chat.say(text)
    await chat.press(StepAction.SKIP, "impact")
    await chat.pick("stage", "idea")
    await chat.say("۲")
    await chat.pick("attachments", "done")
    await chat.press(StepAction.SKIP, "location")
    await chat.pick("full_name", "profile")
    await chat.send(chat.person.contact("+989121234567"))
    await chat.pick("consent", "agree")
    clock.advance(days=11)  # the call closed meanwhile
    refused = await chat.submit()
    assert refused.startswith("فراخوان «فراخوان پسماند ۱۴۰۵» بسته شده و دیگر ایده نمی‌پذیرد.")
    assert chat.buttons() == ["📨 ارسال به صورت ایدهٔ آزاد", "✖️ انصراف"]
    assert await app.ideas.mine(await user_id(chat)) == ([], 0)  # nothing submitted
    draft_id = await chat.draft_id()
    receipt = await chat.press(StepAction.SUBMIT, AS_GENERAL, draft_id)
    assert receipt.startswith("✅")
    async with app.db.read() as session:
        [idea] = await ideas.list_ideas(session, await user_id(chat))
    assert idea.call_id is None


# ----- events -----
async def test_capacity_is_enforced(app: App, clock: Clock) -> None:
    event = await new_event(app, clock, capacity=1)
    first = Chat(app, Platform.TELEGRAM, Person(7, "Sara"))
    second = Chat(app, Platform.BALE, Person(8, "Reza"))
    listing = await first.feed(first.person.text("/events"))
    assert "جای خالی: ۱ از ۱" in first.shown(listing[1])
    join = EventCB(EventAction.JOIN, event.id).pack()
    assert (await first.send(first.person.press(join))).startswith("✅ ثبت‌نام شما انجام شد.")
    assert (await second.say("/events")).endswith("⛔️ تکمیل: هر ۱ جا پر شده است")
    assert second.buttons() == []  # a full event offers no sign-up
    assert (await second.send(second.person.press(join))) == "متأسفیم، ظرفیت این رویداد پر شده است."
    leave = EventCB(EventAction.LEAVE, event.id).pack()
    await first.send(first.person.press(leave))
    assert (await second.send(second.person.press(join))).startswith("✅")
    assert (await app.events.signup(event.id, await user_id(first)))[0] is Signup.FULL


async def test_attendees_are_reminded_24h_and_1h_before_in_their_language(
    app: App, clock: Clock
) -> None:
    event = await new_event(app, clock)
    persian = Chat(app, Platform.BALE, Person(7, "Sara"))
    english = Chat(app, Platform.TELEGRAM, Person(8, "John"))
    await english.say("/start")
    await english.feed(english.person.press(LanguageCB("en").pack()))
    join = EventCB(EventAction.JOIN, event.id).pack()
    for chat in (persian, english):
        await chat.send(chat.person.press(join))
        chat.clear()
    rows = [r for r in await outbox(app) if r.kind == "reminder"]
    assert sorted({r.due_at for r in rows}) == [
        event.starts_at - timedelta(hours=24),
        event.starts_at - timedelta(hours=1),
    ]
    # Nothing is due yet.
    assert await app.sender.drain(Platform.BALE) == 0
    clock.now = event.starts_at - timedelta(hours=24)
    await app.sender.drain(Platform.BALE)
    await app.sender.drain(Platform.TELEGRAM)
    [fa_text] = persian.texts()
    assert fa_text == (
        "⏰ یادآوری: «\u2068کارگاه شهر هوشمند\u2069» ۲۴ ساعت دیگر، در ۸ آذر ۱۴۰۵، ۱۸:۰۰، "
        "آغاز می‌شود.\nمکان: تبریز، خیابان امام، ساختمان مرکز نوآوری"
    )
    [en_text] = english.texts()
    assert "starts in 24 hours, on 8 Azar 1405, 18:00." in en_text
    clock.now = event.starts_at - timedelta(minutes=59)
    await app.sender.drain(Platform.BALE)
    assert "۱ ساعت" not in persian.texts()[-1]
    assert "یک ساعت دیگر" in persian.texts()[-1]
    assert len(persian.texts()) == 2


async def test_a_moved_event_replans_reminders_and_tells_attendees(app: App, clock: Clock) -> None:
    event = await new_event(app, clock)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    await chat.send(chat.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    later = event.starts_at + timedelta(days=2)
    await app.events.save(event.id, {"starts_at": later})
    await app.sender.drain(Platform.BALE)
    moved = chat.texts()[-1]
    assert moved.startswith("🗓 زمان «\u2068کارگاه شهر هوشمند\u2069» تغییر کرد")
    assert "به ۱۰ آذر ۱۴۰۵، ۱۸:۰۰" in moved
    pending = [r for r in await outbox(app) if r.kind == "reminder" and r.status == "pending"]
    assert sorted(r.due_at for r in pending) == [
        later - timedelta(hours=24),
        later - timedelta(hours=1),
    ]
    await app.events.cancel(event.id)
    await app.sender.drain(Platform.BALE)
    assert chat.texts()[-1].startswith("❌ «\u2068کارگاه شهر هوشمند\u2069» در ۱۰ آذر")
    assert not [r for r in await outbox(app) if r.kind == "reminder" and r.status == "pending"]


async def test_withdrawing_and_signing_up_again_brings_the_reminders_back(
    app: App, clock: Clock
) -> None:
    event = await new_event(app, clock)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    join = EventCB(EventAction.JOIN, event.id).pack()
    leave = EventCB(EventAction.LEAVE, event.id).pack()
    for press in (join, leave, join):
        await chat.send(chat.person.press(press))
    pending = [r for r in await outbox(app) if r.kind == "reminder" and r.status == "pending"]
    assert len(pending) == 2


async def test_a_new_place_is_told_and_the_reminders_say_it(app: App, clock: Clock) -> None:
    event = await new_event(app, clock)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    await chat.send(chat.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    await app.events.save(event.id, {"place": "برخط: https://meet.example/ideas"})
    await app.sender.drain(Platform.BALE)
    assert chat.texts()[-1].startswith("📍 مکان «\u2068کارگاه شهر هوشمند\u2069»")
    pending = [r for r in await outbox(app) if r.kind == "reminder" and r.status == "pending"]
    assert len(pending) == 2 and all("https://meet.example/ideas" in r.text for r in pending)


async def test_a_reminder_missed_while_down_is_recorded_not_sent_late(
    app: App, clock: Clock
) -> None:
    event = await new_event(app, clock)
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    await chat.send(chat.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    chat.clear()
    # Down from before the 24-hour reminder until 50 minutes before the start.
    clock.now = event.starts_at - timedelta(minutes=50)
    unknown, missed = await app.sender.sweep(timedelta(seconds=90), timedelta(hours=2))
    assert (unknown, missed) == (0, 1)
    await app.sender.drain(Platform.BALE)
    [late] = chat.texts()  # the 1-hour one, 10 minutes late: still true enough
    assert "یک ساعت دیگر" in late
    # Had it been down until 40 minutes before, "in one hour" would no longer be said.
    rows = [r for r in await outbox(app) if r.kind == "reminder"]
    assert {r.expires_at for r in rows} == {
        event.starts_at - timedelta(hours=18),
        event.starts_at - timedelta(minutes=45),
    }
    assert sorted(r.status for r in await outbox(app) if r.kind == "reminder") == [
        "missed",
        "sent",
    ]


# ----- subscriptions and broadcasts -----
async def test_settings_and_the_unsubscribe_button(app: App, clock: Clock) -> None:
    chat = Chat(app, Platform.TELEGRAM, Person(7, "Sara"))
    sent = await chat.feed(chat.person.text("/start"))
    assert len(sent) == 2
    me = await user_id(chat)
    assert await app.subscriptions.topics(me) == set()  # nothing until they choose
    assert await app.broadcasts.size(Audience("all")) == {}
    await chat.feed(chat.person.press(SubscriptionCB("smart_city").pack()))
    assert await app.subscriptions.topics(me) == {"smart_city"}
    [picker] = chat.sent("editMessageText")
    assert "✅ 📡 هوشمندسازی شهری" in buttons(picker)
    assert "▫️ ♻️ پسماند" in buttons(picker)
    await chat.feed(chat.person.press(SubscriptionCB("done").pack()))
    [saved] = chat.sent("editMessageText")
    assert chat.shown(saved).startswith("ذخیره شد.")
    assert len(await chat.feed(chat.person.text("/start"))) == 1  # chosen: not asked again
    assert await app.broadcasts.size(Audience("area", "waste")) == {}
    assert await app.broadcasts.size(Audience("area", "smart_city")) == {"telegram": 1}
    # The button under an announcement: unsubscribed from everything.
    text = await chat.send(chat.person.press(SubscriptionCB("stop").pack()))
    assert text.startswith("اشتراک شما لغو شد")
    assert await app.subscriptions.topics(me) == set()
    assert await app.broadcasts.size(Audience("all")) == {}


async def test_audience_filters(app: App, clock: Clock) -> None:
    call = await new_call(app, clock, areas=["smart_city"])
    event = await new_event(app, clock)
    sara = Chat(app, Platform.TELEGRAM, Person(7, "Sara"))
    reza = Chat(app, Platform.BALE, Person(8, "Reza"))
    nima = Chat(app, Platform.BALE, Person(9, "Nima"))
    await sara.to_review("company")
    await sara.submit()
    await sara.feed(sara.person.press(SubscriptionCB("all").pack()))
    await reza.say("/start")
    await reza.feed(
        reza.person.press(SubscriptionCB("waste").pack())
    )  # chose waste, never pressed Done
    await reza.send(reza.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    await nima.say("/start")
    await nima.send(nima.person.press(EventCB(EventAction.JOIN, event.id).pack()))
    await nima.feed(nima.person.press(SubscriptionCB("none").pack()))  # chose to receive nothing
    async with app.db.write() as session:
        [idea] = await ideas.list_ideas(session, await user_id(sara))
        idea.call_id = call.id
    cases = {
        Audience("all"): {"telegram": 1, "bale": 1},
        Audience("area", "waste"): {"telegram": 1, "bale": 1},
        Audience("persona", "company"): {"telegram": 1},
        Audience("persona", "citizen"): {},
        Audience("platform", "bale"): {"bale": 1},
        Audience("status", "submitted"): {"telegram": 1},
        Audience("event", str(event.id)): {"bale": 1},  # not Nima, who chose nothing
        Audience("call", str(call.id)): {"telegram": 1},
    }
    for audience, expected in cases.items():
        assert await app.broadcasts.size(audience) == expected, audience


async def test_a_scheduled_broadcast_cancelled_in_time_sends_nothing(
    app: App, clock: Clock
) -> None:
    reader = Chat(app, Platform.BALE, Person(8, "Reza"))
    await reader.say("/start")
    await reader.feed(reader.person.press(SubscriptionCB("all").pack()))
    reader.clear()
    plan = Plan("کارگاه فردا", Audience("all"), Platform.TELEGRAM)
    info = await app.broadcasts.create(plan, 900, "fa", clock.now + timedelta(hours=2))
    assert await app.broadcasts.cancel(info.id)
    clock.advance(hours=3)
    await app.reports.tick()
    await app.sender.drain(Platform.BALE)
    assert reader.texts() == []
    assert [r for r in await outbox(app) if r.kind == "broadcast"] == []
    assert not await app.broadcasts.cancel(info.id)


async def test_staff_compose_and_send_a_broadcast_from_the_chat(app: App, clock: Clock) -> None:
    staff = Chat(app, Platform.TELEGRAM, Person(900, "Nasrin"))
    readers = [
        Chat(app, Platform.BALE, Person(8, "Reza")),
        Chat(app, Platform.TELEGRAM, Person(9, "<b>Ali</b>")),
    ]
    for reader in readers:
        await reader.say("/start")
        await reader.feed(reader.person.press(SubscriptionCB("all").pack()))
        reader.clear()
    assert (await staff.say("/broadcast")).startswith("📢 متن اطلاعیه را بفرستید")
    assert (await staff.say("کارگاه <داده‌های باز> فردا ساعت ۱۰")) == "چه کسانی آن را دریافت کنند؟"
    sent = await staff.feed(
        staff.person.press(StepCB("broadcast", StepAction.PICK, "audience", "all").pack())
    )
    [preview, question] = [staff.shown(s) for s in sent]
    assert preview == (
        "پیش‌نمایش:\n\nکارگاه <داده‌های باز> فردا ساعت ۱۰\n\n"
        "برای انتخاب اطلاعیه‌هایی که دریافت می‌کنید، یا هیچ‌کدام: \u200e/settings"
    )
    assert question == "فرستاده شود؟"
    [summary] = staff.sent("editMessageText")
    assert "گیرندگان: ۲ (تلگرام ۱، بله ۱)" in staff.shown(summary)
    assert staff.buttons() == ["📤 ارسال اکنون", "🕒 زمان‌بندی", "👥 مخاطبان دیگر", "✖️ انصراف"]
    # Schedule, then think better of it: the same keyboard still sends it now.
    draft_id = await staff.draft_id("broadcast")
    schedule = StepCB("broadcast", StepAction.EDIT, "when", draft_id).pack()
    assert (await staff.send(staff.person.press(schedule))).startswith("چه زمانی فرستاده شود؟")
    send = StepCB("broadcast", StepAction.SUBMIT, "review", draft_id).pack()
    started = await staff.send(staff.person.press(send))
    assert started.startswith("📤 ارسال اطلاعیهٔ شمارهٔ ۱ آغاز شد")
    everyone = (staff, *readers)
    for chat in everyone:
        chat.clear()
    await app.reports.report()  # the first progress message
    assert inbox(everyone, 900)[-1].startswith("📤 اطلاعیهٔ شمارهٔ ۱ در حال ارسال است.")
    await app.sender.drain(Platform.BALE)
    await app.sender.drain(Platform.TELEGRAM)
    for reader in readers:
        [received] = inbox(everyone, reader.person.user_id)
        assert received.startswith("کارگاه <داده‌های باز> فردا ساعت ۱۰\n\n")
    [request] = readers[0].sent()
    assert buttons(request) == ["🔕 لغو اشتراک"]
    await app.reports.report()
    *_, progress, report = inbox(everyone, 900)
    assert progress.startswith("📤 اطلاعیهٔ شمارهٔ ۱ در حال ارسال است.\nفرستاده‌شده: ۲")
    assert report.startswith("✅ ارسال اطلاعیهٔ شمارهٔ ۱ به پایان رسید.\nگیرندگان: ۲\nرسیده: ۲")
    await app.reports.report()  # finished: nothing more to say
    assert inbox(everyone, 900)[-1] == report


async def test_a_deleted_progress_message_is_replaced_once_not_every_tick(
    app: App, clock: Clock
) -> None:
    staff = Chat(app, Platform.TELEGRAM, Person(900, "Nasrin"))
    reader = Chat(app, Platform.TELEGRAM, Person(9, "Ali"))
    await reader.say("/start")
    await reader.feed(reader.person.press(SubscriptionCB("all").pack()))
    plan = Plan("کارگاه فردا", Audience("all"), Platform.TELEGRAM)
    await app.broadcasts.create(plan, 900, "fa", None)
    await app.reports.tick()
    [shown] = staff.sent()
    staff.recorder.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    staff.clear()
    clock.advance(seconds=10)
    await app.reports.report()  # they deleted it: a new one is sent
    [anew] = staff.sent()
    assert staff.shown(anew).startswith("📤 اطلاعیهٔ شمارهٔ ۱ در حال ارسال است.")
    staff.clear()
    clock.advance(seconds=10)
    await app.reports.report()  # and it is the new one that is edited from now on
    assert staff.sent() == []
    [edited] = staff.sent("editMessageText")
    assert edited.params["message_id"] != shown.params.get("message_id")
    assert int(edited.params["message_id"]) == anew.result["message_id"]


async def test_staff_publish_a_call_from_the_chat(app: App, clock: Clock) -> None:
    staff = Chat(app, Platform.TELEGRAM, Person(900, "Nasrin"))
    assert (await staff.say("/newcall")) == "عنوان فراخوان چیست؟"
    assert (await staff.say("فراخوان حمل‌ونقل پاک")).startswith("فراخوان را شرح دهید")
    assert (await staff.say("کوتاه")).startswith("⚠️ متن کوتاه است (۵ نویسه از دست‌کم ۱۰ نویسه)")
    await staff.say("ایده‌هایی برای دوچرخه و پیاده‌راه در مرکز شهر")
    toggle = StepCB("call", StepAction.PICK, "areas", "transport").pack()
    await staff.feed(staff.person.press(toggle))
    [picked] = staff.sent("editMessageText")
    assert "✅ 🚦 حمل‌ونقل و ترافیک" in buttons(picked)
    nxt = StepCB("call", StepAction.PICK, "areas", "next").pack()
    assert (await staff.send(staff.person.press(nxt))).startswith("چه زمانی باز می‌شود؟")
    assert (await staff.say("فردا")).startswith("⚠️ این تاریخ و ساعت خوانا نیست.")
    await staff.say("۱۴۰۵/۰۹/۰۵ ۰۸:۰۰")
    assert (await staff.say("۱۴۰۵/۰۹/۰۱ ۰۸:۰۰")).startswith("⚠️ این زمان گذشته است")
    await staff.say("۱۴۰۵/۱۰/۰۵ ۲۳:۵۹")
    skip = StepCB("call", StepAction.SKIP, "guidance").pack()
    asked = await staff.send(staff.person.press(skip))
    assert asked.startswith("کارشناسان ایده‌های این فراخوان را چگونه امتیاز دهند؟")
    # The call's own rubric: a criterion per line, a weight after a colon.
    refused = await staff.say("نوآوری: ۲۰")
    assert refused.startswith("⚠️ در هر خط یک معیار بنویسید، حداکثر ۶ معیار")
    preview = await staff.say("نوآوری\nاثر برای شهر: ۱٫۵")
    assert preview.startswith("بررسی و ذخیره\nعنوان: فراخوان حمل‌ونقل پاک")
    assert "معیارهای امتیازدهی: \nنوآوری: ۱\nاثر برای شهر: ۱.۵" in preview
    save = StepCB("call", StepAction.SUBMIT, "review", await staff.draft_id("call")).pack()
    saved = await staff.send(staff.person.press(save))
    assert saved.startswith("💾 ذخیره شد.")
    [call] = await app.calls.listing()
    assert call.title == "فراخوان حمل‌ونقل پاک" and call.areas == ("transport",)
    assert call.closes_at == datetime(2026, 12, 26, 23, 59, tzinfo=TEHRAN).astimezone(UTC)
    criteria = rubric_of(call.rubric)
    assert [(c.name, c.weight) for c in criteria] == [("نوآوری", 1.0), ("اثر برای شهر", 1.5)]


async def test_a_gregorian_date_is_read_as_gregorian_and_checked_in_both_calendars(
    app: App, clock: Clock
) -> None:
    staff = Chat(app, Platform.TELEGRAM, Person(900, "Nasrin"))
    await staff.say("/newcall")
    await staff.say("فراخوان حمل‌ونقل پاک")
    await staff.say("ایده‌هایی برای دوچرخه و پیاده‌راه در مرکز شهر")
    await staff.feed(staff.person.press(StepCB("call", StepAction.PICK, "areas", "waste").pack()))
    await staff.send(staff.person.press(StepCB("call", StepAction.PICK, "areas", "next").pack()))
    await staff.say("2026-11-27 08:00")  # once read as Jalali: the year 2026 of that calendar
    closes = await staff.say("2026-12-20 23:59")
    assert closes.startswith("راهنمایی برای متقاضیان")
    await staff.send(staff.person.press(StepCB("call", StepAction.SKIP, "guidance").pack()))
    review = await staff.send(staff.person.press(StepCB("call", StepAction.SKIP, "rubric").pack()))
    assert "۶ آذر ۱۴۰۵، ۰۸:۰۰ (\u2066۲۰۲۶-۱۱-۲۷\u2069)" in review
    assert "۲۹ آذر ۱۴۰۵، ۲۳:۵۹ (\u2066۲۰۲۶-۱۲-۲۰\u2069)" in review
    # Every answer can be changed from the review, and every step has a way back.
    draft = await staff.draft_id("call")
    edit = StepCB("call", StepAction.EDIT, "closes_at", draft).pack()
    asked = await staff.feed(staff.person.press(edit))
    assert "↩️ بازگشت" in asked[-1].buttons()
    assert staff.shown(asked[-1]).endswith("پاسخ فعلی: ۲۹ آذر ۱۴۰۵، ۲۳:۵۹ (\u2066۲۰۲۶-۱۲-۲۰\u2069)")
    await staff.say("1405/10/05 23:59")
    save = StepCB("call", StepAction.SUBMIT, "review", draft).pack()
    assert (await staff.send(staff.person.press(save))).startswith("💾 ذخیره شد.")
    [call] = await app.calls.recent()  # it opens tomorrow
    assert call.opens_at == datetime(2026, 11, 27, 8, 0, tzinfo=TEHRAN).astimezone(UTC)
    assert call.closes_at == datetime(2026, 12, 26, 23, 59, tzinfo=TEHRAN).astimezone(UTC)


@pytest.mark.parametrize(
    "update",
    [
        "/newcall",
        "/newevent",
        "/broadcast",
        ManageCB(ManageAction.CALLS).pack(),
        ManageCB(ManageAction.CLOSE_CALL, id=1).pack(),
        ManageCB(ManageAction.CANCEL_EVENT_YES, id=1).pack(),
        StepCB("broadcast", StepAction.SUBMIT, "review", "1").pack(),
        BroadcastCB(BroadcastAction.UNSCHEDULE, id=1).pack(),
    ],
)
async def test_staff_outreach_is_refused_to_others(app: App, clock: Clock, update: str) -> None:
    event = await new_event(app, clock)
    assert event.id == 1
    chat = Chat(app, Platform.BALE, Person(7, "Sara"))
    sent = update if update.startswith("/") else None
    reply = await (chat.say(sent) if sent else chat.send(chat.person.press(update)))
    assert reply == "این فرمان در دسترس نیست."
    assert not (await app.events.get(1) or event).cancelled


async def test_deadline_reminders_and_the_weekly_digest(app: App, clock: Clock) -> None:
    await new_call(app, clock, closes_at=clock.now + timedelta(days=5))
    waiting = Chat(app, Platform.BALE, Person(8, "Reza"))
    other_area = Chat(app, Platform.BALE, Person(9, "Nima"))
    for chat in (waiting, other_area):
        await chat.say("/start")
    await waiting.feed(waiting.person.press(SubscriptionCB("waste").pack()))
    await waiting.feed(waiting.person.press(SubscriptionCB("calls").pack()))
    await other_area.feed(other_area.person.press(SubscriptionCB("transport").pack()))
    await other_area.feed(other_area.person.press(SubscriptionCB("events").pack()))
    for chat in (waiting, other_area):
        chat.clear()
    assert await app.reminders.call_deadlines() == 0  # 5 days before: not yet
    clock.advance(days=2, minutes=1)
    assert await app.reminders.call_deadlines() == 1
    assert await app.reminders.call_deadlines() == 0  # written once
    await app.sender.drain(Platform.BALE)
    [reminder] = inbox((waiting, other_area), 8)
    assert reminder.startswith("⏳ مهلت ارسال فراخوان «\u2068فراخوان پسماند ۱۴۰۵\u2069» ۳ روز دیگر")
    assert inbox((waiting, other_area), 9) == []
    # The digest: the call is new this week, for who follows calls (not events only);
    # without anything new, nothing is sent.
    assert await app.reminders.weekly_digest() == 1
    clock.advance(days=8)
    assert await app.reminders.weekly_digest() == 0


async def test_a_deadline_reaches_a_large_audience_in_a_few_statements(
    app: App, clock: Clock
) -> None:
    """Twelve hundred subscribers on both platforms and in two languages: each gets one
    reminder in their own, and the rows are written a thousand to a statement (one
    statement per person would hold the database for seconds)."""
    await new_call(app, clock, closes_at=clock.now + timedelta(days=5))
    people = 1200
    async with app.db.write() as session:
        session.add_all(
            User(
                id=10_000 + n,
                platform=("bale", "telegram")[n % 2],
                platform_user_id=n,
                chat_id=n,
                locale=(None, "en")[n % 3 == 0],
            )
            for n in range(people)
        )
        await session.flush()
        session.add_all(Subscription(user_id=10_000 + n, topic="waste") for n in range(people))
    clock.advance(days=2, minutes=1)  # three days before the deadline
    inserts: list[str] = []

    def on_statement(_c: object, _r: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            inserts.append(statement)

    engine = app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        assert await app.reminders.call_deadlines() == people
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    assert len(inserts) == 2
    assert await app.reminders.call_deadlines() == 0  # written once
    rows = {r.chat_id: r for r in await outbox(app) if r.kind == "deadline"}
    assert len(rows) == people
    assert rows[1].platform == "telegram" and rows[2].platform == "bale"
    assert rows[1].text.startswith("⏳ مهلت ارسال فراخوان")
    assert rows[2].text == rows[1].text
    assert rows[3].text.startswith("⏳ The call for proposals") and rows[6].text == rows[3].text


async def test_followers_of_calls_are_told_when_one_opens(app: App, clock: Clock) -> None:
    follower = Chat(app, Platform.TELEGRAM, Person(8, "Reza"))
    other = Chat(app, Platform.TELEGRAM, Person(9, "Nima"))
    await follower.say("/start")
    await follower.feed(follower.person.press(SubscriptionCB("calls").pack()))
    await other.say("/start")
    await other.feed(other.person.press(SubscriptionCB("events").pack()))
    await new_call(app, clock, opens_at=clock.now + timedelta(hours=1))
    grace = timedelta(hours=2)
    assert await app.reminders.call_openings(grace) == 0  # not open yet
    clock.advance(hours=1, minutes=1)
    assert await app.reminders.call_openings(grace) == 1
    assert await app.reminders.call_openings(grace) == 0  # once
    follower.clear()
    await app.sender.drain(Platform.TELEGRAM)
    [told] = follower.sent()
    assert follower.shown(told).startswith(
        "📣 فراخوان تازه‌ای باز شد: «\u2068فراخوان پسماند ۱۴۰۵\u2069»"
    )
    assert buttons(told) == ["💡 ثبت ایده برای این فراخوان", "🔕 لغو اشتراک"]
    assert told.chat_id == 8
    # A call saved with an opening time already past is news all the same…
    await new_call(app, clock, title="دیرهنگام", opens_at=clock.now - timedelta(days=3))
    assert await app.reminders.call_openings(grace) == 1
    # …but one that opened while no clock ran, longer than the grace ago, is not told late.
    await new_call(app, clock, title="قدیمی", opens_at=clock.now + timedelta(minutes=5))
    clock.advance(hours=3)
    assert await app.reminders.call_openings(grace) == 0


async def test_one_nudge_for_a_forgotten_draft(app: App, clock: Clock) -> None:
    chat = Chat(app, Platform.BALE, Person(8, "Reza"))
    await chat.through_to_title()
    async with app.db.write() as session:
        draft = await drafts.get_draft(session, await user_id(chat))
        assert draft is not None
        untouched = clock.now - timedelta(days=3)
        await session.execute(
            update(Draft).where(Draft.id == draft.id).values(updated_at=untouched)
        )
    chat.clear()
    assert await app.reminders.draft_nudges() == 1
    assert await app.reminders.draft_nudges() == 0
    await app.sender.drain(Platform.BALE)
    assert chat.texts()[0].startswith("✏️ ایدهٔ شما منتظر شماست")


def test_the_clock_has_its_jobs_and_catches_up_a_digest_missed_at_restart(
    make_settings: Callable[..., Settings], db: Database
) -> None:
    from scheduler import Jobs, build_scheduler

    now = datetime.now(TEHRAN)
    missed_at = now - timedelta(minutes=5)
    just_missed = f"{missed_at:%a} {missed_at:%H:%M}".lower()
    settings = make_settings(digest=just_missed)
    app = build_app(settings, db, connection=recorded)
    jobs = {job.id for job in build_scheduler(app.duties(), settings, Jobs()).get_jobs()}
    assert jobs == {
        "wake-senders",
        "broadcasts",
        "sweep",
        "call-deadlines",
        "call-openings",
        "draft-nudges",
        "weekly-digest",
        "weekly-digest-catch-up",
        "staff-summaries",
        "prune",
    }
    ahead = now + timedelta(hours=3)
    later = f"{ahead:%a} {ahead:%H:%M}".lower()
    settings = make_settings(digest=later, draft_nudge="off")
    app = build_app(settings, db, connection=recorded)
    jobs = {job.id for job in build_scheduler(app.duties(), settings, Jobs()).get_jobs()}
    assert "weekly-digest-catch-up" not in jobs and "draft-nudges" not in jobs


async def test_the_clock_prunes_old_update_ids_and_drafts_while_it_runs(
    make_settings: Callable[..., Settings], db: Database
) -> None:
    """Not only at start: a process that runs for months stays bounded."""
    from scheduler import PRUNE_EVERY, Jobs, build_scheduler

    settings = make_settings(draft_ttl_days=30, processed_updates_keep_days=7)
    app = build_app(settings, db, connection=recorded)
    [prune] = [
        j for j in build_scheduler(app.duties(), settings, Jobs()).get_jobs() if j.id == "prune"
    ]
    assert prune.trigger.interval == PRUNE_EVERY
    await app.users.handled((Platform.TELEGRAM, 1, 1, "old"))
    await app.users.handled((Platform.TELEGRAM, 1, 2, "new"))
    user = await app.users.visit(Profile(Platform.TELEGRAM, 5, 5, "Sara", None, None))
    await app.conversations.begin(user.id, "intake")
    long_ago = utcnow() - timedelta(days=31)
    async with db.write() as session:
        await session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.update_id == 1)
            .values(processed_at=long_ago)
        )
        await session.execute(update(Draft).values(updated_at=long_ago))
    await prune.func()
    async with db.read() as session:
        ids = set(await session.scalars(select(ProcessedUpdate.update_id)))
        drafts_left = list(await session.scalars(select(Draft.id)))
    assert ids == {2} and drafts_left == []
