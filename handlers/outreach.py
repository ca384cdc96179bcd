"""/calls, /events (sign up and withdraw) and /settings (which announcements)."""

from __future__ import annotations

from datetime import tzinfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.announcements import UNSUBSCRIBE, SubscriptionCB
from bot.bots import IdeaBot
from bot.calls import CallInfo, CallService, deep_link
from bot.config import Settings
from bot.dates import format_date
from bot.events import EventInfo, EventService, Signup
from bot.i18n import _
from bot.intake.graph import AREAS
from bot.keyboards import CallCB, EventAction, EventCB, MenuAction, MenuCB, main_menu
from bot.render import Renderer, current_locale
from bot.subscriptions import SubscriptionService
from bot.topics import TOPIC_OPTIONS
from bot.users import UserView
from handlers.common import replace, reply

AREA_NAMES = {option.key: option.label for option in AREAS}
DONE = "done"
NONE = "none"
LISTED = 10  # calls or events shown at once
ALL = "all"


def area_names(areas: tuple[str, ...] | list[str]) -> str:
    return _(", ").join(str(AREA_NAMES[a]) for a in areas if a in AREA_NAMES)


async def call_link(bot: IdeaBot, call_id: int) -> str | None:
    me = await bot.me()
    return deep_link(bot.profile, me.username, call_id) if me.username else None


def call_text(render: Renderer, call: CallInfo, tz: tzinfo, link: str | None) -> str:
    locale = current_locale()
    parts = [
        render.whole(
            _("📣 <b>{title}</b>\n{description}\n\nAreas: {areas}\nOpen from {opens} to {closes}"),
            title=call.title,
            description=call.description,
            areas=area_names(call.areas),
            opens=format_date(call.opens_at, tz, locale),
            closes=format_date(call.closes_at, tz, locale),
        )
    ]
    if call.guidance:
        parts.append(render.whole(_("Guidance: {guidance}"), guidance=call.guidance))
    if link:
        parts.append(render(_("Link to share: {link}"), link=link))
    return "\n".join(parts)


def event_text(render: Renderer, event: EventInfo, tz: tzinfo) -> str:
    text = render.whole(
        _("🗓 <b>{title}</b>\n{description}\n\nWhen: {when}\nPlace: {place}"),
        title=event.title,
        description=event.description,
        when=format_date(event.starts_at, tz, current_locale()),
        place=event.place,
    )
    if event.cancelled:
        text += "\n" + render(_("❌ Cancelled"))
    elif event.full and not event.mine:
        text += "\n" + render(_("⛔️ Full: {capacity} places, all taken"), capacity=event.capacity)
    elif event.capacity is not None:
        text += "\n" + render(
            _("Places left: {left} of {capacity}"),
            left=event.places_left or 0,
            capacity=event.capacity,
        )
    if event.mine:
        text += "\n" + render(_("✅ You are signed up."))
    return text


def event_markup(render: Renderer, event: EventInfo) -> InlineKeyboardMarkup | None:
    if event.cancelled:
        return None
    builder = InlineKeyboardBuilder()
    if event.mine:
        builder.button(
            text=_("↩️ Withdraw"), callback_data=EventCB(action=EventAction.LEAVE, id=event.id)
        )
    elif not event.full:
        builder.button(
            text=_("✋ Sign up"), callback_data=EventCB(action=EventAction.JOIN, id=event.id)
        )
    return builder.as_markup() if builder.buttons else None


# ----- calls -----
async def on_calls(
    event: Message | CallbackQuery,
    bot: IdeaBot,
    render: Renderer,
    calls: CallService,
    settings: Settings,
) -> None:
    chat_id = event.from_user.id if event.from_user else 0
    listing = await calls.listing()
    if not listing:
        await bot.send_message(
            chat_id,
            render(_("No call for proposals is open now. You can always send a general idea.")),
            reply_markup=main_menu(),
        )
        return
    heading = render(_("<b>Open calls for proposals</b>: {count}"), count=len(listing))
    await bot.send_message(chat_id, heading)
    for call in listing[:LISTED]:
        builder = InlineKeyboardBuilder()
        builder.button(text=_("💡 Submit an idea to this call"), callback_data=CallCB(id=call.id))
        link = await call_link(bot, call.id)
        text = call_text(render, call, settings.tz, link)
        await bot.send_message(chat_id, text, reply_markup=builder.as_markup())


# ----- events -----
async def on_events(
    event: Message | CallbackQuery,
    bot: IdeaBot,
    render: Renderer,
    events: EventService,
    user: UserView,
    settings: Settings,
) -> None:
    chat_id = event.from_user.id if event.from_user else 0
    upcoming = await events.upcoming(user.id)
    if not upcoming:
        text = render(_("No event is planned at the moment."))
        await bot.send_message(chat_id, text, reply_markup=main_menu())
        return
    heading = render(_("<b>Upcoming events</b>: {count}"), count=len(upcoming))
    await bot.send_message(chat_id, heading)
    for item in upcoming[:LISTED]:
        text = event_text(render, item, settings.tz)
        await bot.send_message(chat_id, text, reply_markup=event_markup(render, item))


