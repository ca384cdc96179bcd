"""The staff's panel, statistics, exports and the list of staff members."""

from __future__ import annotations

from bot.core.roles import Role
from bot.core.statuses import STATUSES
from bot.core.views import StaffMember, Stats
from bot.core.vocabulary import AREAS, PERSONAS, ROLE_NAMES, label_of, platform_name
from bot.ui.callbacks import BroadcastAction, BroadcastCB, ManageAction, ManageCB
from bot.ui.keyboards import main_menu
from bot.ui.markup import Button, Keyboard, Screen
from bot.ui.render import Renderer
from locales import console as tc
from locales import staff as t


def not_available(render: Renderer) -> Screen:
    return Screen(render(t.NOT_AVAILABLE), main_menu())


def console_link(render: Renderer, url: str | None) -> Screen:
    """The answer to /console: a one-time sign-in link (None: the console is not served)."""
    if url is None:
        return Screen(render(tc.LINK_NOT_SERVED))
    return Screen(render(tc.LINK, url=url))


def panel(render: Renderer, role: Role) -> Screen:
    """What staff can do; the buttons for calls, events and broadcasts are
    administrators' (a reviewer's panel has none)."""
    if role != "admin":
        return Screen(render(t.PANEL, role=str(ROLE_NAMES[role])))
    keyboard = Keyboard.of(
        [
            Button(str(t.PANEL_CALLS), ManageCB(ManageAction.CALLS).pack()),
            Button(str(t.PANEL_EVENTS), ManageCB(ManageAction.EVENTS).pack()),
            Button(str(t.PANEL_BROADCAST), BroadcastCB(BroadcastAction.START).pack()),
            Button(str(t.PANEL_SCHEDULED), BroadcastCB(BroadcastAction.LIST).pack()),
        ],
        (2,),
    )
    return Screen(render(t.PANEL, role=str(ROLE_NAMES[role])), keyboard)


TITLES = {
    "area": t.BY_AREA,
    "persona": t.BY_PERSONA,
    "status": t.BY_STATUS,
    "platform": t.BY_PLATFORM,
}


def _name(field: str, key: str) -> str:
    if field == "status":
        return str(STATUSES[key].name)
    if field == "platform":
        return platform_name(key)
    return label_of(AREAS if field == "area" else PERSONAS, key)


def stats(render: Renderer, collected: Stats) -> Screen:
    lines = [
        render(
            t.STATS_TOTALS,
            all=collected.totals[0],
            month=collected.totals[1],
            week=collected.totals[2],
        ),
        render(t.STATS_LEGEND),
    ]
    for field, rows in collected.counts.items():
        lines += ["", render(t.STATS_SECTION, title=str(TITLES[field]))]
        for key, (total, month, week) in rows.items():
            name = _name(field, key)
            lines.append(render(t.STATS_ROW, name=name, a=total, b=month, c=week))
    return Screen("\n".join(lines))


def export_unreadable(render: Renderer, part: str) -> Screen:
    return Screen(render(t.EXPORT_UNREADABLE, part=part))


def exported(render: Renderer, count: int) -> str:
    return render(t.EXPORTED, count=count)


def export_name() -> str:
    """The exported files' name (and their sheet's), in the reader's language."""
    return str(t.EXPORT_NAME)


def members(render: Renderer, found: list[StaffMember], configured: set[tuple[str, int]]) -> Screen:
    lines = [render(t.STAFF_HEADING)]
    for member in found:
        source = (
            t.FROM_SETTINGS
            if (member.platform.value, member.user_id) in configured
            else t.ADDED_HERE
        )
        lines.append(
            render(
                t.MEMBER_ROW,
                who=f"{member.platform.value}:{member.user_id}",
                role=str(ROLE_NAMES[member.role]),
                source=str(source),
            )
        )
    lines.append(render(t.STAFF_USAGE_SHORT))
    return Screen("\n".join(lines))


def staff_usage(render: Renderer) -> Screen:
    return Screen(render(t.STAFF_USAGE))


def now_staff(render: Renderer, who: str, role: Role) -> Screen:
    return Screen(render(t.NOW_STAFF, who=who, role=str(ROLE_NAMES[role])))


def no_longer_staff(render: Renderer, who: str) -> Screen:
    return Screen(render(t.NO_LONGER_STAFF, who=who))


def staff_by_setting(render: Renderer, who: str) -> Screen:
    return Screen(render(t.STAFF_BY_SETTING, who=who))


def not_staff(render: Renderer, who: str) -> Screen:
    return Screen(render(t.NOT_STAFF, who=who))
