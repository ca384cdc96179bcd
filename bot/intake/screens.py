"""What the intake shows: prompts, keyboards, problems, the review and the receipt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import _, __
from bot.intake import graph
from bot.intake.engine import KEEP, CallView, DraftView, Problem, Rejection
from bot.intake.graph import Kind, Step
from bot.keyboards import MenuAction, MenuCB
from bot.persian import localize_digits, normalize
from bot.render import Renderer, current_locale, left_to_right
from bot.tracking import display_code

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
# Steps whose prompt comes with a reply keyboard (a request_location/contact button).
REPLY_KEYBOARD_STEPS = frozenset({"location", "phone"})
REVIEW_PREVIEW = 300


class IntakeAction(StrEnum):
    PICK = "pick"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    CANCEL_YES = "cancel_yes"
    CANCEL_NO = "cancel_no"
    EDIT = "edit"
    SUBMIT = "submit"
    RESUME = "resume"
    RESTART = "restart"
    RESTART_YES = "restart_yes"


class IntakeCB(CallbackData, prefix="in"):
    action: IntakeAction
    step: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: Markup = None


LABELS = {
    "back": __("↩️ Back"),
    "skip": __("⏭ Skip"),
    "cancel": __("✖️ Cancel"),
    "done": __("✅ Done"),
    "agree": __("✅ I agree"),
    "location": __("📍 Send my current location"),
    "phone": __("📱 Share my phone number"),
    "submit": __("📨 Submit my idea"),
    "keep": __("✅ Keep the current answer"),
}
# What the reply keyboard's plain buttons stand for.
REPLY_ACTIONS = {
    "keep": IntakeAction.PICK,
    "back": IntakeAction.BACK,
    "skip": IntakeAction.SKIP,
    "cancel": IntakeAction.CANCEL,
}


def label(name: str) -> str:
    return str(LABELS[name])


def code_text(code: str) -> str:
    """A tracking code isolated left-to-right, so it reads right inside Persian text."""
    return left_to_right(display_code(code))


def _nav(builder: InlineKeyboardBuilder, step: Step, draft: DraftView, calls_open: bool) -> None:
    buttons = []
    if draft.returning_to_review or graph.previous_step(step.key, draft.answers, calls_open):
        buttons.append(("back", IntakeAction.BACK))
    if step.optional and not (step.kind is Kind.MEDIA and draft.files):
        buttons.append(("skip", IntakeAction.SKIP))
    buttons.append(("cancel", IntakeAction.CANCEL))
    for name, action in buttons:
        builder.button(text=label(name), callback_data=IntakeCB(action=action, step=step.key))


def _reply_keyboard(step: Step, draft: DraftView) -> ReplyKeyboardMarkup:
    request = (
        KeyboardButton(text=label("location"), request_location=True)
        if step.kind is Kind.LOCATION
        else KeyboardButton(text=label("phone"), request_contact=True)
    )
    rows = [[request]]
    if draft.answers.get(step.key) is not None:
        rows.append([KeyboardButton(text=label("keep"))])
    if step.optional:
        rows.append([KeyboardButton(text=label("skip"))])
    rows.append([KeyboardButton(text=label("back")), KeyboardButton(text=label("cancel"))])
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=False)


def progress(draft: DraftView, calls_open: bool) -> tuple[int, int]:
    asked = [s.key for s in graph.STEPS if s.applies(draft.answers, calls_open)]
    position = asked.index(draft.step) + 1 if draft.step in asked else len(asked)
    return position, len(asked)


def shown_value(render: Renderer, step: Step, value: Any, calls: list[CallView]) -> str:
    """An answer as the review shows it (escaped for the platform)."""
    if value is None:
        return render(_("— (not given)"))
    if step.kind is Kind.PHONE:  # +98… reads left to right, in the reader's digits
        return render.value(left_to_right(localize_digits(str(value), current_locale())))
    if step.kind is Kind.CHOICE:
        option = step.option(value)
        return render.value(str(option.label) if option else str(value))
    if step.kind is Kind.CALL:
        title = next((c.title for c in calls if c.id == value), None)
        return render.value(title) if title else render(_("— (not given)"))
    if step.kind is Kind.MEDIA:
        return render(_("{count} file(s)"), count=len(value))
    if step.kind is Kind.LOCATION:
        return render(_("📍 shared"))
    if isinstance(value, int):
        return render.value(value)
    return render.value(str(value), limit=REVIEW_PREVIEW)


def _pick(builder: InlineKeyboardBuilder, step: Step, text: str, value: str) -> None:
    builder.button(
        text=text, callback_data=IntakeCB(action=IntakeAction.PICK, step=step.key, value=value)
    )


def _step_buttons(
    render: Renderer,
    step: Step,
    draft: DraftView,
    calls: list[CallView],
    offered_name: str,
    builder: InlineKeyboardBuilder,
) -> None:
    """The step's own buttons, one per row, before the navigation row."""
    current = draft.answers.get(step.key)
    if step.kind is Kind.CHOICE:
        for option in step.options:
            mark = "✓ " if option.key == current else ""
            _pick(builder, step, mark + str(option.label), option.key)
    elif step.kind is Kind.CALL:
        for call in calls:
            _pick(builder, step, render.plain("{title}", title=call.title), str(call.id))
    elif step.kind is Kind.MEDIA:
        _pick(builder, step, label("done"), "done")
    elif step.kind is Kind.CONSENT:
        _pick(builder, step, label("agree"), "agree")
    elif step.kind is Kind.NAME and offered_name and offered_name != current:
        _pick(builder, step, render.plain(_("✅ {name}"), name=offered_name), "profile")
    if current is not None and step.kind in (Kind.TEXT, Kind.NAME, Kind.NUMBER):
        _pick(builder, step, label("keep"), KEEP)


