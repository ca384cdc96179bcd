"""Notices as each reader sees them: composed in their language and their messenger's
format when they are written to the outbox. Also the footer and the unsubscribe button
every announcement carries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot.core.alerts import AlertEvent
from bot.core.dates import format_date
from bot.core.notices import (
    AnswerReceived,
    CallDeadline,
    CallOpened,
    Digest,
    DraftNudge,
    EventCancelled,
    EventMoved,
    EventNewPlace,
    EventReminder,
    Notice,
    Receipt,
    StaffAlert,
    StaffSummary,
    StaffWelcome,
    StatusChanged,
)
from bot.core.persian import localize_digits
from bot.core.statuses import STATUSES
from bot.core.text import bound, isolated
from bot.core.views import IdeaView
from bot.core.vocabulary import AREAS, label_of
from bot.ui.callbacks import (
    UNSUBSCRIBE,
    CallCB,
    IdeaAction,
    IdeaCB,
    StaffAction,
    StaffCB,
    SubscriptionCB,
)
from bot.ui.intake import code_text, receipt
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.render import Renderer
from locales import notices as t
from locales import staffwork as w
from locales import vocabulary as tv
from locales.i18n import Text, current_locale

DIGEST_ITEMS = 8  # of each kind: the digest stays one message


def when(moment: datetime, tz: tzinfo) -> str:
    return format_date(moment, tz, current_locale())


def duration(span: timedelta) -> str:
    """ "24 hours", "3 days", "30 minutes" in the reader's language and digits."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes > 1440:  # 24 hours reads better than "one day"
        n, one, many = minutes // 1440, t.ONE_DAY, t.DAYS
    elif minutes % 60 == 0:
        n, one, many = minutes // 60, t.ONE_HOUR, t.HOURS
    else:
        n, one, many = minutes, t.ONE_MINUTE, t.MINUTES
    text = str(one) if n == 1 else many.format(n=n)
    return localize_digits(text, current_locale())


def idea_label(idea: IdeaView) -> dict[str, object]:
    return {"code": code_text(idea.code), "title": isolated(idea.title)}


def reason_text(target: str | None, reason: str) -> str:
    """A change's reason as the reader should see it: a duplicate's is the code of the
    idea it repeats, said in the reader's language."""
    if target == "duplicate":
        return t.SAME_AS.format(code=code_text(reason))
    return reason


def footer(render: Renderer) -> str:
    return "\n\n" + render(t.FOOTER)


def unsubscribe_button() -> Button:
    return Button(str(t.UNSUBSCRIBE), SubscriptionCB(UNSUBSCRIBE).pack())


NEXT: dict[str, Text] = {
    "submitted": t.NEXT_SUBMITTED,
    "screening": t.NEXT_SCREENING,
    "evaluating": t.NEXT_EVALUATING,
    "shortlisted": t.NEXT_SHORTLISTED,
    "accepted": t.NEXT_ACCEPTED,
    "incubating": t.NEXT_INCUBATING,
    "completed": t.NEXT_COMPLETED,
    "rejected": t.NEXT_REJECTED,
    "duplicate": t.NEXT_DUPLICATE,
}


def next_step(render: Renderer, status: str) -> str | None:
    """What happens after `status`, as the applicant should read it."""
    text = NEXT.get(status)
    return render(text) if text is not None else None


def _status(render: Renderer, notice: StatusChanged, tz: tzinfo) -> Screen:
    idea, status, reason = notice.idea, notice.status, notice.reason
    if notice.undone:
        return Screen(render(t.UNDONE, status=str(STATUSES[status].name), **idea_label(idea)))
    if status == "needs_info":
        keyboard = Keyboard.stacked(
            [Button(str(t.ANSWER), IdeaCB(IdeaAction.ANSWER, idea.id).pack())]
        )
        return Screen(render(t.QUESTION, question=reason or "", **idea_label(idea)), keyboard)
    text = render(t.STATUS, status=str(STATUSES[status].name), **idea_label(idea))
    if reason:
        text += "\n" + render(t.REASON, reason=reason_text(status, reason))
    after = next_step(render, status)
    if after is not None:
        text += "\n\n" + after
    return Screen(text)


def _open_card(idea: IdeaView) -> Keyboard:
    return Keyboard.stacked([Button(str(w.OPEN_CARD), StaffCB(StaffAction.OPEN, idea.id).pack())])


ALERTS: dict[AlertEvent, Text] = {
    AlertEvent.NEW_IDEA: w.ALERT_NEW,
    AlertEvent.REPLY: w.ALERT_REPLY,
    AlertEvent.INFO: w.ALERT_INFO,
    AlertEvent.ASSIGNED: w.ALERT_ASSIGNED,
}


def _staff_alert(render: Renderer, notice: StaffAlert, tz: tzinfo) -> Screen:
    template = ALERTS[notice.event]
    if notice.event is AlertEvent.ASSIGNED and notice.by is None:
        template = w.ALERT_ASSIGNED_AUTO
    text = render(
        template,
        area=label_of(AREAS, notice.area),
        by=isolated(notice.by or ""),
        **idea_label(notice.idea),
    )
    return Screen(text, _open_card(notice.idea))