async def on_event_button(
    callback: CallbackQuery,
    callback_data: EventCB,
    render: Renderer,
    events: EventService,
    user: UserView,
    settings: Settings,
) -> None:
    if callback_data.action is EventAction.JOIN:
        outcome, event = await events.signup(callback_data.id, user.id)
        notes = {
            Signup.DONE: _("✅ You are signed up. We will remind you before it starts."),
            Signup.ALREADY: _("You were already signed up."),
            Signup.FULL: _("Sorry, this event is full."),
            Signup.CLOSED: _("This event no longer takes sign-ups."),
        }
        note = notes[outcome]
    else:
        event = await events.withdraw(callback_data.id, user.id)
        note = _("You have withdrawn; you will not be reminded.")
    if event is not None:
        await replace(callback, event_text(render, event, settings.tz), event_markup(render, event))
    await reply(callback, render(note), None)


# ----- subscriptions -----
def settings_text(render: Renderer, topics: set[str]) -> str:
    if not topics:
        return render(
            _("<b>Announcements</b>\nYou receive none. Press a subject to receive its news.")
        )
    return render(
        _(
            "<b>Announcements</b>\nYou receive news of the subjects marked ✅. "
            "Press a subject to switch it."
        )
    )


def settings_markup(render: Renderer, topics: set[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in TOPIC_OPTIONS:
        mark = "✅" if option.key in topics else "▫️"
        builder.button(
            text=f"{mark} {option.label}", callback_data=SubscriptionCB(topic=option.key)
        )
    builder.button(text=_("✅ All"), callback_data=SubscriptionCB(topic=ALL))
    builder.button(text=_("🔕 None"), callback_data=SubscriptionCB(topic=NONE))
    builder.button(text=_("✔️ Done"), callback_data=SubscriptionCB(topic=DONE))
    builder.adjust(*([1] * len(TOPIC_OPTIONS)), 2, 1)
    return builder.as_markup()


async def on_settings(
    message: Message, render: Renderer, subscriptions: SubscriptionService, user: UserView
) -> None:
    topics = await subscriptions.topics(user.id)
    await message.answer(
        settings_text(render, topics), reply_markup=settings_markup(render, topics)
    )


async def offer_subscriptions(
    bot: Bot, chat_id: int, render: Renderer, subscriptions: SubscriptionService, user: UserView
) -> None:
    """On the first /start: what would you like to hear about?"""
    topics = await subscriptions.topics(user.id)
    text = render(
        _(
            "Which announcements would you like from the center? Press the subjects you "
            "want (✅), then Done. You can change it at any time with /settings."
        )
    )
    await bot.send_message(chat_id, text, reply_markup=settings_markup(render, topics))


async def on_subscription(
    callback: CallbackQuery,
    callback_data: SubscriptionCB,
    render: Renderer,
    subscriptions: SubscriptionService,
    user: UserView,
) -> None:
    topic = callback_data.topic
    if topic == DONE:
        topics = await subscriptions.confirm(user.id)
        text = (
            render(_("Saved. /settings changes it at any time."))
            if topics
            else render(_("Saved: you will receive no announcements. /settings to change."))
        )
        await replace(callback, text, None)
        return
    if topic == UNSUBSCRIBE:  # the button under an announcement: leave the message be
        await subscriptions.set_all(user.id, False)
        await reply(
            callback,
            render(_("You are unsubscribed: no more announcements. /settings to subscribe again.")),
            None,
        )
        return
    if topic in (ALL, NONE):
        topics = await subscriptions.set_all(user.id, topic == ALL)
    else:
        topics = await subscriptions.switch(user.id, topic)
    await replace(callback, settings_text(render, topics), settings_markup(render, topics))


async def on_menu_settings(
    callback: CallbackQuery, render: Renderer, subscriptions: SubscriptionService, user: UserView
) -> None:
    topics = await subscriptions.topics(user.id)
    await reply(callback, settings_text(render, topics), settings_markup(render, topics))


def router() -> Router:
    r = Router(name="outreach")
    r.message.register(on_calls, Command("calls"))
    r.callback_query.register(on_calls, MenuCB.filter(F.action == MenuAction.CALLS))
    r.message.register(on_events, Command("events"))
    r.callback_query.register(on_events, MenuCB.filter(F.action == MenuAction.EVENTS))
    r.message.register(on_settings, Command("settings"))
    r.callback_query.register(on_event_button, EventCB.filter())
    r.callback_query.register(on_subscription, SubscriptionCB.filter())
    r.callback_query.register(on_menu_settings, MenuCB.filter(F.action == MenuAction.ANNOUNCEMENTS))
    return r
