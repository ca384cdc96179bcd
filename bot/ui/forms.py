"""The staff's forms for calls and events: the check before saving, what was saved, and
the lists under /admin with their buttons."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.core.conversation.engine import Draft
from bot.core.conversation.graph import Graph, Kind
from bot.core.dates import format_date
from bot.core.views import CallInfo, EventInfo
from bot.ui.callbacks import ManageAction, ManageCB, StepAction
from bot.ui.conversation import button, shown_value
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.outreach import call_text, event_text
from bot.ui.render import Renderer
from locales import conversation as tc
from locales import forms as t
from locales.i18n import current_locale


def values(render: Renderer, graph: Graph, answers: dict[str, object], tz: tzinfo) -> list[str]:
    return [
        render(tc.ANSWER_LINE, label=str(step.label))
        + shown_value(render, step, answers.get(step.key), [], tz)
        for step in graph.steps
        if step.kind is not Kind.REVIEW
    ]


def review(render: Renderer, graph: Graph, draft: Draft, tz: tzinfo) -> Screen:
    """Everything, to check; a button to change each; save."""
    lines = [render(t.CHECK_AND_SAVE), *values(render, graph, draft.answers, tz)]
    edits = [
        button(
            draft,
            StepAction.EDIT,
            step.key,
            str(draft.id),
            text=render.plain(tc.EDIT_ANSWER, label=str(step.label)),
        )
        for step in graph.steps
        if step.kind is not Kind.REVIEW
    ]
    save = button(draft, StepAction.SUBMIT, draft.step, str(draft.id), text=str(t.SAVE))
    cancel = button(draft, StepAction.CANCEL, draft.step, text=str(tc.CANCEL))
    return Screen("\n".join(lines), Keyboard.of(edits, (2,)) + Keyboard.stacked([save], [cancel]))


def fields(
    render: Renderer, graph: Graph, item_id: int, answers: dict[str, object], tz: tzinfo
) -> Screen:
    """An existing call's or event's parts, to pick the one to change."""
    buttons = [
        Button(
            render.plain(tc.EDIT_ANSWER, label=str(step.label)),
            ManageCB(ManageAction.FIELD, graph.key, item_id, step.key).pack(),
        )
        for step in graph.steps
        if step.kind is not Kind.REVIEW
    ]
    text = render(t.WHICH_PART) + "\n\n" + "\n".join(values(render, graph, answers, tz))
    return Screen(text, Keyboard.of(buttons, (2,)))


# ----- calls -----
def call_buttons(call_id: int, is_open: bool) -> Keyboard:
    edit = Button(str(t.EDIT), ManageCB(ManageAction.EDIT, "call", call_id).pack())
    close = Button(str(t.CLOSE_NOW), ManageCB(ManageAction.CLOSE_CALL, id=call_id).pack())
    return Keyboard.stacked([edit, close] if is_open else [edit])


def call_state(render: Renderer, call: CallInfo, now: datetime) -> str:
    if call.is_open(now):
        return render(t.CALL_OPEN)
    return render(t.CALL_NOT_YET_OPEN if now < call.opens_at else t.CALL_CLOSED)


def calls_heading(render: Renderer, count: int) -> Screen:
    text = render(t.CALLS_HEADING, count=count) if count else render(t.NO_CALLS_YET)
    new = Button(str(t.NEW_CALL), ManageCB(ManageAction.NEW, "call").pack())
    return Screen(text, Keyboard.stacked([new]))


def call_item(
    render: Renderer, call: CallInfo, tz: tzinfo, now: datetime, link: str | None
) -> Screen:
    text = f"{call_text(render, call, tz, link)}\n{call_state(render, call, now)}"
    return Screen(text, call_buttons(call.id, call.is_open(now)))


def call_saved(
    render: Renderer, call: CallInfo, tz: tzinfo, now: datetime, link: str | None
) -> Screen:
    text = render(t.SAVED) + "\n\n" + call_text(render, call, tz, link)
    if now < call.opens_at:
        when = format_date(call.opens_at, tz, current_locale())
        text += "\n\n" + render(t.OPENS_LATER, when=when)
    return Screen(text, call_buttons(call.id, call.is_open(now)))


def call_closed(render: Renderer, call: CallInfo, tz: tzinfo) -> Screen:
    text = call_text(render, call, tz, None) + "\n" + render(t.CALL_CLOSED)
    return Screen(text, call_buttons(call.id, False))


# ----- events -----
def event_buttons(event_id: int, cancelled: bool) -> Keyboard | None:
    if cancelled:
        return None
    return Keyboard.stacked(
        [
            Button(str(t.EDIT), ManageCB(ManageAction.EDIT, "event", event_id).pack()),
            Button(
                str(t.MOVE),
                ManageCB(ManageAction.FIELD, "event", event_id, "starts_at").pack(),
            ),
        ],
        [Button(str(t.CANCEL_EVENT), ManageCB(ManageAction.CANCEL_EVENT, id=event_id).pack())],
    )


def events_heading(render: Renderer, count: int) -> Screen:
    text = render(t.EVENTS_HEADING, count=count) if count else render(t.NO_EVENTS_YET)
    new = Button(str(t.NEW_EVENT), ManageCB(ManageAction.NEW, "event").pack())
    return Screen(text, Keyboard.stacked([new]))


def event_item(render: Renderer, event: EventInfo, tz: tzinfo) -> Screen:
    text = event_text(render, event, tz) + "\n" + render(t.SIGNED_UP_COUNT, count=event.taken)
    return Screen(text, event_buttons(event.id, event.cancelled))


def event_saved(render: Renderer, event: EventInfo, tz: tzinfo) -> Screen:
    text = render(t.SAVED) + "\n\n" + event_text(render, event, tz)
    return Screen(text, event_buttons(event.id, event.cancelled))


def close_call_question(render: Renderer, call_id: int) -> Screen:
    yes = Button(str(t.CLOSE_CALL_YES), ManageCB(ManageAction.CLOSE_CALL_YES, id=call_id).pack())
    return Screen(render(t.CLOSE_CALL_QUESTION), Keyboard.stacked([yes]))


def cancel_event_question(render: Renderer, event_id: int) -> Screen:
    yes = Button(
        str(t.CANCEL_EVENT_YES), ManageCB(ManageAction.CANCEL_EVENT_YES, id=event_id).pack()
    )
    return Screen(render(t.CANCEL_EVENT_QUESTION), Keyboard.stacked([yes]))


def event_cancelled(render: Renderer, event: EventInfo | None) -> Screen:
    if event is None:
        return Screen(render(t.EVENT_ALREADY_CANCELLED))
    return Screen(render(t.EVENT_CANCELLED, count=event.taken))


def gone(render: Renderer) -> Screen:
    return Screen(render(t.GONE))


def form_closed(render: Renderer) -> Screen:
    return Screen(render(t.FORM_CLOSED))


def nothing_saved(render: Renderer) -> Screen:
    return Screen(render(t.NOTHING_SAVED))
