"""What staff see of ideas: the review queue, an idea's card (its answers, contact,
files, history and possible duplicates, with the moves its status allows), its whole
history, and what an action did."""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from bot.core.dates import format_date
from bot.core.platforms import Platform
from bot.core.statuses import STATUSES, TRANSITIONS
from bot.core.text import MESSAGE_BUDGET, bound, isolated, latest_that_fit, left_to_right
from bot.core.tracking import display_code
from bot.core.views import HistoryEntry, IdeaCard, IdeaView
from bot.core.vocabulary import AREAS, PERSONAS, STAGES, label_of, platform_name
from bot.ui.callbacks import QueueCB, StaffAction, StaffCB
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.notices import idea_label, reason_text
from bot.ui.render import Renderer
from locales import common
from locales import intake as ti
from locales import staff as t
from locales.i18n import Text, current_locale

PER_PAGE = 8
STATUS_CYCLE = ["open", *STATUSES]
AREA_CYCLE = ["", *(o.key for o in AREAS)]
PLATFORM_CYCLE = ["", *(p.value for p in Platform)]

ENTRY_KINDS: dict[str, Text] = {
    "question": t.QUESTION_ENTRY,
    "answer": t.ANSWER_ENTRY,
    "note": t.NOTE_ENTRY,
}


def entry_title(entry: HistoryEntry) -> str:
    if entry.to_status and entry.kind == "status":
        return str(STATUSES[entry.to_status].name)
    kind = ENTRY_KINDS.get(entry.kind)
    return str(kind) if kind else entry.kind


def _entry(render: Renderer, entry: HistoryEntry, tz: tzinfo) -> str:
    when = format_date(entry.created_at, tz, current_locale())
    return render(t.ENTRY, when=when, what=entry_title(entry))


# ----- the card -----
def summary(render: Renderer, card: IdeaCard, tz: tzinfo) -> Screen:
    none = str(common.DASH)
    idea = card.idea
    # Numbers and a phone keep their left-to-right order inside the Persian lines.
    location = (
        left_to_right(f"{card.latitude}, {card.longitude}") if card.latitude is not None else none
    )
    text = (
        render(t.CARD_TITLE, **idea_label(idea))
        + "\n"
        + render(
            t.CARD_DETAILS,
            status=str(STATUSES[idea.status].name),
            date=format_date(idea.created_at, tz, current_locale()),
            platform=platform_name(card.platform.value),
            persona=label_of(PERSONAS, card.persona),
            affiliation=isolated(card.affiliation) if card.affiliation else none,
            area=label_of(AREAS, card.area),
            stage=label_of(STAGES, card.stage),
            team=card.team_size or none,
            name=isolated(card.full_name) if card.full_name else none,
            phone=left_to_right(card.phone) if card.phone else none,
            location=location,
        )
    )
    return Screen(text)


def answers(render: Renderer, card: IdeaCard) -> list[Screen]:
    """The long answers, each whole, in a message of its own."""
    found = []
    for label, text in (
        (ti.PROBLEM_LABEL, card.problem),
        (ti.SOLUTION_LABEL, card.solution),
        (ti.IMPACT_LABEL, card.impact),
    ):
        if text:
            found.append(Screen(render.whole(t.LONG_ANSWER, label=str(label), text=text)))
    return found


def file_gone(render: Renderer) -> Screen:
    return Screen(render(t.FILE_GONE))


def files_elsewhere(render: Renderer, card: IdeaCard) -> Screen:
    platform = card.files[0].platform.value
    return Screen(
        render(t.FILES_ELSEWHERE, count=len(card.files), platform=platform_name(platform))
    )


def actions(render: Renderer, idea: IdeaView) -> Keyboard:
    moves = [
        Button(
            render.plain(t.MOVE_TO, status=str(STATUSES[target].name)),
            StaffCB(StaffAction.MOVE, idea.id, target).pack(),
        )
        for target in sorted(TRANSITIONS[idea.status] - {"withdrawn"})
    ]
    others = [
        Button(str(t.NOTE_BUTTON), StaffCB(StaffAction.NOTE, idea.id).pack()),
        Button(str(t.FULL_HISTORY), StaffCB(StaffAction.HISTORY, idea.id).pack()),
    ]
    return Keyboard.of([*moves, *others], (2,))


