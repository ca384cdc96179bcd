"""An applicant's own ideas: the list, one idea with its history, withdrawing, and
answering the experts' question."""

from __future__ import annotations

from datetime import tzinfo

from bot.core.dates import format_date
from bot.core.statuses import STATUSES
from bot.core.text import MESSAGE_BUDGET, bound, isolated, latest_that_fit
from bot.core.tracking import display_code
from bot.core.views import HistoryEntry, IdeaCard, IdeaView
from bot.core.vocabulary import AREAS, STAGES, label_of
from bot.ui.callbacks import IdeaAction, IdeaCB
from bot.ui.intake import code_text
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.notices import idea_label, next_step, reason_text
from bot.ui.render import Renderer
from locales import applicant as t
from locales import intake as ti
from locales.i18n import current_locale


def ideas_list(render: Renderer, mine: list[IdeaView], total: int, tz: tzinfo) -> Screen:
    """The list, and a button per idea to open it (with its history)."""
    if not mine:
        return Screen(render(t.NO_IDEAS), main_menu())
    locale = current_locale()
    lines = [render(t.MY_IDEAS)]
    for number, idea in enumerate(mine, 1):
        lines.append(
            render(
                t.IDEA_LINE,
                number=number,
                code=code_text(idea.code),
                title=isolated(idea.title),
                status=str(STATUSES[idea.status].name),
                date=format_date(idea.created_at, tz, locale, with_time=False),
            )
        )
    if total > len(mine):
        lines.append(render(t.LATEST_OF, shown=len(mine), total=total))
    buttons = [
        Button(
            render.plain(t.OPEN_CODE, code=display_code(idea.code)),
            IdeaCB(IdeaAction.OPEN, idea.id).pack(),
        )
        for idea in mine
    ]
    return Screen("\n\n".join(lines), Keyboard.of(buttons, (3,)))


def entry_line(render: Renderer, entry: HistoryEntry, tz: tzinfo) -> str:
    when = format_date(entry.created_at, tz, current_locale())
    text = bound(entry.text or "", 400)
    if entry.kind == "question":
        return render(t.ASKED, when=when, text=text)
    if entry.kind == "answer":
        return render(t.ANSWERED, when=when, text=text)
    if entry.kind == "info":
        return render(t.ADDED, when=when, text=text)
    status = str(STATUSES[entry.to_status or "submitted"].name)
    line = render(t.STATUS_ENTRY, when=when, status=status)
    if entry.text:
        line += render(t.REASON_SUFFIX, reason=reason_text(entry.to_status, entry.text))
    return line


def detail_markup(idea: IdeaView) -> Keyboard:
    answer = Button(str(t.ANSWER), IdeaCB(IdeaAction.ANSWER, idea.id).pack())
    add = Button(str(t.ADD_INFO), IdeaCB(IdeaAction.ADD_INFO, idea.id).pack())
    withdraw = Button(str(t.WITHDRAW), IdeaCB(IdeaAction.WITHDRAW, idea.id).pack())
    return Keyboard.stacked(
        [answer] if idea.status == "needs_info" else [],
        [add] if idea.open else [],
        [withdraw] if idea.open else [],
    )


def _submission(render: Renderer, card: IdeaCard) -> str:
    """What the applicant sent, as they sent it (each answer bounded: one message)."""
    lines = [
        render(t.SUBMITTED_AREA, area=label_of(AREAS, card.area)),
        render(t.SUBMITTED_STAGE, stage=label_of(STAGES, card.stage)),
    ]
    for label, value in (
        (ti.PROBLEM_LABEL, card.problem),
        (ti.SOLUTION_LABEL, card.solution),
        (ti.IMPACT_LABEL, card.impact),
    ):
        if value:
            lines.append(render("<b>{label}</b>: {text}", label=str(label), text=bound(value, 700)))
    if card.files:
        lines.append(render(t.SUBMITTED_FILES, count=len(card.files)))
    return "\n".join(lines)


def detail(
    render: Renderer,
    idea: IdeaView,
    history: list[HistoryEntry],
    tz: tzinfo,
    card: IdeaCard | None = None,
) -> Screen:
    """One idea as its applicant sees it: the status in words and what happens next,
    the whole submission, and its history."""
    text = render(t.IDEA_TITLE, **idea_label(idea))
    text += "\n\n" + render(
        t.IDEA_STATUS,
        status=str(STATUSES[idea.status].name),
        date=format_date(idea.created_at, tz, current_locale()),
    )
    after = next_step(render, idea.status)
    if after is not None:
        text += "\n" + after
    if card is not None:
        text += "\n\n" + _submission(render, card)
    if history:  # the latest ones that fit: one message stays under the platforms' limit
        lines = [entry_line(render, e, tz) for e in history]
        budget = MESSAGE_BUDGET - len(text)
        text += "\n\n" + render(t.HISTORY) + "\n"
        text += "\n".join(latest_that_fit(lines, budget))
    return Screen(text, detail_markup(idea))


def closed_for_info(render: Renderer) -> Screen:
    return Screen(render(t.CLOSED_FOR_INFO))


def info_added(render: Renderer, idea: IdeaView) -> Screen:
    return Screen(render(t.INFO_ADDED, **idea_label(idea)), main_menu())


def not_found(render: Renderer) -> Screen:
    return Screen(render(t.NOT_FOUND), main_menu())


def withdraw_question(render: Renderer, idea: IdeaView) -> Screen:
    keyboard = Keyboard.stacked(
        [
            Button(str(t.WITHDRAW_YES), IdeaCB(IdeaAction.WITHDRAW_YES, idea.id).pack()),
            Button(str(t.KEEP_IT), IdeaCB(IdeaAction.OPEN, idea.id).pack()),
        ]
    )
    return Screen(render(t.WITHDRAW_QUESTION, **idea_label(idea)), keyboard)


def withdrawn(render: Renderer, done: bool) -> Screen:
    return Screen(render(t.WITHDRAWN if done else t.CANNOT_WITHDRAW), main_menu())


def which_idea(render: Renderer, waiting: list[IdeaView]) -> Screen:
    """An answer sent without choosing its idea, while several wait: one button each."""
    rows = [
        [
            Button(
                render.plain(t.ANSWER_FOR, code=display_code(idea.code), title=idea.title),
                IdeaCB(IdeaAction.ANSWER_THIS, idea.id).pack(),
            )
        ]
        for idea in waiting
    ]
    return Screen(render(t.WHICH_IDEA), Keyboard.stacked(*rows))


def no_question(render: Renderer) -> Screen:
    return Screen(render(t.NO_QUESTION), main_menu())
