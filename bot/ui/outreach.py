"""Calls for proposals, events and announcements as everyone sees them: the listings,
signing up, and choosing which announcements to receive."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.dates import format_date
from bot.core.views import CallInfo, EventInfo, Signup
from bot.core.vocabulary import AREAS, TOPIC_OPTIONS, label_of
from bot.ui.callbacks import ALL, DONE, NONE, CallCB, EventAction, EventCB, SubscriptionCB
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.render import Renderer
from locales import common, marks
from locales import outreach as t
from locales.i18n import current_locale

LISTED = 10  # calls or events shown at once


def area_names(areas: tuple[str, ...] | list[str]) -> str:
    names = [label_of(AREAS, a, "") for a in areas]
    return str(common.LIST_SEPARATOR).join(n for n in names if n)


def call_text(render: Renderer, call: CallInfo, tz: tzinfo, link: str | None) -> str:
    locale = current_locale()
    parts = [
        render.whole(
            t.CALL_TEXT,
            title=call.title,
            description=call.description,
            areas=area_names(call.areas),
            opens=format_date(call.opens_at, tz, locale),
            closes=format_date(call.closes_at, tz, locale),
        )
    ]
    if call.guidance:
        parts.append(render.whole(t.GUIDANCE, guidance=call.guidance))
    if link:
        parts.append(render(t.LINK, link=link))
    return "\n".join(parts)


def submit_to_call(call_id: int) -> Keyboard:
    return Keyboard.stacked([Button(str(t.SUBMIT_TO_CALL), CallCB(call_id).pack())])


def no_open_calls(render: Renderer) -> Screen:
    return Screen(render(t.NO_OPEN_CALLS), main_menu())


def open_calls_heading(render: Renderer, count: int) -> Screen:
    return Screen(render(t.OPEN_CALLS, count=count))


def event_text(render: Renderer, event: EventInfo, tz: tzinfo) -> str:
    text = render.whole(
        t.EVENT_TEXT,
        title=event.title,
        description=event.description,
        when=format_date(event.starts_at, tz, current_locale()),
        place=event.place,
    )
    if event.cancelled:
        text += "\n" + render(t.EVENT_CANCELLED)
    elif event.full and not event.mine:
        text += "\n" + render(t.EVENT_FULL, capacity=event.capacity)
    elif event.capacity is not None:
        text += "\n" + render(t.PLACES_LEFT, left=event.places_left or 0, capacity=event.capacity)
    if event.mine:
        text += "\n" + render(t.SIGNED_UP)
    return text


def event_markup(event: EventInfo) -> Keyboard | None:
    if event.cancelled:
        return None
    if event.mine:
        return Keyboard.stacked(
            [Button(str(t.WITHDRAW), EventCB(EventAction.LEAVE, event.id).pack())]
        )
    if not event.full:
        return Keyboard.stacked(
            [Button(str(t.SIGN_UP), EventCB(EventAction.JOIN, event.id).pack())]
        )
    return None


def event_screen(render: Renderer, event: EventInfo, tz: tzinfo) -> Screen:
    return Screen(event_text(render, event, tz), event_markup(event))


def no_events(render: Renderer) -> Screen:
    return Screen(render(t.NO_EVENTS), main_menu())


def upcoming_heading(render: Renderer, count: int) -> Screen:
    return Screen(render(t.UPCOMING, count=count))


SIGNUP_NOTES = {
    Signup.DONE: t.SIGNUP_DONE,
    Signup.ALREADY: t.SIGNUP_ALREADY,
    Signup.FULL: t.SIGNUP_FULL,
    Signup.CLOSED: t.SIGNUP_CLOSED,
}


def signup_note(render: Renderer, outcome: Signup | None) -> Screen:
    return Screen(render(SIGNUP_NOTES[outcome] if outcome else t.WITHDRAWN))


# ----- subscriptions -----
def settings_text(render: Renderer, topics: set[str]) -> str:
    return render(t.SOME_RECEIVED if topics else t.NONE_RECEIVED)


def settings_markup(topics: set[str]) -> Keyboard:
    subjects = [
        Button(
            f"{marks.ON if option.key in topics else marks.OFF} {option.label}",
            SubscriptionCB(option.key).pack(),
        )
        for option in TOPIC_OPTIONS
    ]
    return Keyboard.stacked(
        *([b] for b in subjects),
        [
            Button(str(t.ALL_TOPICS), SubscriptionCB(ALL).pack()),
            Button(str(t.NO_TOPICS), SubscriptionCB(NONE).pack()),
        ],
        [Button(str(t.TOPICS_DONE), SubscriptionCB(DONE).pack())],
    )


def settings_screen(render: Renderer, topics: set[str]) -> Screen:
    return Screen(settings_text(render, topics), settings_markup(topics))


def offer_subscriptions(render: Renderer, topics: set[str]) -> Screen:
    """On the first /start: what would you like to hear about?"""
    return Screen(render(t.CHOOSE_TOPICS), settings_markup(topics))


def topics_saved(render: Renderer, topics: set[str]) -> Screen:
    return Screen(render(t.TOPICS_SAVED if topics else t.TOPICS_NONE_SAVED))


def unsubscribed(render: Renderer) -> Screen:
    return Screen(render(t.UNSUBSCRIBED))
