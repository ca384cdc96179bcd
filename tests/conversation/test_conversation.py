"""The first conversation, through the real Dispatcher with a recording bot session."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, SetMyCommands

from bot.app import App
from bot.bots import IdeaBot
from bot.commands import STAFF_COMMANDS
from bot.fakeapi import html_to_text
from bot.keyboards import LanguageCB, MenuAction, MenuCB
from bot.platforms import Platform
from bot.testing import FakePerson, recording_bot

MakeApp = Callable[..., App]


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE])
def platform(request: pytest.FixtureRequest) -> Platform:
    return request.param  # type: ignore[no-any-return]


def shown(bot: IdeaBot, text: str) -> str:
    """What the person's client shows for a text the bot sent."""
    return html_to_text(text) if bot.profile.html else text


def buttons(request: SendMessage | EditMessageText) -> list[str]:
    markup = request.reply_markup
    assert markup is not None and hasattr(markup, "inline_keyboard")
    return [b.text for row in markup.inline_keyboard for b in row]


async def test_start_welcomes_in_persian_with_the_built_menu(
    make_app: MakeApp, platform: Platform
) -> None:
    app = make_app()
    bot, session = recording_bot(platform)
    await app.dispatcher.feed_update(bot, Person(5, "Sara").text("/start"))
    [reply, picker] = session.sent(SendMessage)
    text = shown(bot, reply.text)
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
    assert shown(bot, picker.text).startswith("مایلید چه اطلاعیه‌هایی از مرکز دریافت کنید؟")
    assert buttons(picker)[0] == "▫️ ♻️ پسماند"
    assert buttons(picker)[-3:] == ["✅ همه", "🔕 هیچ‌کدام", "✔️ پایان"]


