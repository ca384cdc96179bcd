"""What any conversation shows: a step's question with its buttons, what went wrong with
an answer, and which button a typed label stands for.

Every step has a way forward (the answer it takes, or its buttons) and a way out
(cancel); back where there is a step behind, skip where the step allows it. The review
screens differ by conversation and live with each (`bot.ui.intake`, `bot.ui.forms`,
`bot.ui.broadcasts`).
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

from bot.core.conversation.engine import (
    AGREE,
    DONE,
    KEEP,
    NEXT,
    PROFILE_NAME,
    Draft,
    Problem,
    Rejection,
)
from bot.core.conversation.graph import Graph, Kind, Step
from bot.core.dates import format_both
from bot.core.persian import localize_digits, normalize
from bot.core.scoring import rubric_of
from bot.core.scoring import typed as typed_rubric
from bot.core.text import left_to_right
from bot.core.vocabulary import Option
from bot.ui.callbacks import StepAction, StepCB
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, RemoveKeyboard, ReplyButton, ReplyKeyboard, Screen
from bot.ui.render import Renderer
from locales import common, marks
from locales import conversation as t
from locales.i18n import Text, current_locale

REVIEW_PREVIEW = 300
# Kinds whose question comes with a reply keyboard (a request_location/contact button).
REPLY_KEYBOARD_KINDS = frozenset({Kind.LOCATION, Kind.PHONE})
# What the reply keyboard's plain buttons stand for.
REPLY_ACTIONS: dict[str, tuple[Text, StepAction]] = {
    "keep": (t.KEEP, StepAction.PICK),
    "back": (t.BACK, StepAction.BACK),
    "skip": (t.SKIP, StepAction.SKIP),
    "cancel": (t.CANCEL, StepAction.CANCEL),
}
# Every label a conversation's buttons may have: typed, each acts as its button.
NAV_LABELS: tuple[Text, ...] = (
    t.BACK,
    t.SKIP,
    t.CANCEL,
    t.DONE,
    t.AGREE,
    t.NEXT,
    t.SEND_LOCATION,
    t.SHARE_PHONE,
    t.KEEP,
)

PROBLEMS: dict[Problem, Text] = {
    Problem.EXPECTED_TEXT: t.EXPECTED_TEXT,
    Problem.TOO_SHORT: t.TOO_SHORT,
    Problem.TOO_LONG: t.TOO_LONG,
    Problem.NO_LETTERS: t.NO_LETTERS,
    Problem.NOT_A_NUMBER: t.NOT_A_NUMBER,
    Problem.OUT_OF_RANGE: t.OUT_OF_RANGE,
    Problem.EXPECTED_CHOICE: t.EXPECTED_CHOICE,
    Problem.USE_BUTTONS: t.USE_BUTTONS,
    Problem.EXPECTED_MEDIA: t.EXPECTED_MEDIA,
    Problem.EXPECTED_MESSAGE: t.EXPECTED_MESSAGE,
    Problem.FILE_TOO_BIG: t.FILE_TOO_BIG,
    Problem.TOO_MANY_FILES: t.TOO_MANY_FILES,
    Problem.EXPECTED_LOCATION: t.EXPECTED_LOCATION,
    Problem.NOT_OWN_CONTACT: t.NOT_OWN_CONTACT,
    Problem.NOT_A_MOBILE: t.NOT_A_MOBILE,
    Problem.EXPECTED_PHONE: t.EXPECTED_PHONE,
    Problem.EXPECTED_CONSENT: t.EXPECTED_CONSENT,
    Problem.NOT_A_MOMENT: t.NOT_A_MOMENT,
    Problem.IN_THE_PAST: t.IN_THE_PAST,
    Problem.TOO_EARLY: t.TOO_EARLY,
    Problem.NOT_A_CODE: t.NOT_A_CODE,
    Problem.NOT_A_RUBRIC: t.NOT_A_RUBRIC,
    Problem.NOT_A_PERSON: t.NOT_A_PERSON,
    Problem.FORWARD_HIDDEN: t.FORWARD_HIDDEN,
    Problem.NO_CHOICE: t.NO_CHOICE,
    Problem.NOT_SKIPPABLE: t.NOT_SKIPPABLE,
    Problem.MISSING_ANSWER: t.MISSING_ANSWER,
}


def button(
    draft: Draft, action: StepAction, step: str = "", value: str = "", *, text: str
) -> Button:
    return Button(text, StepCB(draft.flow, action, step, value).pack())


def problem_text(render: Renderer, problem: Rejection) -> str:
    return marks.PROBLEM + render(PROBLEMS[problem.problem], **dict(problem.params))


def rubric_lines(value: Any) -> str:
    """A stored rubric, a criterion per line, as staff typed it (weights in the reader's
    digits)."""
    return localize_digits(typed_rubric(rubric_of(value)), current_locale())


def progress(graph: Graph, draft: Draft, available: frozenset[str]) -> tuple[int, int]:
    asked = graph.asked(draft.answers, available)
    position = asked.index(draft.step) + 1 if draft.step in asked else len(asked)
    return position, len(asked)


def shown_value(render: Renderer, step: Step, value: Any, options: list[Option], tz: tzinfo) -> str:
    """An answer as a review shows it (escaped for the platform)."""
    if value is None or value == []:
        return render(t.NOT_GIVEN)
    if step.kind is Kind.PHONE:  # +98… reads left to right, in the reader's digits
        return render.value(left_to_right(localize_digits(str(value), current_locale())))
    if step.kind is Kind.CHOICE:
        chosen = next((o for o in (options or step.options) if o.key == str(value)), None)
        return render.value(str(chosen.label)) if chosen else render(t.NOT_GIVEN)
    if step.kind is Kind.CHOICES:
        labels = [str(o.label) for o in step.options if o.key in value]
        return render.value(str(common.LIST_SEPARATOR).join(labels))
    if step.kind is Kind.MEDIA:
        return render(t.FILES, count=len(value))
    if step.kind is Kind.LOCATION:
        return render(t.SHARED)
    if step.kind in (Kind.MOMENT, Kind.RUBRIC):
        return _staff_typed(render, step, value, tz)
    if step.kind is Kind.MESSAGE:
        return render.value(str(value.get("text") or ""), limit=REVIEW_PREVIEW)
    if isinstance(value, int):
        return render.value(value)
    return render.value(str(value), limit=REVIEW_PREVIEW)


def _staff_typed(render: Renderer, step: Step, value: Any, tz: tzinfo) -> str:
    """What staff typed for a moment (both calendars) or a rubric (a line each)."""
    if step.kind is Kind.MOMENT:
        return render.value(format_both(datetime.fromisoformat(value), tz, current_locale()))
    return "\n" + render.value(rubric_lines(value), limit=REVIEW_PREVIEW * 2)


def _step_buttons(
    render: Renderer, step: Step, draft: Draft, options: list[Option], offered_name: str
) -> list[Button]:
    """The step's own buttons, one per row, before the navigation row."""
    current = draft.answers.get(step.key)
    pick = StepAction.PICK

    def own(text: str, value: str) -> Button:
        return button(draft, pick, step.key, value, text=text)

    found: list[Button] = []
    if step.kind is Kind.CHOICE:
        for option in options:
            mark = marks.CHOSEN if option.key == str(current) else ""
            label = (
                str(option.label) if step.source is None else render.plain("{x}", x=option.label)
            )
            found.append(own(mark + label, option.key))
    elif step.kind is Kind.CHOICES:
        chosen = set(current or [])
        for option in step.options:
            mark = marks.ON if option.key in chosen else marks.OFF
            found.append(own(f"{mark} {option.label}", option.key))
        found.append(own(str(t.NEXT), NEXT))
    elif step.kind is Kind.MEDIA:
        found.append(own(str(t.DONE), DONE))
    elif step.kind is Kind.CONSENT:
        found.append(own(str(t.AGREE), AGREE))
    elif step.kind is Kind.NAME and offered_name and offered_name != current:
        found.append(own(render.plain(t.USE_NAME, name=offered_name), PROFILE_NAME))
    if current is not None and step.kind in (
        Kind.TEXT,
        Kind.NAME,
        Kind.NUMBER,
        Kind.MOMENT,
        Kind.RUBRIC,
    ):
        found.append(own(str(t.KEEP), KEEP))
    return found


