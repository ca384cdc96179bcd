"""What staff see of the loop around an idea: the assignment picker, the score sheet,
rankings, the choice of alerts, and invitations."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.alerts import AlertMode
from bot.core.platforms import Platform
from bot.core.scoring import SCALE, Criterion, Verdict
from bot.core.text import bound, isolated
from bot.core.tracking import display_code
from bot.core.views import IdeaView, StaffMember
from bot.core.vocabulary import AREAS, label_of, platform_name
from bot.ui.callbacks import AlertCB, RankCB, ScoreCB, StaffAction, StaffCB
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.notices import idea_label
from bot.ui.render import Renderer
from bot.ui.review import decimal, score_text
from locales import staff as ts
from locales import staffwork as w
from locales import vocabulary as tv
from locales.i18n import Text

CRITERIA: dict[str, Text] = {
    "novelty": w.NOVELTY,
    "feasibility": w.FEASIBILITY,
    "impact": w.IMPACT,
    "cost": w.COST,
}
MODES: dict[AlertMode, Text] = {
    AlertMode.ALL: w.ALERT_ALL,
    AlertMode.AREAS: w.ALERT_AREAS,
    AlertMode.ASSIGNED: w.MODE_ASSIGNED,
    AlertMode.DAILY: w.ALERT_DAILY,
    AlertMode.OFF: w.ALERT_OFF,
}


def member_ref(platform: Platform, user_id: int) -> str:
    return f"{platform.value}-{user_id}"


def parse_member(ref: str) -> tuple[Platform, int] | None:
    platform, _sep, user_id = ref.partition("-")
    if platform not in {p.value for p in Platform} or not user_id.isdigit():
        return None
    return Platform(platform), int(user_id)


def back_to_card(idea_id: int) -> Button:
    return Button(str(w.BACK_TO_CARD), StaffCB(StaffAction.CARD, idea_id).pack())


# ----- assignment -----
def assign_picker(
    render: Renderer,
    idea: IdeaView,
    members: Sequence[tuple[StaffMember, str]],
    assigned: set[tuple[Platform, int]],
) -> Screen:
    if not members:
        return Screen(render(w.NO_REVIEWERS), Keyboard.stacked([back_to_card(idea.id)]))
    buttons = []
    for member, name in members:
        key = (member.platform, member.user_id)
        # The same person on both messengers is two members: the platform tells them apart.
        who = f"{name} · {platform_name(member.platform.value)}"
        label = render.plain(w.ASSIGNED_MARK, name=who) if key in assigned else who
        ref = member_ref(*key)
        buttons.append(Button(label, StaffCB(StaffAction.ASSIGN_TOGGLE, idea.id, ref=ref).pack()))
    keyboard = Keyboard.of(buttons, (2,)) + Keyboard.stacked([back_to_card(idea.id)])
    return Screen(render(w.ASSIGN_HEADING, **idea_label(idea)), keyboard)


# ----- scoring -----
def criterion_name(criterion: Criterion) -> str:
    known = CRITERIA.get(criterion.key)
    return str(known) if known is not None and criterion.name is None else criterion.name or ""


def sheet(
    render: Renderer,
    idea: IdeaView,
    rubric: Sequence[Criterion],
    mine: dict[str, int],
    notes: dict[str, str],
    others: Sequence[tuple[str, dict[str, int]]] | None,
    verdict: Verdict | None,
) -> Screen:
    lines = [render(w.SHEET_HEADING, **idea_label(idea)), ""]
    rows: list[list[Button]] = []
    for criterion in rubric:
        name = criterion_name(criterion)
        value = mine.get(criterion.key)
        lines.append(
            render(
                w.SHEET_LINE,
                criterion=name,
                weight=decimal(criterion.weight).removesuffix(".0").removesuffix("٫۰"),
                value=value if value is not None else str(w.SHEET_NOT_YET),
            )
        )
        if criterion.key in notes:
            lines.append(render(w.SHEET_NOTE, note=bound(notes[criterion.key], 200)))
        row = [Button(f"📝 {bound(name, 24)}", ScoreCB(idea.id, criterion.key, 0).pack())]
        for n in SCALE:
            label = render.plain("{n}", n=n)
            row.append(
                Button(
                    f"[{label}]" if value == n else label, ScoreCB(idea.id, criterion.key, n).pack()
                )
            )
        rows.append(row)
    lines.append("")
    if others is None:
        lines.append(render(w.SHEET_HIDDEN))
    else:
        if others:
            lines.append(render(w.SHEET_OTHERS))
            for name, values in others:
                shown = ", ".join(
                    f"{criterion_name(c)} {render.plain('{n}', n=values[c.key])}"
                    for c in rubric
                    if c.key in values
                )
                lines.append(render(w.SHEET_OTHER, name=isolated(name), score=shown))
        lines.append(render(w.SHEET_VERDICT, score=score_text(render, verdict, hidden=False)))
    keyboard = Keyboard.stacked(*rows, [back_to_card(idea.id)])
    return Screen("\n".join(lines), keyboard)


def score_closed(render: Renderer) -> Screen:
    return Screen(render(w.SCORE_CLOSED))


def note_saved(render: Renderer) -> Screen:
    return Screen(render(w.SCORE_NOTE_SAVED))


# ----- rankings -----
def ranking_pick(render: Renderer, calls: dict[int, str]) -> Screen:
    buttons = [Button(bound(title, 60), RankCB(call_id).pack()) for call_id, title in calls.items()]
    buttons.append(Button(str(w.RANKING_GENERAL), RankCB(0).pack()))
    return Screen(render(w.RANKING_PICK), Keyboard.of(buttons, (1,)))


def ranking(
    render: Renderer,
    call_id: int,
    title: str | None,
    ranked: Sequence[tuple[IdeaView, Verdict]],
) -> Screen:
    name = isolated(title) if title else str(w.RANKING_GENERAL)
    lines = [render(w.RANKING_HEADING, call=name), ""]
    if not ranked:
        lines.append(render(w.RANKING_EMPTY))
    opens = []
    for number, (idea, verdict) in enumerate(ranked[:20], start=1):
        lines.append(
            render(
                w.RANKING_LINE,
                rank=number,
                score=score_text(render, verdict, hidden=False),
                **idea_label(idea),
            )
        )
        if number <= 6:
            opens.append(
                Button(render.plain("🔎 {n}", n=number), StaffCB(StaffAction.OPEN, idea.id).pack())
            )
    buttons = Keyboard.of(opens, (3,))
    if ranked:
        buttons += Keyboard.stacked([Button(str(w.RANKING_EXPORT), RankCB(call_id, True).pack())])
    return Screen("\n".join(lines), buttons)


def ranking_table(ranked: Sequence[tuple[IdeaView, Verdict]]) -> list[list[object]]:
    """The ranking as spreadsheet rows, with a header row in the reader's language."""
    headers = (w.RANK, ts.CODE_COLUMN, ts.TITLE_COLUMN, w.SCORE_COLUMN, w.REVIEWERS, w.DISAGREE)
    rows: list[list[object]] = [[str(h) for h in headers]]
    for number, (idea, verdict) in enumerate(ranked, start=1):
        score = round(verdict.score, 2) if verdict.score is not None else ""
        flag = "⚠️" if verdict.disagree else ""
        rows.append([number, display_code(idea.code), idea.title, score, verdict.reviewers, flag])
    return rows


