"""What the intake shows around its steps: the review, the receipt, and what is said
when a draft is resumed, restarted, cancelled or refused."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.conversation.engine import Draft
from bot.core.conversation.graph import Graph, Kind
from bot.core.text import left_to_right
from bot.core.tracking import display_code
from bot.core.vocabulary import Option
from bot.ui.callbacks import MenuAction, MenuCB, StepAction
from bot.ui.conversation import button, shown_value
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.render import Renderer
from locales import conversation as tc
from locales import intake as t

# The step value of the submit button that sends an idea whose call closed as general.
AS_GENERAL = "general"


def code_text(code: str) -> str:
    """A tracking code isolated left-to-right, so it reads right inside Persian text."""
    return left_to_right(display_code(code))


def review(
    render: Renderer, graph: Graph, draft: Draft, options: dict[str, list[Option]], tz: tzinfo
) -> Screen:
    """Every answer, a button to change each, and submit."""
    lines = [render(graph.step(draft.step).prompt_for(draft.answers))]
    edits: list[Button] = []
    for step in graph.steps:
        if step.kind in (Kind.REVIEW, Kind.CONSENT) or step.key not in draft.answers:
            continue
        value = shown_value(render, step, draft.answers[step.key], options.get(step.key, []), tz)
        lines.append(render(tc.ANSWER_LINE, label=str(step.label)) + value)
        label = render.plain(tc.EDIT_ANSWER, label=str(step.label))
        edits.append(button(draft, StepAction.EDIT, step.key, str(draft.id), text=label))
    submit = button(draft, StepAction.SUBMIT, draft.step, str(draft.id), text=str(t.SUBMIT))
    cancel = button(draft, StepAction.CANCEL, draft.step, text=str(tc.CANCEL))
    keyboard = Keyboard.of(edits, (2,)) + Keyboard.stacked([submit], [cancel])
    return Screen("\n".join(lines), keyboard)


def _two(draft: Draft, first: tuple[str, StepAction], second: tuple[str, StepAction]) -> Keyboard:
    value = str(draft.id)
    return Keyboard.stacked(
        [button(draft, action, "", value, text=text) for text, action in (first, second)]
    )


def resume_offer(render: Renderer, graph: Graph, draft: Draft) -> Screen:
    keyboard = _two(
        draft, (str(t.CONTINUE), StepAction.RESUME), (str(t.START_OVER), StepAction.RESTART)
    )
    text = render(t.RESUME_OFFER, step=str(graph.step(draft.step).label))
    return Screen(text, keyboard)


def restart_question(render: Renderer, draft: Draft) -> Screen:
    keyboard = _two(
        draft, (str(t.YES_START_OVER), StepAction.RESTART_YES), (str(t.CONTINUE), StepAction.RESUME)
    )
    return Screen(render(t.RESTART_QUESTION), keyboard)


def cancel_question(render: Renderer, draft: Draft) -> Screen:
    keyboard = Keyboard.stacked(
        [
            button(draft, StepAction.CANCEL_YES, text=str(tc.YES_STOP)),
            button(draft, StepAction.CANCEL_NO, draft.step, text=str(tc.NO_GO_ON)),
        ]
    )
    return Screen(render(t.CANCEL_QUESTION), keyboard)


def cancelled(render: Renderer) -> str:
    return render(t.CANCELLED)


def receipt(render: Renderer, code: str) -> str:
    return render(t.RECEIPT, code=code_text(code))


def daily_limit_reached(render: Renderer, limit: int) -> str:
    return render(t.DAILY_LIMIT_REACHED, limit=limit)


def daily_limit(render: Renderer, limit: int) -> str:
    return render(t.DAILY_LIMIT_DRAFT_KEPT, limit=limit)


def resumed(render: Renderer) -> str:
    return render(t.RESUMED)


def no_draft(render: Renderer) -> str:
    return render(t.NO_DRAFT)


def menu_prompt(render: Renderer) -> str:
    return render(tc.MENU_PROMPT)


def already_submitted(render: Renderer) -> str:
    return render(t.ALREADY_SUBMITTED)


def call_closed(render: Renderer, draft: Draft, title: str) -> Screen:
    """The chosen call closed while the idea was written: send it as a general idea?"""
    keyboard = Keyboard.stacked(
        [button(draft, StepAction.SUBMIT, AS_GENERAL, str(draft.id), text=str(t.SEND_AS_GENERAL))],
        [button(draft, StepAction.CANCEL, text=str(tc.CANCEL))],
    )
    return Screen(render(t.CALL_CLOSED, title=title), keyboard)


def call_not_open(render: Renderer, title: str | None) -> Screen:
    text = render(t.CALL_NOT_FOUND) if title is None else render(t.CALL_NOT_OPEN, title=title)
    keyboard = Keyboard.stacked([Button(str(t.SUBMIT_GENERAL), MenuCB(MenuAction.SUBMIT).pack())])
    return Screen(text, keyboard)


def bound_to_call(render: Renderer, title: str) -> str:
    return render(t.BOUND_TO_CALL, title=title)