async def test_bale_gets_no_parse_mode_and_names_exactly_as_typed(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    await app.dispatcher.feed_update(bot, Person(5, "<b>*Sara*</b> & co").text("/start"))
    reply = session.sent(SendMessage)[0]
    assert bot.session.prepare_value(reply.parse_mode, bot, {}) is None
    assert reply.text.startswith("سلام <b>*Sara*</b> & co!")
    assert "<b>" not in reply.text.replace("<b>*Sara*</b>", "")


async def test_telegram_escapes_names(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.TELEGRAM)
    await app.dispatcher.feed_update(bot, Person(5, "<i>Sara</i> & co").text("/start"))
    reply = session.sent(SendMessage)[0]
    assert bot.session.prepare_value(reply.parse_mode, bot, {}) == "HTML"
    assert html_to_text(reply.text).startswith("سلام <i>Sara</i> & co!")


async def test_language_choice_is_kept_across_a_restart(
    make_app: MakeApp, platform: Platform
) -> None:
    person = Person(5)
    app = make_app()
    bot, session = recording_bot(platform)
    await app.dispatcher.feed_update(bot, person.text("/language"))
    assert buttons(session.sent(SendMessage)[-1]) == ["فارسی", "English"]
    await app.dispatcher.feed_update(bot, person.press(LanguageCB("en").pack()))
    [edit] = session.sent(EditMessageText)
    assert shown(bot, edit.text) == "Done: the bot now speaks English."
    assert buttons(edit) == [
        "💡 Submit an idea",
        "📋 My ideas",
        "📣 Calls for proposals",
        "🗓 Events",
        "ℹ️ About the center",
        "⚙️ Settings",
    ]

    restarted = make_app()  # a new Dispatcher over the same database
    bot2, session2 = recording_bot(platform)
    await restarted.dispatcher.feed_update(bot2, person.text("/start"))
    assert shown(bot2, session2.sent(SendMessage)[0].text).startswith("Hello Sara!")

    await restarted.dispatcher.feed_update(bot2, person.press(LanguageCB("fa").pack()))
    assert shown(bot2, session2.last_text()) == "انجام شد: زبان ربات اکنون فارسی است."


async def test_a_redelivered_update_is_handled_once(make_app: MakeApp, platform: Platform) -> None:
    app = make_app()
    bot, session = recording_bot(platform)
    update = Person(5).text("/start")
    await app.dispatcher.feed_update(bot, update)
    await app.dispatcher.feed_update(bot, update)
    await make_app().dispatcher.feed_update(bot, update)  # even after a restart
    assert len(session.sent(SendMessage)) == 2  # the welcome and the announcements picker


async def test_default_locale_english(make_app: MakeApp) -> None:
    app = make_app(default_locale="en")
    bot, session = recording_bot(Platform.BALE)
    await app.dispatcher.feed_update(bot, Person(5).text("/start"))
    assert session.sent(SendMessage)[0].text.startswith("Hello Sara!")


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
    app = make_app()
    bot, session = recording_bot(platform)
    person = Person(5)
    await app.dispatcher.feed_update(bot, person.text("/start"))
    session.clear()
    await app.dispatcher.feed_update(bot, person.text(text))
    [reply] = session.sent(SendMessage)
    assert shown(bot, reply.text).startswith(expected)
    assert "⚙️ تنظیمات" in buttons(reply)


async def test_a_newcomers_first_message_gets_the_welcome(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    await app.dispatcher.feed_update(bot, Person(5).text("سلام"))
    assert session.last_text().startswith("سلام Sara! 👋")


async def test_a_location_or_contact_out_of_context_gets_the_hint(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    person = Person(5)
    await app.dispatcher.feed_update(bot, person.text("/start"))
    session.clear()
    await app.dispatcher.feed_update(bot, person.location(38.08, 46.29))
    await app.dispatcher.feed_update(bot, person.contact("09121234567"))
    assert [t.split(".")[0] for t in session.texts()] == ["متوجه نشدم"] * 2


async def test_menu_about_and_settings(make_app: MakeApp, platform: Platform) -> None:
    app = make_app()
    bot, session = recording_bot(platform)
    person = Person(5)
    await app.dispatcher.feed_update(bot, person.press(MenuCB(MenuAction.ABOUT).pack()))
    assert "فضای کار اشتراکی" in shown(bot, session.last_text())
    await app.dispatcher.feed_update(bot, person.press(MenuCB(MenuAction.SETTINGS).pack()))
    assert "زبان: فارسی" in shown(bot, session.last_text())


async def test_menu_buttons_pressed_again_answer_again(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.TELEGRAM)
    person = Person(5)
    for _ in range(2):
        await app.dispatcher.feed_update(bot, person.press(MenuCB(MenuAction.ABOUT).pack()))
    texts = [html_to_text(t) for t in session.texts()]
    assert len(texts) == 2 and all("فضای کار اشتراکی" in t for t in texts)


async def test_stale_and_forged_buttons_are_answered(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    person = Person(5)
    await app.dispatcher.feed_update(bot, person.press("menu:launch_missiles"))
    assert session.last_text().startswith("این دکمه دیگر فعال نیست.")
    await app.dispatcher.feed_update(bot, person.press(LanguageCB("de").pack()))
    assert session.last_text() == "این زبان در دسترس نیست."
    assert len(session.sent(AnswerCallbackQuery)) == 2


async def test_a_refused_callback_answer_does_not_break_the_handler(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    session.fail_next(
        "answerCallbackQuery",
        TelegramBadRequest(method=AnswerCallbackQuery(callback_query_id="1"), message="old client"),
    )
    await app.dispatcher.feed_update(bot, Person(5).press(MenuCB(MenuAction.ABOUT).pack()))
    assert "فضای کار اشتراکی" in session.last_text()


async def test_a_failure_is_told_to_the_person(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.TELEGRAM)
    session.fail_next(
        "sendMessage",
        TelegramBadRequest(method=SendMessage(chat_id=5, text="x"), message="boom"),
    )
    await app.dispatcher.feed_update(bot, Person(5).text("/start"))
    assert session.last_text().startswith("متأسفیم، مشکلی در سمت ما پیش آمد.")


async def test_staff_see_their_role(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:5:admin,bale:6")
    tg, tg_session = recording_bot(Platform.TELEGRAM)
    bale, bale_session = recording_bot(Platform.BALE)
    await app.dispatcher.feed_update(tg, Person(5).text("/admin"))
    await app.dispatcher.feed_update(bale, Person(6).text("/admin"))
    await app.dispatcher.feed_update(bale, Person(5).text("/admin"))  # 5 is staff on Telegram only
    assert "نقش شما: مدیر" in html_to_text(tg_session.last_text())
    assert bale_session.texts()[0].startswith("پنل کارکنان\nنقش شما: کارشناس")
    assert bale_session.texts()[1] == "این فرمان در دسترس نیست."


async def test_commands_are_registered_on_telegram_in_both_languages(make_app: MakeApp) -> None:
    app = make_app(staff="telegram:5:admin")
    bot, session = recording_bot(Platform.TELEGRAM)
    await app.menus(bot)
    calls = session.sent(SetMyCommands)
    by_language = {
        c.language_code: [x.command for x in c.commands]
        for c in calls
        if c.scope and c.scope.type == "default"
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
    assert calls[0].commands[0].description == "شروع و منوی اصلی"
    staff_calls = [c for c in calls if c.scope and c.scope.type == "chat"]
    staff_only = [name for name, _text in STAFF_COMMANDS]
    assert staff_only[0] == "admin"
    assert [x.command for x in staff_calls[0].commands] == expected + staff_only


async def test_a_refused_set_my_commands_is_ignored(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = make_app()
    bot, session = recording_bot(Platform.BALE)
    registrar = app.menus
    for _ in range(3):
        session.fail_next(
            "setMyCommands",
            TelegramBadRequest(method=SetMyCommands(commands=[]), message="Not Found"),
        )
        await registrar(bot)
    assert len([r for r in caplog.records if "setMyCommands" in r.getMessage()]) == 1


async def test_the_command_menu_follows_the_chosen_language(make_app: MakeApp) -> None:
    app = make_app()
    bot, session = recording_bot(Platform.TELEGRAM)
    await app.dispatcher.feed_update(bot, Person(5).press(LanguageCB("en").pack()))
    [menu] = session.sent(SetMyCommands)
    assert menu.scope is not None and menu.scope.type == "chat"
    assert menu.commands[0].description == "Welcome and main menu"
    assert "admin" not in [c.command for c in menu.commands]