def _staff_summary(render: Renderer, notice: StaffSummary, tz: tzinfo) -> Screen:
    parts = [render(w.SUMMARY_HEADING)]
    if not notice.new and not notice.waiting:
        parts.append(render(w.SUMMARY_NOTHING))
    for heading, ideas in ((w.SUMMARY_NEW, notice.new), (w.SUMMARY_WAITING, notice.waiting)):
        if ideas:
            parts += ["", render(heading, count=len(ideas))]
            parts += [render(w.SUMMARY_LINE, **idea_label(i)) for i in ideas[:DIGEST_ITEMS]]
    return Screen("\n".join(parts))


def _staff_welcome(render: Renderer, notice: StaffWelcome, tz: tzinfo) -> Screen:
    role = tv.ADMIN_ROLE if notice.role == "admin" else tv.REVIEWER_ROLE
    return Screen(render(w.WELCOME_STAFF, role=str(role)))


def _answer_received(render: Renderer, notice: AnswerReceived, tz: tzinfo) -> Screen:
    return Screen(render(t.ANSWER_RECEIVED, **idea_label(notice.idea)))


def _event_reminder(render: Renderer, notice: EventReminder, tz: tzinfo) -> Screen:
    event = notice.event
    text = render(
        t.EVENT_REMINDER,
        title=isolated(event.title),
        left=duration(notice.before),
        when=when(event.starts_at, tz),
        place=event.place,
    )
    return Screen(text)


def _event_moved(render: Renderer, notice: EventMoved, tz: tzinfo) -> Screen:
    event = notice.event
    text = render(
        t.EVENT_MOVED,
        title=isolated(event.title),
        old=when(notice.old_start, tz),
        when=when(event.starts_at, tz),
        place=event.place,
    )
    return Screen(text)


def _event_new_place(render: Renderer, notice: EventNewPlace, tz: tzinfo) -> Screen:
    event = notice.event
    text = render(
        t.EVENT_NEW_PLACE,
        title=isolated(event.title),
        when=when(event.starts_at, tz),
        place=event.place,
    )
    return Screen(text)


def _event_cancelled(render: Renderer, notice: EventCancelled, tz: tzinfo) -> Screen:
    event = notice.event
    text = render(t.EVENT_CANCELLED, title=isolated(event.title), when=when(event.starts_at, tz))
    return Screen(text)


def _call_deadline(render: Renderer, notice: CallDeadline, tz: tzinfo) -> Screen:
    call = notice.call
    text = render(
        t.CALL_DEADLINE,
        title=isolated(call.title),
        left=duration(notice.before),
        when=when(call.closes_at, tz),
    )
    return Screen(text, Keyboard.stacked([unsubscribe_button()]))


def _call_opened(render: Renderer, notice: CallOpened, tz: tzinfo) -> Screen:
    call = notice.call
    text = render(
        t.CALL_OPENED, title=isolated(bound(call.title, 200)), when=when(call.closes_at, tz)
    ) + footer(render)
    keyboard = Keyboard.stacked(
        [Button(str(t.SUBMIT_TO_CALL), CallCB(call.id).pack())], [unsubscribe_button()]
    )
    return Screen(text, keyboard)


def _digest(render: Renderer, digest: Digest, tz: tzinfo) -> Screen:
    calls, events = digest.calls[:DIGEST_ITEMS], digest.events[:DIGEST_ITEMS]
    parts = [render(t.DIGEST_HEADING)]
    if calls:
        parts.append(render(t.DIGEST_CALLS))
        parts += [
            render(t.DIGEST_CALL, title=isolated(bound(c.title, 100)), when=when(c.closes_at, tz))
            for c in calls
        ]
    if events:
        parts.append(render(t.DIGEST_EVENTS))
        parts += [
            render(t.DIGEST_EVENT, title=isolated(bound(e.title, 100)), when=when(e.starts_at, tz))
            for e in events
        ]
    parts.append(footer(render))
    return Screen("\n".join(parts), Keyboard.stacked([unsubscribe_button()]))


def _receipt(render: Renderer, notice: Receipt, tz: tzinfo) -> Screen:
    return Screen(receipt(render, notice.code), main_menu())


def _draft_nudge(render: Renderer, notice: DraftNudge, tz: tzinfo) -> Screen:
    return Screen(render(t.DRAFT_NUDGE))


COMPOSERS: dict[type[Any], Callable[[Renderer, Any, tzinfo], Screen]] = {
    Receipt: _receipt,
    StatusChanged: _status,
    AnswerReceived: _answer_received,
    EventReminder: _event_reminder,
    EventMoved: _event_moved,
    EventNewPlace: _event_new_place,
    EventCancelled: _event_cancelled,
    CallDeadline: _call_deadline,
    CallOpened: _call_opened,
    Digest: _digest,
    DraftNudge: _draft_nudge,
    StaffAlert: _staff_alert,
    StaffSummary: _staff_summary,
    StaffWelcome: _staff_welcome,
}


def compose(render: Renderer, notice: Notice, tz: tzinfo) -> Screen:
    """The message `notice` is, for the reader `render` and the current language are for."""
    return COMPOSERS[type(notice)](render, notice, tz)