def history_and_actions(
    render: Renderer,
    idea: IdeaView,
    entries: list[HistoryEntry],
    similar: list[tuple[IdeaView, int]],
    tz: tzinfo,
) -> Screen:
    lines = []
    for entry in entries:
        line = _entry(render, entry, tz)
        if entry.text:
            shown = bound(reason_text(entry.to_status, entry.text), 300)
            line += "\n" + render("    {text}", text=shown)
        lines.append(line)
    # The latest that fit, leaving room for the duplicates below (3 lines at most).
    parts = [render(t.HISTORY), *latest_that_fit(lines, MESSAGE_BUDGET - 900)]
    if similar:
        parts += ["", render(t.POSSIBLE_DUPLICATES)]
        parts += [render(t.ALIKE, score=score, **idea_label(other)) for other, score in similar]
    return Screen("\n".join(parts), actions(render, idea))


def full_history(render: Renderer, entries: list[HistoryEntry], tz: tzinfo) -> list[Screen]:
    """Every entry with its whole text, in as many messages as it takes."""
    pages: list[Screen] = []
    page: list[str] = []
    for entry in entries:
        line = _entry(render, entry, tz)
        if entry.text:
            line += "\n" + render.whole("{text}", text=reason_text(entry.to_status, entry.text))
        if page and sum(len(p) + 2 for p in page) + len(line) > MESSAGE_BUDGET:
            pages.append(Screen("\n\n".join(page)))
            page = []
        page.append(line)
    pages.append(Screen("\n\n".join(page)) if page else Screen(render(t.NOTHING_YET)))
    return pages


def no_such_idea(render: Renderer) -> Screen:
    return Screen(render(t.NO_SUCH_IDEA))


def moved(render: Renderer, status: str, told: bool) -> Screen:
    name = str(STATUSES[status].name)
    return Screen(render(t.MOVED_TOLD if told else t.MOVED_NOT_TOLD, status=name))


def not_possible(render: Renderer) -> Screen:
    return Screen(render(t.NOT_POSSIBLE))


def note_added(render: Renderer) -> Screen:
    return Screen(render(t.NOTE_ADDED))


# ----- the queue -----
def _next(cycle: list[str], current: str) -> str:
    return cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]


def checked(f: QueueCB) -> QueueCB:
    """Filters as the buttons make them; anything else (forged) falls back to the defaults."""
    if (
        f.status not in STATUS_CYCLE
        or f.area not in AREA_CYCLE
        or f.platform not in PLATFORM_CYCLE
        or f.call < 0
    ):
        return QueueCB()
    return replace(f, page=max(f.page, 0))


def queue(
    render: Renderer,
    ideas: list[IdeaView],
    total: int,
    f: QueueCB,
    calls: dict[int, str],
    tz: tzinfo,
) -> Screen:
    every = str(t.ANY)
    status = str(t.ALL_OPEN) if f.status == "open" else str(STATUSES[f.status].name)
    lines = [
        render(
            t.QUEUE_HEADING,
            total=total,
            status=status,
            area=label_of(AREAS, f.area) if f.area else every,
            platform=platform_name(f.platform) if f.platform else every,
        )
    ]
    if f.call:
        lines.append(render(t.QUEUE_CALL, title=calls.get(f.call, f"#{f.call}")))
    opens = []
    for idea in ideas:
        lines.append(
            render(
                t.QUEUE_LINE,
                status=str(STATUSES[idea.status].name),
                date=format_date(idea.created_at, tz, current_locale(), with_time=False),
                **idea_label(idea),
            )
        )
        opens.append(
            Button(
                render.plain(t.OPEN_CODE, code=display_code(idea.code)),
                StaffCB(StaffAction.OPEN, idea.id).pack(),
            )
        )
    filters = [
        Button(
            str(t.STATUS_FILTER), replace(f, status=_next(STATUS_CYCLE, f.status), page=0).pack()
        ),
        Button(str(t.AREA_FILTER), replace(f, area=_next(AREA_CYCLE, f.area), page=0).pack()),
        Button(
            str(t.PLATFORM_FILTER),
            replace(f, platform=_next(PLATFORM_CYCLE, f.platform), page=0).pack(),
        ),
    ]
    call_cycle = [0, *sorted(calls)]
    if len(call_cycle) > 1:
        following = (
            call_cycle[(call_cycle.index(f.call) + 1) % len(call_cycle)]
            if f.call in call_cycle
            else 0
        )
        filters.append(Button(str(t.CALL_FILTER), replace(f, call=following, page=0).pack()))
    pages = []
    if f.page > 0:
        pages.append(Button(str(t.PREVIOUS), replace(f, page=f.page - 1).pack()))
    if (f.page + 1) * PER_PAGE < total:
        pages.append(Button(str(t.NEXT_PAGE), replace(f, page=f.page + 1).pack()))
    keyboard = Keyboard.of(opens, (2,)) + Keyboard.stacked(filters, pages)
    return Screen("\n".join(lines), keyboard)