def prompt(
    render: Renderer,
    draft: DraftView,
    *,
    calls_open: bool,
    calls: list[CallView] | None = None,
    offered_name: str = "",
    problem: Rejection | None = None,
) -> Screen:
    """The current step's question (after what went wrong, if anything)."""
    step = draft.current
    calls = calls or []
    parts = [problem_text(render, problem)] if problem is not None else []
    if step.kind is Kind.REVIEW:
        screen = review(render, draft, calls)
        return Screen("\n\n".join([*parts, screen.text]), screen.markup)
    position, total = progress(draft, calls_open)
    parts.append(render(_("<b>Step {position} of {total}</b>"), position=position, total=total))
    parts.append(render(str(step.prompt_for(draft.answers))))
    current = draft.answers.get(step.key)
    if current is not None and step.kind in (Kind.TEXT, Kind.NAME, Kind.NUMBER, Kind.PHONE):
        parts.append(render(_("Current answer: {value}"), value=current))
    if step.kind is Kind.MEDIA and draft.files:
        parts.append(
            render(
                _("Received so far: {count} of {max}."), count=len(draft.files), max=step.max_files
            )
        )
    text = "\n\n".join(parts)
    if step.key in REPLY_KEYBOARD_STEPS:
        return Screen(text, _reply_keyboard(step, draft))
    builder = InlineKeyboardBuilder()
    _step_buttons(render, step, draft, calls, offered_name, builder)
    own = len(list(builder.buttons))
    _nav(builder, step, draft, calls_open)
    navigation = len(list(builder.buttons)) - own
    builder.adjust(*([1] * own), navigation)
    return Screen(text, builder.as_markup())


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text)).casefold()


LABEL_MAX_LETTERS = 64


def could_be_a_label(text: str) -> bool:
    """Button labels are short: a long answer is never read as one (nor costs the look)."""
    return len(text) <= LABEL_MAX_LETTERS * 2 and 0 < len(_letters(text)) <= LABEL_MAX_LETTERS


def typed_button(screen: Screen, text: str, step: str) -> IntakeCB | Rejection | None:
    """What typing a button's label means: that button, if `screen` has it; a Rejection if
    it is the label of a button this screen doesn't offer (never an answer); else None."""
    typed = _letters(text)
    if not typed:
        return None
    markup = screen.markup
    if isinstance(markup, InlineKeyboardMarkup):
        for row in markup.inline_keyboard:
            for button in row:
                if button.callback_data and _letters(button.text) == typed:
                    return IntakeCB.unpack(button.callback_data)
    elif isinstance(markup, ReplyKeyboardMarkup):
        shown = {_letters(b.text) for row in markup.keyboard for b in row}
        for name, action in REPLY_ACTIONS.items():
            if _letters(label(name)) == typed and typed in shown:
                return IntakeCB(action=action, step=step, value=KEEP if name == "keep" else "")
    if isinstance(markup, InlineKeyboardMarkup) and len(buttons := markup.inline_keyboard[0]) == 2:
        # A yes-or-no question: a plain "yes" or "no" answers it.
        for word, button in ((_("yes"), buttons[0]), (_("no"), buttons[1])):
            if _letters(word) == typed and button.callback_data:
                return IntakeCB.unpack(button.callback_data)
    if any(_letters(label(name)) == typed for name in LABELS):
        if typed == _letters(label("skip")):
            return Rejection(Problem.NOT_SKIPPABLE)
        return Rejection(Problem.USE_BUTTONS)
    return None


