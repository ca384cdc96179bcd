"""What staff see of ideas: the review queue, an idea's card (its answers, contact,
files, history and possible duplicates, with the moves its status allows), its whole
history, and what an action did."""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from bot.core.dates import format_date
from bot.core.persian import localize_digits
from bot.core.platforms import Platform
from bot.core.roles import Permission, Role, may, may_move
from bot.core.scoring import Verdict
from bot.core.statuses import STATUSES, TRANSITIONS
from bot.core.text import MESSAGE_BUDGET, isolated, left_to_right
from bot.core.tracking import display_code
from bot.core.views import HistoryEntry, IdeaCard, IdeaView
from bot.core.vocabulary import AREAS, PERSONAS, STAGES, label_of, platform_name
from bot.ui.callbacks import QueueCB, ScoreCB, StaffAction, StaffCB
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.notices import idea_label, reason_text
from bot.ui.render import Renderer
from locales import common
from locales import intake as ti
from locales import staff as t
from locales import staffwork as w
from locales.i18n import Text, current_locale

PER_PAGE = 8
STATUS_CYCLE = ["open", *STATUSES]
AREA_CYCLE = ["", *(o.key for o in AREAS)]
PLATFORM_CYCLE = ["", *(p.value for p in Platform)]

ENTRY_KINDS: dict[str, Text] = {
    "question": t.QUESTION_ENTRY,
    "answer": t.ANSWER_ENTRY,
    "note": t.NOTE_ENTRY,
    "info": t.INFO_ENTRY,
    "undo": w.UNDO_ENTRY,
    "scored": w.SCORED_ENTRY,
}


# Entries whose text is part of what happened (whom an idea was given to).
NAMED_KINDS: dict[str, Text] = {"assigned": w.ASSIGNED_ENTRY, "unassigned": w.UNASSIGNED_ENTRY}


def entry_title(entry: HistoryEntry) -> str:
    named = NAMED_KINDS.get(entry.kind)
    if named is not None:
        return named.format(name=entry.text or "—")
    if entry.to_status and entry.kind in ("status", "undo"):
        name = str(STATUSES[entry.to_status].name)
        return f"{w.UNDO_ENTRY}: {name}" if entry.kind == "undo" else name
    kind = ENTRY_KINDS.get(entry.kind)
    return str(kind) if kind else entry.kind


def _entry(render: Renderer, entry: HistoryEntry, tz: tzinfo) -> str:
    when = format_date(entry.created_at, tz, current_locale())
    if entry.by_staff:
        return render(w.RECENT_LINE, when=when, what=entry_title(entry), who=entry.who or "—")
    return render(t.ENTRY, when=when, what=entry_title(entry))


# ----- the card -----
MOVE_LABELS: dict[str, Text] = {
    "screening": w.MOVE_SCREENING,
    "needs_info": w.MOVE_NEEDS_INFO,
    "evaluating": w.MOVE_EVALUATING,
    "shortlisted": w.MOVE_SHORTLISTED,
    "accepted": w.MOVE_ACCEPTED,
    "incubating": w.MOVE_INCUBATING,
    "completed": w.MOVE_COMPLETED,
    "rejected": w.MOVE_REJECTED,
    "duplicate": w.MOVE_DUPLICATE,
}
# The moves in one order on every card: forward first, then the ones that end the road.
MOVE_ORDER = [
    key for key in STATUSES if key in MOVE_LABELS and key not in ("rejected", "duplicate")
]
MOVE_ORDER += ["rejected", "duplicate"]


def score_text(render: Renderer, verdict: Verdict | None, hidden: bool) -> str:
    if hidden:
        return str(w.SCORE_HIDDEN)
    if verdict is None or verdict.score is None:
        return str(w.SCORE_NONE)
    text = render.plain(w.SCORE_VALUE, score=decimal(verdict.score), reviewers=verdict.reviewers)
    return text + (" " + str(w.SCORE_DISAGREE) if verdict.disagree else "")


def decimal(value: float) -> str:
    """A score with one decimal, in the reader's digits and decimal separator."""
    text = f"{value:.1f}"
    return localize_digits(text.replace(".", "٫"), "fa") if current_locale() == "fa" else text


