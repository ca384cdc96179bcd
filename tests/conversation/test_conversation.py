"""The first conversation, through the real Applications, with every request recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.app import App
from bot.core.platforms import Platform
from bot.devtools.fakeapi import bale_to_text, html_to_text
from bot.devtools.recording import Call, Person
from bot.ui.callbacks import LanguageCB, MenuAction, MenuCB
from bot.ui.commands import STAFF_COMMANDS
from storage.models import User
from tests.support.chat import Chat

MakeApp = Callable[..., App]


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE])
def platform(request: pytest.FixtureRequest) -> Platform:
    return request.param  # type: ignore[no-any-return]


def buttons(call: Call) -> list[str]:
    return call.buttons()


async def test_start_welcomes_in_persian_with_the_built_menu(
    make_app: MakeApp, platform: Platform
) -> None:
    chat = Chat(make_app(), platform, Person(5, "Sara"))
    [reply, picker] = await chat.feed(chat.person.text("/start"))
    text = chat.shown(reply)
    assert text.startswith("سلام Sara!")
    for words in (
        "مرکز نوآوری و فناوری شهرداری تبریز",
        "پسماند",
        "حمل‌ونقل و ترافیک",
        "زیباسازی شهری",
        "هوشمندسازی شهری",
    ):
        assert words in text
    # Only features that exist are offered.
    assert buttons(reply) == [
        "💡 ثبت ایده",
        "📋 پیگیری ایده‌های من",
        "📣 فراخوان‌ها",
        "🗓 رویدادها",
        "ℹ️ دربارهٔ مرکز",
        "⚙️ تنظیمات",
    ]
    # A newcomer chooses which announcements they want: none until they do.
    assert chat.shown(picker).startswith("مایلید چه اطلاعیه‌هایی از مرکز دریافت کنید؟")
    assert buttons(picker)[0] == "▫️ ♻️ پسماند"
    assert buttons(picker)[-3:] == ["✅ همه", "🔕 هیچ‌کدام", "✔️ پایان"]


async def test_bale_gets_no_parse_mode_and_names_exactly_as_typed(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5, "<b>*Sara*</b> & co"))
    reply = (await chat.feed(chat.person.text("/start")))[0]
    assert reply.parse_mode is None
    shown, entities = bale_to_text(reply.text)
    assert shown.startswith("سلام <b>*Sara*</b> & co!") and entities == []
    assert "<b>" not in shown.replace("<b>*Sara*</b>", "")


async def test_telegram_escapes_names(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.TELEGRAM, Person(5, "<i>Sara</i> & co"))
    reply = (await chat.feed(chat.person.text("/start")))[0]
    assert reply.parse_mode == "HTML"
    assert html_to_text(reply.text).startswith("سلام <i>Sara</i> & co!")


async def test_language_choice_is_kept_across_a_restart(
    make_app: MakeApp, platform: Platform
) -> None:
    person = Person(5)
    chat = Chat(make_app(), platform, person)
    await chat.say("/language")
    assert chat.buttons() == ["فارسی", "English"]
    await chat.feed(person.press(LanguageCB("en").pack()))
    [edit] = chat.sent("editMessageText")
    assert chat.shown(edit) == "Done: the bot now speaks English."
    assert buttons(edit) == [
        "💡 Submit an idea",
        "📋 My ideas",
        "📣 Calls for proposals",
        "🗓 Events",
        "ℹ️ About the center",
        "⚙️ Settings",
    ]

    restarted = Chat(make_app(), platform, person)  # a new app over the same database
    [welcome, *_] = await restarted.feed(person.text("/start"))
    assert restarted.shown(welcome).startswith("Hello Sara!")
    await restarted.feed(person.press(LanguageCB("fa").pack()))
    assert restarted.shown(restarted.sent("editMessageText")[-1]) == (
        "انجام شد: زبان ربات اکنون فارسی است."
    )


async def test_a_redelivered_update_is_handled_once(make_app: MakeApp, platform: Platform) -> None:
    chat = Chat(make_app(), platform, Person(5))
    update = chat.person.text("/start")
    assert len(await chat.feed(update)) == 2  # the welcome and the announcements picker
    assert await chat.feed(update) == []
    again = Chat(make_app(), platform, chat.person)  # even after a restart
    assert await again.feed(update) == []


async def test_default_locale_english(make_app: MakeApp) -> None:
    chat = Chat(make_app(default_locale="en"), Platform.BALE, Person(5))
    assert (await chat.feed(chat.person.text("/start")))[0].text.startswith("Hello Sara!")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/help", "راهنمای ربات"),
        ("/cancel", "کاری برای لغو در جریان نیست."),
        ("سلام", "متوجه نشدم."),
        ("/unknown", "متوجه نشدم."),
        ("/admin", "این فرمان در دسترس نیست."),
    ],
)
async def test_every_input_gets_an_answer_and_the_menu(
    make_app: MakeApp, platform: Platform, text: str, expected: str
) -> None:
    chat = Chat(make_app(), platform, Person(5))
    await chat.say("/start")
    [reply] = await chat.feed(chat.person.text(text))
    assert chat.shown(reply).startswith(expected)
    assert "⚙️ تنظیمات" in buttons(reply)


async def test_a_newcomers_first_message_gets_the_welcome(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5))
    assert (await chat.say("سلام")).startswith("سلام Sara! 👋")


async def test_a_location_or_contact_out_of_context_gets_the_hint(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5))
    await chat.say("/start")
    for update in (chat.person.location(38.08, 46.29), chat.person.contact("09121234567")):
        assert (await chat.send(update)).split(".")[0] == "متوجه نشدم"


async def test_menu_about_and_settings(make_app: MakeApp, platform: Platform) -> None:
    chat = Chat(make_app(), platform, Person(5))
    assert "فضای کار اشتراکی" in await chat.press_data(MenuCB(MenuAction.ABOUT).pack())
    assert "زبان: فارسی" in await chat.press_data(MenuCB(MenuAction.SETTINGS).pack())


async def test_menu_buttons_pressed_again_answer_again(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.TELEGRAM, Person(5))
    for _ in range(2):
        assert "فضای کار اشتراکی" in await chat.press_data(MenuCB(MenuAction.ABOUT).pack())


async def test_stale_and_forged_buttons_are_answered(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5))
    assert (await chat.press_data("menu1:launch_missiles")).startswith("این دکمه دیگر فعال نیست.")
    assert (await chat.press_data("menu:about")).startswith("این دکمه دیگر فعال نیست.")  # old
    await chat.feed(chat.person.press(LanguageCB("de").pack()))
    assert chat.last_text() == "این زبان در دسترس نیست."
    assert len(chat.recorder.sent("answerCallbackQuery")) == 3


async def test_a_refused_callback_answer_does_not_break_the_handler(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5))
    chat.recorder.fail_next("answerCallbackQuery", 400, "Bad Request: old client")
    assert "فضای کار اشتراکی" in await chat.press_data(MenuCB(MenuAction.ABOUT).pack())


async def test_a_failure_is_told_to_the_person(make_app: MakeApp) -> None:
    app = make_app()
    chat = Chat(app, Platform.TELEGRAM, Person(5))

    async def boom(user_id: int) -> set[str]:
        raise RuntimeError("boom")

    app.subscriptions.topics = boom  # type: ignore[method-assign]
    await chat.feed(chat.person.text("/start"))
    assert chat.shown(chat.sent()[-1]).startswith("متأسفیم، مشکلی در سمت ما پیش آمد.")
    assert len(chat.sent()) == 1  # nothing of the failed turn was said


async def test_a_refused_reply_is_followed_by_the_apology(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.TELEGRAM, Person(5))
    chat.recorder.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    await chat.feed(chat.person.text("/help"))
    assert chat.shown(chat.sent()[-1]).startswith("متأسفیم، مشکلی در سمت ما پیش آمد.")


@pytest.mark.parametrize(
    ("platform", "status", "description"),
    [
        (Platform.TELEGRAM, 403, "Forbidden: bot was blocked by the user"),
        (Platform.BALE, 400, "Bad Request: bot is blocked by user"),
    ],
)
async def test_a_person_who_blocked_the_bot_is_marked_so_from_a_reply(
    make_app: MakeApp,
    platform: Platform,
    status: int,
    description: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    app = make_app()
    chat = Chat(app, platform, Person(5))
    await chat.say("/start")
    chat.recorder.fail_next("sendMessage", status, description)
    await chat.feed(chat.person.text("/help"))
    [refused] = chat.sent()  # and no apology to someone who cannot read it
    assert refused.result is None
    async with app.db.read() as session:
        blocked = await session.scalar(select(User.blocked).where(User.platform_user_id == 5))
    assert blocked is True
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_failure_before_the_person_is_known_is_told_too(make_app: MakeApp) -> None:
    app = make_app()
    chat = Chat(app, Platform.BALE, Person(5))

    async def unavailable(
        update_key: tuple[Platform, int, int, str], replies: object = None
    ) -> bool:
        raise OSError("the database is unreachable")

    app.users.handled = unavailable  # type: ignore[method-assign]  # the turn's first step
    await chat.feed(chat.person.text("/start"))
    assert chat.shown(chat.sent()[-1]).startswith("متأسفیم، مشکلی در سمت ما پیش آمد.")


async def test_staff_see_their_role(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:5:admin,bale:6")
    telegram = Chat(app, Platform.TELEGRAM, Person(5))
    bale = Chat(app, Platform.BALE, Person(6))
    stranger = Chat(app, Platform.BALE, Person(5))  # 5 is staff on Telegram only
    assert "نقش شما: مدیر" in await telegram.say("/admin")
    assert (await bale.say("/admin")).startswith("پنل کارکنان\nنقش شما: کارشناس")
    assert (await stranger.say("/admin")) == "این فرمان در دسترس نیست."


async def test_commands_are_registered_on_telegram_in_both_languages(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:5:admin")
    chat = Chat(app, Platform.TELEGRAM, Person(5))
    await app.on_connect(chat.connection)
    calls = chat.recorder.sent("setMyCommands")
    by_language = {
        c.params.get("language_code"): [x["command"] for x in c.params["commands"]]
        for c in calls
        if c.params["scope"]["type"] == "default"
    }
    expected = [
        "start",
        "new",
        "my",
        "track",
        "calls",
        "events",
        "settings",
        "privacy",
        "help",
        "language",
        "cancel",
    ]
    assert by_language == {None: expected, "en": expected}
    assert calls[0].params["commands"][0]["description"] == "شروع و منوی اصلی"
    staff_calls = [c for c in calls if c.params["scope"]["type"] == "chat"]
    staff_only = [name for name, _text in STAFF_COMMANDS]
    assert staff_only[0] == "admin"
    assert [x["command"] for x in staff_calls[0].params["commands"]] == expected + staff_only


async def test_a_refused_set_my_commands_is_ignored(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_app()
    chat = Chat(app, Platform.BALE, Person(5))
    for _ in range(3):
        chat.recorder.fail_next("setMyCommands", 404, "Not Found")
        await app.on_connect(chat.connection)
    assert len([r for r in caplog.records if "setMyCommands" in r.getMessage()]) == 1


async def test_the_command_menu_follows_the_chosen_language(make_app: MakeApp) -> None:
    chat = Chat(make_app(), Platform.TELEGRAM, Person(5))
    await chat.feed(chat.person.press(LanguageCB("en").pack()))
    [menu] = chat.recorder.sent("setMyCommands")
    assert menu.params["scope"] == {"type": "chat", "chat_id": 5}
    assert menu.params["commands"][0]["description"] == "Welcome and main menu"
    assert "admin" not in [c["command"] for c in menu.params["commands"]]


# ----- shapes the framework, or our handlers, did not expect -----
def without_from(person: Person, text: str) -> dict[str, object]:
    message = person.message(text=text)
    del message["from"]
    return person.update(message=message)


@pytest.mark.parametrize("platform", list(Platform))
async def test_a_message_without_from_is_answered_as_its_chat(
    make_app: MakeApp, platform: Platform
) -> None:
    chat = Chat(make_app(), platform, Person(5, "Sara"))
    welcome = await chat.feed(without_from(chat.person, "/start"))
    assert chat.shown(welcome[0]).startswith("سلام Sara")
    assert (await chat.send(without_from(chat.person, "/my"))).startswith("هنوز ایده‌ای")
    asked = await chat.send(without_from(chat.person, "/track"))
    assert "کد رهگیری" in asked and "متأسفیم" not in asked


@pytest.mark.parametrize(
    "content",
    [
        {"poll": {"id": "1"}},  # a poll without what the framework requires
        {"dice": {"emoji": "🎲"}},  # a dice without its value
        {"text": {"not": "a string"}},
        {"location": {"latitude": "north"}},
        {"photo": [{"file_id": "p"}]},  # sizes without their ids and dimensions
    ],
    ids=["poll", "dice", "text", "location", "photo"],
)
async def test_a_message_of_a_shape_the_framework_refuses_is_still_answered(
    make_app: MakeApp, content: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    chat = Chat(make_app(), Platform.BALE, Person(5))
    await chat.say("/start")
    answer = await chat.send(chat.person.update(message=chat.person.message(**content)))
    assert answer.startswith("متوجه نشدم")
    assert "Traceback" not in caplog.text


async def test_a_button_whose_message_is_gone_gets_a_new_one(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    chat = Chat(make_app(), Platform.TELEGRAM, Person(5))
    await chat.say("/start")
    chat.recorder.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    sent = await chat.feed(chat.person.press(LanguageCB("en").pack(), message_text="زبان؟"))
    assert chat.shown(sent[-1]).startswith("Done: the bot now speaks English.")
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