# ----- alerts -----
def alerts(render: Renderer, mode: AlertMode, areas: frozenset[str]) -> Screen:
    text = render(w.ALERTS_HEADING, mode=str(MODES[mode]))
    if mode not in (AlertMode.OFF, AlertMode.DAILY):
        text += "\n\n" + render(w.ALERTS_AT_ONCE)
    if mode is AlertMode.AREAS:
        chosen = [label_of(AREAS, a) for a in sorted(areas)]
        text += "\n" + render(w.ALERTS_AREAS, areas="، ".join(chosen) if chosen else "—")
    buttons = [
        Button(
            render.plain(w.CHOSEN, label=str(label)) if key is mode else str(label),
            AlertCB(key.value).pack(),
        )
        for key, label in MODES.items()
    ]
    keyboard = Keyboard.of(buttons, (1,))
    if mode is AlertMode.AREAS:
        toggles = [
            Button(
                ("✅ " if o.key in areas else "") + str(o.label),
                AlertCB(AlertMode.AREAS.value, o.key).pack(),
            )
            for o in AREAS
        ]
        keyboard += Keyboard.of(toggles, (2,))
    return Screen(text, keyboard)


def alerts_saved(render: Renderer, mode: AlertMode) -> Screen:
    return Screen(render(w.ALERTS_SAVED, mode=str(MODES[mode])))


# ----- invitations -----
ROLE_NAMES = {"admin": tv.ADMIN_ROLE, "reviewer": tv.REVIEWER_ROLE}


def invite(render: Renderer, role: str, link: str | None, hours: int) -> Screen:
    if link is None:
        return Screen(render(w.INVITE_NO_LINK))
    return Screen(render(w.INVITE, role=str(ROLE_NAMES[role]), hours=hours, link=link))


def invite_used(render: Renderer) -> Screen:
    return Screen(render(w.INVITE_USED))


def welcome_staff(render: Renderer, role: str) -> Screen:
    return Screen(render(w.WELCOME_STAFF, role=str(ROLE_NAMES[role])))