def _nav(graph: Graph, step: Step, draft: Draft, available: frozenset[str]) -> list[Button]:
    found = []
    if draft.returning_to_review or graph.previous_step(step.key, draft.answers, available):
        found.append(button(draft, StepAction.BACK, step.key, text=str(t.BACK)))
    if step.optional and not (step.kind is Kind.MEDIA and draft.files(step.key)):
        found.append(button(draft, StepAction.SKIP, step.key, text=str(t.SKIP)))
    found.append(button(draft, StepAction.CANCEL, step.key, text=str(t.CANCEL)))
    return found


def _reply_keyboard(step: Step, draft: Draft) -> ReplyKeyboard:
    request = (
        ReplyButton(str(t.SEND_LOCATION), request_location=True)
        if step.kind is Kind.LOCATION
        else ReplyButton(str(t.SHARE_PHONE), request_contact=True)
    )
    rows: list[tuple[ReplyButton, ...]] = [(request,)]
    if draft.answers.get(step.key) is not None:
        rows.append((ReplyButton(str(t.KEEP)),))
    if step.optional:
        rows.append((ReplyButton(str(t.SKIP)),))
    rows.append((ReplyButton(str(t.BACK)), ReplyButton(str(t.CANCEL))))
    return ReplyKeyboard(tuple(rows))