def map_link(latitude: float, longitude: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={latitude:.6f}&mlon={longitude:.6f}#map=17/{latitude:.6f}/{longitude:.6f}"


def _recent(render: Renderer, entry: HistoryEntry, tz: tzinfo) -> str:
    when = format_date(entry.created_at, tz, current_locale())
    if entry.by_staff:
        return render(w.RECENT_LINE, when=when, what=entry_title(entry), who=entry.who or "—")
    return render(w.RECENT_LINE_APPLICANT, when=when, what=entry_title(entry))


def who(render: Renderer, card: IdeaCard) -> str:
    """The applicant's group, with their university or company when they gave one."""
    persona = label_of(PERSONAS, card.persona)
    if not card.affiliation:
        return persona
    return render.plain(
        w.WHO_WITH_AFFILIATION, persona=persona, affiliation=isolated(card.affiliation)
    )


def card(
    render: Renderer,
    card: IdeaCard,
    role: Role,
    verdict: Verdict | None,
    similar: list[tuple[IdeaView, int]],
    tz: tzinfo,
) -> Screen:
    """The whole card in one message: the summary, who did what lately, and the buttons
    (the long answers, files and full history one tap away)."""
    none = str(common.DASH)
    idea = card.idea
    locale = current_locale()
    lines = [
        render(
            w.CARD,
            status=str(STATUSES[idea.status].name),
            area=label_of(AREAS, card.area),
            call=isolated(card.call_title) if card.call_title else str(w.NO_CALL),
            who=who(render, card),
            platform=platform_name(card.platform.value),
            stage=label_of(STAGES, card.stage),
            team=card.team_size or none,
            date=format_date(idea.created_at, tz, locale),
            changed=format_date(card.updated_at or idea.created_at, tz, locale),
            assignees=", ".join(isolated(n) for n in card.assignees) or str(w.NOBODY),
            score=score_text(render, verdict, hidden=verdict is None),
            **idea_label(idea),
        )
    ]
    if may(role, Permission.MANAGE):  # contact details: administrators only
        lines.append(
            render(
                w.CARD_CONTACT,
                name=isolated(card.full_name) if card.full_name else none,
                phone=left_to_right(card.phone) if card.phone else none,
            )
        )
    if card.awaiting_staff:
        lines.append(render(w.CARD_AWAITING))
    if card.recent:
        lines += ["", render(w.CARD_RECENT), *(_recent(render, e, tz) for e in card.recent)]
    if similar:
        lines += ["", render(t.POSSIBLE_DUPLICATES)]
        lines += [render(t.ALIKE, score=score, **idea_label(other)) for other, score in similar]
    return Screen("\n".join(lines), card_buttons(render, card, role))


def card_buttons(render: Renderer, card: IdeaCard, role: Role) -> Keyboard:
    idea = card.idea.id

    def cb(action: StaffAction, to: str = "") -> str:
        return StaffCB(action, idea, to).pack()

    reading = [Button(str(w.ANSWERS_BUTTON), cb(StaffAction.ANSWERS))]
    if card.files:
        reading.append(
            Button(render.plain(w.FILES_BUTTON, count=len(card.files)), cb(StaffAction.FILES))
        )
    reading.append(Button(str(w.HISTORY_BUTTON), cb(StaffAction.HISTORY)))
    work = []
    if card.idea.open and may(role, Permission.SCORE):
        work.append(Button(str(w.SCORE_BUTTON), ScoreCB(idea).pack()))
    work.append(Button(str(w.NOTE_BUTTON), cb(StaffAction.NOTE)))
    if may(role, Permission.ASSIGN):
        work.append(Button(str(w.ASSIGN_BUTTON), cb(StaffAction.ASSIGN)))
    allowed = TRANSITIONS[card.idea.status]
    moves = [
        Button(str(MOVE_LABELS[target]), cb(StaffAction.MOVE, target))
        for target in MOVE_ORDER
        if target in allowed and may_move(role, target)
    ]
    extra = []
    if card.awaiting_staff:
        extra.append(Button(str(w.SEEN_BUTTON), cb(StaffAction.SEEN)))
    if card.latitude is not None and card.longitude is not None:
        extra.append(Button(str(w.MAP_BUTTON), url=map_link(card.latitude, card.longitude)))
    return Keyboard.stacked(reading, work) + Keyboard.of(moves, (2,)) + Keyboard.of(extra, (1,))


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


# What became of the applicant's notice, as a staff member is told it: sent; on its way
# (written, for the sender to send: it is another process, or it will try again); or not
# (the applicant cannot be reached).
TOLD, ON_ITS_WAY = "sent", ("queued", "pending")


def moved(
    render: Renderer, status: str, delivery: str | None, undo: StaffCB | None = None
) -> Screen:
    """What a move did, with the button that takes it back (for administrators)."""
    name = str(STATUSES[status].name)
    keyboard = Keyboard.stacked([Button(str(w.UNDO_BUTTON), undo.pack())] if undo else [])
    text = (
        t.MOVED_TOLD
        if delivery == TOLD
        else w.MOVED_ON_ITS_WAY
        if delivery in ON_ITS_WAY
        else t.MOVED_NOT_TOLD
    )
    return Screen(render(text, status=name), keyboard)


def confirmed(render: Renderer, to: str) -> Screen:
    return Screen(render(w.CONFIRMED_DONE, action=str(MOVE_LABELS[to]).rstrip("…")))


def undone(render: Renderer, status: str, delivery: str | None) -> Screen:
    name = str(STATUSES[status].name)
    text = (
        w.UNDONE_TOLD
        if delivery == TOLD
        else w.UNDONE_ON_ITS_WAY
        if delivery in ON_ITS_WAY
        else w.UNDONE_NOT_TOLD
    )
    return Screen(render(text, status=name))


def too_late(render: Renderer) -> Screen:
    return Screen(render(w.TOO_LATE))


def not_permitted(render: Renderer) -> Screen:
    return Screen(render(w.NOT_PERMITTED))


def gone(render: Renderer) -> Screen:
    return Screen(render(w.GONE))


def no_files(render: Renderer) -> Screen:
    return Screen(render(w.NO_FILES))


def confirm_move(
    render: Renderer,
    idea: IdeaView,
    target: str,
    applicant: Platform | None,
    reason: str | None,
    undo_minutes: int,
) -> Screen:
    """What the move will do and to whom, before it is done."""
    action = str(MOVE_LABELS[target]).rstrip("…")
    status = str(STATUSES[target].name)
    if applicant is not None:
        text = render(
            w.CONFIRM_MOVE,
            action=action,
            status=status,
            platform=platform_name(applicant.value),
            **idea_label(idea),
        )
    else:
        text = render(w.CONFIRM_NOBODY_TOLD, action=action, status=status, **idea_label(idea))
    if reason:
        text += "\n" + render(w.CONFIRM_REASON, reason=reason_text(target, reason))
    if not STATUSES[target].open:
        text += "\n\n" + render(w.CONFIRM_FINAL, minutes=undo_minutes)
    keyboard = Keyboard.stacked(
        [
            Button(
                render.plain(w.CONFIRM_YES, action=action),
                StaffCB(StaffAction.CONFIRM, idea.id, target).pack(),
            )
        ],
        [Button(str(w.CONFIRM_BACK), StaffCB(StaffAction.CARD, idea.id).pack())],
    )
    return Screen(text, keyboard)


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
    mine: set[int] | None = None,
    waiting: set[int] | None = None,
) -> Screen:
    """The queue: 📌 marks an idea assigned to the viewer, 💬 one whose applicant
    answered or added something and which waits for staff."""
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
        marks = ("📌" if idea.id in (mine or ()) else "") + (
            "💬" if idea.id in (waiting or ()) else ""
        )
        lines.append(
            (marks + " " if marks else "")
            + render(
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
    mine_label = w.EVERYONES if f.mine else w.MINE_ONLY
    filters.append(Button(str(mine_label), replace(f, mine=not f.mine, page=0).pack()))
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
