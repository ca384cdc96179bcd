"""What a broadcast looks like: to its readers (the staff's words, then the footer and
an unsubscribe button), and to its author while composing it, while it is sent, and
when it is finished."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.conversation.engine import Draft
from bot.core.dates import format_date
from bot.core.forms import AUDIENCE_NAMES, CAPTION_LIMIT, TEXT_LIMIT
from bot.core.views import Audience, BroadcastInfo, Counts
from bot.core.vocabulary import Option
from bot.ui.callbacks import BroadcastAction, BroadcastCB, StepAction
from bot.ui.conversation import button
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.notices import footer, unsubscribe_button
from bot.ui.render import Renderer
from locales import broadcasts as t
from locales import conversation as tc
from locales.i18n import current_locale


def message(render: Renderer, text: str, *, with_media: bool) -> Screen:
    """The broadcast as one reader sees it: the staff's words as data, then the footer."""
    limit = CAPTION_LIMIT if with_media else TEXT_LIMIT
    body = render.value(text, limit=limit) + footer(render)
    return Screen(body, Keyboard.stacked([unsubscribe_button()]))


def audience_name(audience: Audience, values: list[Option]) -> str:
    name = str(AUDIENCE_NAMES.get(audience.kind, audience.kind))
    if audience.value is None:
        return name
    chosen = next((str(o.label) for o in values if o.key == audience.value), audience.value)
    return f"{name}: {chosen}"


def audience_of(draft: Draft) -> Audience:
    kind = str(draft.answers.get("audience") or "all")
    value = draft.answers.get("audience_value") if kind != "all" else None
    return Audience(kind, str(value) if value is not None else None)


def review(
    render: Renderer, draft: Draft, sizes: dict[str, int], values: list[Option]
) -> tuple[Screen, Screen]:
    """Who gets it and how many, then the question: send now, schedule, or change."""
    total = sum(sizes.values())
    lines = [
        render(t.AUDIENCE_LINE, audience=audience_name(audience_of(draft), values)),
        render(
            t.RECIPIENTS,
            total=total,
            telegram=sizes.get("telegram", 0),
            bale=sizes.get("bale", 0),
        ),
    ]
    if not total:  # it may have people by the time a scheduled one is due
        lines.append(render(t.NOBODY))
    send = button(draft, StepAction.SUBMIT, draft.step, str(draft.id), text=str(t.SEND_NOW))
    schedule = button(draft, StepAction.EDIT, "when", str(draft.id), text=str(t.SCHEDULE))
    other = button(draft, StepAction.EDIT, "audience", str(draft.id), text=str(t.ANOTHER_AUDIENCE))
    cancel = button(draft, StepAction.CANCEL, draft.step, text=str(tc.CANCEL))
    first = [send, schedule] if total else [schedule]
    keyboard = Keyboard.stacked(first, [other], [cancel])
    return Screen("\n".join(lines)), Screen(render(t.SEND_IT), keyboard)


def preview(render: Renderer, draft: Draft) -> Screen:
    """Exactly what a reader on this messenger will see, the photo or file too."""
    sent = draft.answers.get("message") or {}
    media = sent.get("media")
    shown = message(render, str(sent.get("text") or ""), with_media=media is not None)
    if media is not None:
        return Screen(shown.text, media=(str(media["kind"]), str(media["file_id"])))
    return Screen(f"{render(t.PREVIEW)}\n\n{shown.text}")


def on_its_way(render: Renderer, info: BroadcastInfo) -> Screen:
    return Screen(render(t.ON_ITS_WAY, id=info.id))


def unschedule_button(broadcast_id: int) -> Button:
    return Button(str(t.CANCEL_THIS), BroadcastCB(BroadcastAction.UNSCHEDULE, broadcast_id).pack())


def unschedule_question(render: Renderer, broadcast_id: int) -> Screen:
    yes = BroadcastCB(BroadcastAction.UNSCHEDULE_YES, broadcast_id).pack()
    keyboard = Keyboard.stacked([Button(str(t.UNSCHEDULE_YES), yes)])
    return Screen(render(t.UNSCHEDULE_QUESTION, id=broadcast_id), keyboard)


def scheduled(render: Renderer, info: BroadcastInfo, tz: tzinfo) -> Screen:
    text = render(t.SCHEDULED, id=info.id, when=format_date(info.due_at, tz, current_locale()))
    return Screen(text, Keyboard.stacked([unschedule_button(info.id)]))


def scheduled_item(
    render: Renderer, info: BroadcastInfo, tz: tzinfo, values: list[Option]
) -> Screen:
    text = render(
        t.SCHEDULED_ITEM,
        id=info.id,
        when=format_date(info.due_at, tz, current_locale()),
        audience=audience_name(info.audience, values),
        text=info.text,
    )
    return Screen(text, Keyboard.stacked([unschedule_button(info.id)]))


def none_scheduled(render: Renderer) -> Screen:
    return Screen(render(t.NONE_SCHEDULED))


def unscheduled(render: Renderer, broadcast_id: int, done: bool) -> Screen:
    return Screen(render(t.UNSCHEDULED if done else t.ALREADY_STARTED, id=broadcast_id))


def dropped(render: Renderer) -> Screen:
    return Screen(render(t.CANCELLED_NOTHING_SENT))


def already_sent(render: Renderer) -> Screen:
    return Screen(render(t.ALREADY_SENT))


def progress(render: Renderer, broadcast_id: int, counts: Counts) -> Screen:
    return Screen(
        render(
            t.PROGRESS,
            id=broadcast_id,
            sent=counts.sent,
            failed=counts.failed + counts.blocked + counts.unknown,
            left=counts.left,
            total=counts.total,
        )
    )


def report(render: Renderer, broadcast_id: int, counts: Counts) -> Screen:
    return Screen(
        render(
            t.REPORT,
            id=broadcast_id,
            total=counts.total,
            sent=counts.sent,
            blocked=counts.blocked,
            failed=counts.failed,
            unknown=counts.unknown,
        )
    )
