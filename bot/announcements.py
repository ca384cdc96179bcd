"""Messages that reach people later (reminders, event changes, deadlines, the weekly
digest, draft nudges, the broadcast footer), composed in each reader's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.dates import format_date
from bot.i18n import _
from bot.keyboards import CallCB
from bot.messenger import Compose
from bot.persian import localize_digits
from bot.render import Renderer, bound, current_locale, isolated

if TYPE_CHECKING:
    from bot.calls import CallInfo
    from bot.events import EventInfo


class SubscriptionCB(CallbackData, prefix="sub"):
    topic: str  # a topic to switch, or "done", "none", "all"


# The button under an announcement (the settings picker's "None" is another value).
UNSUBSCRIBE = "stop"


def text_only(write: Callable[[Renderer], str]) -> Compose:
    """A message with no buttons."""
    return lambda render: (write(render), None)


def when(moment: datetime, tz: tzinfo) -> str:
    return format_date(moment, tz, current_locale())


def duration(span: timedelta) -> str:
    """ "24 hours", "3 days", "30 minutes" in the reader's language and digits."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes > 1440:  # 24 hours reads better than "one day"
        n, one, many = minutes // 1440, _("one day"), _("{n} days")
    elif minutes % 60 == 0:
        n, one, many = minutes // 60, _("one hour"), _("{n} hours")
    else:
        n, one, many = minutes, _("one minute"), _("{n} minutes")
    text = one if n == 1 else many.format(n=n)
    return localize_digits(text, current_locale())


def event_reminder(event: EventInfo, before: timedelta, tz: tzinfo) -> Compose:
    return text_only(
        lambda render: render(
            _("⏰ Reminder: «{title}» starts in {left}, on {when}.\nPlace: {place}"),
            title=isolated(event.title),
            left=duration(before),
            when=when(event.starts_at, tz),
            place=event.place,
        )
    )


def event_moved(event: EventInfo, old_start: datetime, tz: tzinfo) -> Compose:
    return text_only(
        lambda render: render(
            _(
                "🗓 «{title}» has moved: it was on {old}, it is now on {when}.\n"
                "Place: {place}\nYou are still signed up; /events to withdraw."
            ),
            title=isolated(event.title),
            old=when(old_start, tz),
            when=when(event.starts_at, tz),
            place=event.place,
        )
    )


def event_new_place(event: EventInfo, tz: tzinfo) -> Compose:
    return text_only(
        lambda render: render(
            _("📍 «{title}» on {when} has a new place: {place}"),
            title=isolated(event.title),
            when=when(event.starts_at, tz),
            place=event.place,
        )
    )


def event_cancelled(event: EventInfo, tz: tzinfo) -> Compose:
    return text_only(
        lambda render: render(
            _("❌ «{title}» on {when} is cancelled. We are sorry; /events shows what is ahead."),
            title=isolated(event.title),
            when=when(event.starts_at, tz),
        )
    )


def call_deadline(call: CallInfo, before: timedelta, tz: tzinfo) -> Compose:
    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        text = render(
            _(
                "⏳ The call for proposals «{title}» closes in {left}, on {when}.\n"
                "You have not sent an idea to it yet: /calls"
            ),
            title=isolated(call.title),
            left=duration(before),
            when=when(call.closes_at, tz),
        )
        return text, unsubscribe_markup()

    return compose


DIGEST_ITEMS = 8  # of each kind: the digest stays one message


def call_opened(call: CallInfo, tz: tzinfo) -> Compose:
    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        text = render(
            _("📣 A new call for proposals is open: «{title}», until {when}.\nSee it with /calls"),
            title=isolated(bound(call.title, 200)),
            when=when(call.closes_at, tz),
        ) + footer(render)
        builder = InlineKeyboardBuilder()
        builder.button(text=_("💡 Submit an idea to this call"), callback_data=CallCB(id=call.id))
        builder.attach(InlineKeyboardBuilder.from_markup(unsubscribe_markup()))
        return text, builder.as_markup()

    return compose


def digest(calls: Sequence[CallInfo], events: Sequence[EventInfo], tz: tzinfo) -> Compose:
    calls, events = calls[:DIGEST_ITEMS], events[:DIGEST_ITEMS]

    def compose(render: Renderer) -> tuple[str, InlineKeyboardMarkup | None]:
        parts = [render(_("🗞 <b>New this week at the center</b>"))]
        if calls:
            parts.append(render(_("<b>Calls for proposals</b> (/calls):")))
            parts += [
                render(
                    _("• «{title}», open until {when}"),
                    title=isolated(bound(c.title, 100)),
                    when=when(c.closes_at, tz),
                )
                for c in calls
            ]
        if events:
            parts.append(render(_("<b>Events</b> (/events):")))
            parts += [
                render(
                    _("• «{title}», {when}"),
                    title=isolated(bound(e.title, 100)),
                    when=when(e.starts_at, tz),
                )
                for e in events
            ]
        parts.append(footer(render))
        return "\n".join(parts), unsubscribe_markup()

    return compose


def draft_nudge() -> Compose:
    return text_only(
        lambda render: render(
            _(
                "✏️ Your idea is waiting for you: the draft you started is saved. "
                "Send /new to continue where you stopped."
            )
        )
    )


def footer(render: Renderer) -> str:
    return "\n\n" + render(_("To choose which announcements you receive, or none: /settings"))


def unsubscribe_markup() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🔕 Unsubscribe"), callback_data=SubscriptionCB(topic=UNSUBSCRIBE))
    return builder.as_markup()