def prompt(
    render: Renderer,
    graph: Graph,
    draft: Draft,
    *,
    available: frozenset[str],
    options: list[Option],
    tz: tzinfo,
    offered_name: str = "",
    problem: Rejection | None = None,
) -> Screen:
    """The current step's question (after what went wrong, if anything). Not for a
    review: each conversation draws its own."""
    step = graph.step(draft.step)
    assert step.kind is not Kind.REVIEW, "reviews are drawn by their conversation"
    parts = [problem_text(render, problem)] if problem is not None else []
    if graph.numbered:
        position, total = progress(graph, draft, available)
        parts.append(render(t.STEP_OF, position=position, total=total))
    parts.append(render(step.prompt_for(draft.answers)))
    if step.kind is Kind.CHOICE and not options:
        parts.append(render(t.NOTHING_TO_CHOOSE))
    current = draft.answers.get(step.key)
    typed = (Kind.TEXT, Kind.NAME, Kind.NUMBER, Kind.PHONE, Kind.MOMENT, Kind.RUBRIC)
    if current is not None and step.kind in typed:
        if step.kind is Kind.MOMENT:
            current = format_both(datetime.fromisoformat(current), tz, current_locale())
        elif step.kind is Kind.RUBRIC:
            current = "\n" + rubric_lines(current)
        parts.append(render(t.CURRENT_ANSWER, value=current))
    if step.kind is Kind.MEDIA and draft.files(step.key):
        received = len(draft.files(step.key))
        parts.append(render(t.RECEIVED_SO_FAR, count=received, max=step.max_files))
    text = "\n\n".join(parts)
    if step.kind in REPLY_KEYBOARD_KINDS:
        return Screen(text, _reply_keyboard(step, draft))
    own = _step_buttons(render, step, draft, options, offered_name)
    nav = _nav(graph, step, draft, available)
    return Screen(text, Keyboard.stacked(*([b] for b in own), nav))


def file_received(render: Renderer, graph: Graph, draft: Draft) -> Screen:
    step = graph.step(draft.step)
    keyboard = Keyboard.stacked(
        [button(draft, StepAction.PICK, step.key, DONE, text=str(t.DONE))],
        [button(draft, StepAction.CANCEL, step.key, text=str(t.CANCEL))],
    )
    text = render(t.RECEIVED, count=len(draft.files(step.key)), max=step.max_files)
    return Screen(text, keyboard)


def keyboard_removed(render: Renderer, saved: bool) -> Screen:
    """A short line that takes the reply keyboard away when leaving its step."""
    return Screen(render(t.SAVED) if saved else marks.DONE_MARK, RemoveKeyboard())


def earlier_button(render: Renderer) -> str:
    return render(t.EARLIER_BUTTON)


def ended(render: Renderer) -> Screen:
    """What is typed for a conversation whose draft has gone (discarded, or expired)."""
    return Screen(render(t.ENDED), main_menu())


def edits_not_taken(render: Renderer) -> str:
    return render(t.EDITS_NOT_TAKEN)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text)).casefold()


LABEL_MAX_LETTERS = 64


def could_be_a_label(text: str) -> bool:
    """Button labels are short: a long answer is never read as one (nor costs the look)."""
    return len(text) <= LABEL_MAX_LETTERS * 2 and 0 < len(_letters(text)) <= LABEL_MAX_LETTERS


def typed_button(
    screen: Screen, text: str, draft: Draft, *, extra_labels: tuple[Text, ...] = ()
) -> StepCB | Rejection | None:
    """What typing a button's label means: that button, if `screen` has it; a Rejection if
    it is the label of a button this screen doesn't offer (never an answer); else None."""
    typed = _letters(text)
    if not typed:
        return None
    markup = screen.markup
    if isinstance(markup, Keyboard):
        for b in markup.buttons():
            if b.data and _letters(b.text) == typed and (pressed := StepCB.unpack(b.data)):
                return pressed
    elif isinstance(markup, ReplyKeyboard):
        shown = {_letters(b.text) for b in markup.buttons()}
        for name, (label, action) in REPLY_ACTIONS.items():
            if _letters(str(label)) == typed and typed in shown:
                value = KEEP if name == "keep" else ""
                return StepCB(draft.flow, action, draft.step, value)
    if isinstance(markup, Keyboard) and markup.rows and len(first := markup.rows[0]) == 2:
        # A yes-or-no question: a plain "yes" or "no" answers it.
        for word, b in ((t.YES, first[0]), (t.NO, first[1])):
            if _letters(str(word)) == typed and b.data and (pressed := StepCB.unpack(b.data)):
                return pressed
    if any(_letters(str(label)) == typed for label in (*NAV_LABELS, *extra_labels)):
        if typed == _letters(str(t.SKIP)):
            return Rejection(Problem.NOT_SKIPPABLE)
        return Rejection(Problem.USE_BUTTONS)
    return None