def review(render: Renderer, draft: DraftView, calls: list[CallView]) -> Screen:
    lines = [render(str(graph.step(graph.REVIEW).prompt))]
    builder = InlineKeyboardBuilder()
    for step in graph.STEPS:
        if step.kind in (Kind.REVIEW, Kind.CONSENT) or step.key not in draft.answers:
            continue
        value = shown_value(render, step, draft.answers[step.key], calls)
        lines.append(render(_("<b>{label}:</b> "), label=str(step.label)) + value)
        builder.button(
            text=render.plain(_("✏️ {label}"), label=str(step.label)),
            callback_data=IntakeCB(action=IntakeAction.EDIT, step=step.key, value=str(draft.id)),
        )
    edits = len(list(builder.buttons))
    builder.button(
        text=label("submit"),
        callback_data=IntakeCB(action=IntakeAction.SUBMIT, step=graph.REVIEW, value=str(draft.id)),
    )
    builder.button(
        text=label("cancel"), callback_data=IntakeCB(action=IntakeAction.CANCEL, step=graph.REVIEW)
    )
    builder.adjust(*([2] * (edits // 2)), *([1] * (edits % 2)), 1, 1)
    return Screen("\n".join(lines), builder.as_markup())


PROBLEMS = {
    Problem.EXPECTED_TEXT: __("Please send your answer as a text message."),
    Problem.TOO_SHORT: __(
        "That is too short ({length} of at least {min} characters). Please add more."
    ),
    Problem.TOO_LONG: __(
        "That is too long ({length} of at most {max} characters). Please shorten it."
    ),
    Problem.NO_LETTERS: __(
        "Please write it in words: an answer of only numbers, emoji or spaces can't be accepted."
    ),
    Problem.NOT_A_NUMBER: __("Please send a number, like 3."),
    Problem.OUT_OF_RANGE: __("Please send a number from {min} to {max}."),
    Problem.EXPECTED_CHOICE: __("Please choose one of the buttons."),
    Problem.USE_BUTTONS: __("Please use the buttons below."),
    Problem.EXPECTED_MEDIA: __(
        "Please send a photo, a document or a voice note (at most {max}), or press “Done”."
    ),
    Problem.FILE_TOO_BIG: __("That file is larger than {max_mb} MB. Please send a smaller one."),
    Problem.TOO_MANY_FILES: __(
        "You have already sent {max} files, the most allowed. Press “Done” to go on."
    ),
    Problem.EXPECTED_LOCATION: __(
        "Please share a location with the button below, or skip this step."
    ),
    Problem.NOT_OWN_CONTACT: __(
        "That is someone else's contact. Please share your own number with the button, or type it."
    ),
    Problem.NOT_A_MOBILE: __(
        "That is not a mobile number. Please type it like 09121234567 (or with its country "
        "code, like +44…), or share it with the button."
    ),
    Problem.EXPECTED_PHONE: __("Please share your phone number with the button below, or type it."),
    Problem.EXPECTED_CONSENT: __("To submit your idea, please press “I agree”, or cancel."),
    Problem.NOT_SKIPPABLE: __("This step can't be skipped."),
    Problem.MISSING_ANSWER: __("This answer is still needed before the idea can be submitted."),
}


def problem_text(render: Renderer, problem: Rejection) -> str:
    return "⚠️ " + render(str(PROBLEMS[problem.problem]), **dict(problem.params))


def file_received(render: Renderer, draft: DraftView) -> Screen:
    step = draft.current
    builder = InlineKeyboardBuilder()
    builder.button(
        text=label("done"),
        callback_data=IntakeCB(action=IntakeAction.PICK, step=step.key, value="done"),
    )
    builder.button(
        text=label("cancel"), callback_data=IntakeCB(action=IntakeAction.CANCEL, step=step.key)
    )
    builder.adjust(1, 1)
    text = render(
        _("Received ({count} of {max}). Send another, or press “Done”."),
        count=len(draft.files),
        max=step.max_files,
    )
    return Screen(text, builder.as_markup())


def keyboard_removed(render: Renderer, saved: bool) -> Screen:
    """A short line that takes the reply keyboard away when leaving its step."""
    return Screen(render(_("✓ Saved.")) if saved else "✓", ReplyKeyboardRemove())


def _two_buttons(first: tuple[str, IntakeCB], second: tuple[str, IntakeCB]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in (first, second):
        builder.button(text=text, callback_data=data)
    builder.adjust(2)
    return builder.as_markup()


def resume_offer(render: Renderer, draft: DraftView) -> Screen:
    markup = _two_buttons(
        (_("▶️ Continue"), IntakeCB(action=IntakeAction.RESUME, value=str(draft.id))),
        (_("🔄 Start over"), IntakeCB(action=IntakeAction.RESTART, value=str(draft.id))),
    )
    text = render(
        _("You have an unfinished idea (at “{step}”). Continue where you stopped, or start over?"),
        step=str(draft.current.label),
    )
    return Screen(text, markup)


def restart_question(render: Renderer, draft: DraftView) -> Screen:
    markup = _two_buttons(
        (_("🗑 Yes, start over"), IntakeCB(action=IntakeAction.RESTART_YES, value=str(draft.id))),
        (_("▶️ Continue"), IntakeCB(action=IntakeAction.RESUME, value=str(draft.id))),
    )
    text = render(_("Delete the answers of your unfinished idea and start a new one?"))
    return Screen(text, markup)


def cancel_question(render: Renderer, step_key: str) -> Screen:
    markup = _two_buttons(
        (_("Yes, stop"), IntakeCB(action=IntakeAction.CANCEL_YES)),
        (_("No, go on"), IntakeCB(action=IntakeAction.CANCEL_NO, step=step_key)),
    )
    text = render(
        _(
            "Stop submitting this idea? Your answers are kept: you can continue later from "
            "“Submit an idea”, until you start over."
        )
    )
    return Screen(text, markup)


def cancelled(render: Renderer) -> str:
    return render(_("Stopped. Your draft is kept for when you come back."))


def receipt(render: Renderer, code: str) -> str:
    return render(
        _(
            "✅ <b>Your idea is registered.</b>\n"
            "Tracking code: <code>{code}</code>\n\n"
            "What happens next: the center's experts will screen it first, then evaluate it. "
            "You will be told here at every change. Use /my to see your ideas and their status."
        ),
        code=code_text(code),
    )


def daily_limit_reached(render: Renderer, limit: int) -> str:
    return render(
        _(
            "You have submitted {limit} ideas today, the most for one day. Thank you! You can "
            "submit more tomorrow."
        ),
        limit=limit,
    )


def daily_limit(render: Renderer, limit: int) -> str:
    return render(
        _(
            "You have submitted {limit} ideas today, the most for one day. Thank you! Your draft "
            "is kept: please submit it tomorrow."
        ),
        limit=limit,
    )


def resumed(render: Renderer) -> str:
    return render(_("Your idea is waiting. Here is where you stopped:"))


def edits_not_taken(render: Renderer) -> str:
    return render(
        _(
            "Edited messages are not taken as answers. To change an answer, use Back, or the "
            "✏️ buttons on the review screen."
        )
    )


def no_draft(render: Renderer) -> str:
    return render(_("There is no idea in progress. Choose from the menu to start one."))


def menu_prompt(render: Renderer) -> str:
    return render(_("Here is the menu."))


def already_submitted(render: Renderer) -> str:
    return render(_("This idea has already been submitted. Use /my to see it."))


def stale_button(render: Renderer) -> str:
    return render(_("That button belongs to an earlier question. Here is the current one."))


AS_GENERAL = "general"


def call_closed(render: Renderer, draft: DraftView, title: str) -> Screen:
    """The chosen call closed while the idea was written: send it as a general idea?"""
    text = render(
        _(
            "The call for proposals «{title}» has closed, so it no longer takes ideas. "
            "Your idea is not lost: you can send it as a general idea to the center."
        ),
        title=title,
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("📨 Send as a general idea"),
        callback_data=IntakeCB(action=IntakeAction.SUBMIT, step=AS_GENERAL, value=str(draft.id)),
    )
    builder.button(text=label("cancel"), callback_data=IntakeCB(action=IntakeAction.CANCEL))
    builder.adjust(1)
    return Screen(text, builder.as_markup())


def call_not_open(render: Renderer, title: str | None) -> Screen:
    if title is None:
        text = render(_("That call for proposals was not found. /calls lists the open ones."))
    else:
        text = render(
            _(
                "The call for proposals «{title}» is not open now. You can still send your "
                "idea to the center as a general idea, or see the open calls with /calls."
            ),
            title=title,
        )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("💡 Submit a general idea"), callback_data=MenuCB(action=MenuAction.SUBMIT)
    )
    return Screen(text, builder.as_markup())


def bound_to_call(render: Renderer, title: str) -> str:
    return render(
        _("📣 Your idea will go to the call for proposals «{title}» (choose one of its areas)."),
        title=title,
    )
