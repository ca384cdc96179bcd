"""Staff: /idea CODE opens an idea's card, with its answers, contact, files and history,
and the actions its status allows. Everything here is refused to anyone not on the staff."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.bots import IdeaBot
from bot.calls import CallService
from bot.commands import CommandMenus
from bot.config import Role, Settings
from bot.dates import format_date
from bot.export import ExportService, parse_filter
from bot.i18n import _, __
from bot.intake import graph
from bot.keyboards import main_menu, platform_name
from bot.notices import idea_label, reason_text
from bot.persian import normalize
from bot.platforms import Platform
from bot.render import MESSAGE_BUDGET, Renderer, bound, current_locale, latest_that_fit
from bot.review import Change, EventView, IdeaView, Refusal, ReviewService, Staff
from bot.stats import StatsService
from bot.statuses import REASON_REQUIRED, STATUSES, TRANSITIONS
from bot.tracking import display_code, parse_code
from bot.users import StaffDirectory, UserView
from handlers.admin import ROLE_NAMES


class StaffCB(CallbackData, prefix="staff"):
    action: str  # move, note
    idea: int
    to: str = ""


EVENT_KINDS = {
    "question": __("question to the applicant"),
    "answer": __("the applicant's answer"),
    "note": __("internal note"),
}


def event_title(event: EventView) -> str:
    if event.to_status and event.kind == "status":
        return str(STATUSES[event.to_status].name)
    return str(EVENT_KINDS.get(event.kind, event.kind))


class QueueCB(CallbackData, prefix="q"):
    """The review queue's filters and page ("" for any)."""

    status: str = "open"
    area: str = ""
    platform: str = ""
    call: int = 0  # 0 for any
    page: int = 0


STATUS_CYCLE = ["open", *STATUSES]
AREA_CYCLE = ["", *(o.key for o in graph.AREAS)]
PLATFORM_CYCLE = ["", *(p.value for p in Platform)]


def _next(cycle: list[str], current: str) -> str:
    return cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]


class StaffFlow(StatesGroup):
    reason = State()
    note = State()


def is_staff(_event: TelegramObject, staff_role: Role | None) -> bool:
    return staff_role is not None


def is_admin(_event: TelegramObject, staff_role: Role | None) -> bool:
    return staff_role == "admin"


def option_label(step_key: str, value: Any) -> str:
    option = graph.step(step_key).option(value)
    return str(option.label) if option else str(value or "—")


async def send_card(
    bot: IdeaBot,
    chat_id: int,
    render: Renderer,
    review: ReviewService,
    idea_id: int,
    settings: Settings,
) -> bool:
    found = await review.card(idea_id)
    if found is None:
        return False
    idea, files = found
    view = IdeaView.of(idea)
    none = _("—")
    summary = render(_("<b>Idea</b> <code>{code}</code> «{title}»"), **idea_label(render, view))
    summary += "\n" + render(
        _(
            "Status: {status}\nSubmitted: {date} on {platform}\nWho: {persona} ({affiliation})\n"
            "Area: {area}\nStage: {stage}\nTeam: {team}\nName: {name}\nPhone: {phone}\n"
            "Location: {location}"
        ),
        status=str(STATUSES[idea.status].name),
        date=format_date(idea.created_at, settings.tz, current_locale()),
        platform=platform_name(idea.platform),
        persona=option_label("persona", idea.persona),
        affiliation=idea.affiliation or none,
        area=option_label("area", idea.area),
        stage=option_label("stage", idea.stage),
        team=idea.team_size or none,
        name=idea.full_name or none,
        phone=idea.phone or none,
        location=f"{idea.latitude}, {idea.longitude}" if idea.latitude is not None else none,
    )
    await bot.send_message(chat_id, summary)
    for label, text in (
        (graph.step("problem").label, idea.problem),
        (graph.step("solution").label, idea.solution),
        (graph.step("impact").label, idea.impact),
    ):
        if text:
            await bot.send_message(
                chat_id,
                render.whole(_("<b>{label}</b>\n{text}"), label=str(label), text=text),
            )
    if files and files[0]["platform"] == bot.platform.value:
        for item in files:  # file ids belong to one bot: copy from the applicant's chat
            try:
                await bot.copy_message(chat_id, item["chat_id"], item["message_id"])
            except TelegramBadRequest:  # deleted by the applicant since
                await bot.send_message(chat_id, render(_("(a file that is no longer available)")))
    elif files:
        await bot.send_message(
            chat_id,
            render(
                _("{count} file(s) were sent on {platform}: open this card there to see them."),
                count=len(files),
                platform=platform_name(str(files[0]["platform"])),
            ),
        )
    events = await review.history(idea_id, applicant_view=False)
    entries = []
    for event in events:
        when = format_date(event.created_at, settings.tz, current_locale())
        entry = render(_("{when}: {what}"), when=when, what=event_title(event))
        if event.text:
            shown = bound(reason_text(event.to_status, event.text), 300)
            entry += "\n" + render("    {text}", text=shown)
        entries.append(entry)
    # The latest that fit, leaving room for the duplicates below (3 lines at most).
    lines = [render(_("<b>History</b>")), *latest_that_fit(entries, MESSAGE_BUDGET - 900)]
    similar = await review.similar(idea_id)
    if similar:
        lines.append("")
        lines.append(render(_("<b>Possible duplicates</b>")))
        for other, score in similar:
            lines.append(
                render(
                    _("<code>{code}</code> «{title}» ({score}% alike)"),
                    score=score,
                    **idea_label(render, other),
                )
            )
    builder = InlineKeyboardBuilder()
    for target in sorted(TRANSITIONS[idea.status] - {"withdrawn"}):
        builder.button(
            text=render.plain(_("→ {status}"), status=str(STATUSES[target].name)),
            callback_data=StaffCB(action="move", idea=idea.id, to=target),
        )
    builder.button(text=_("📝 Internal note"), callback_data=StaffCB(action="note", idea=idea.id))
    builder.button(text=_("📜 Full history"), callback_data=StaffCB(action="history", idea=idea.id))
    builder.adjust(2)
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=builder.as_markup())
    return True


async def show_queue(
    bot: Bot,
    chat_id: int,
    render: Renderer,
    review: ReviewService,
    f: QueueCB,
    settings: Settings,
    calls: CallService,
) -> None:
    ideas, total = await review.queue(f.status, f.area, f.platform, f.page, call=f.call)
    every = _("any")
    status = _("all open") if f.status == "open" else str(STATUSES[f.status].name)
    recent = {call.id: call.title for call in await calls.recent()}
    call_cycle = [0, *sorted(recent)]
    lines = [
        render(
            _(
                "<b>Review queue</b> (oldest first): {total} idea(s)\n"
                "Status: {status} · Area: {area} · Platform: {platform}"
            ),
            total=total,
            status=status,
            area=option_label("area", f.area) if f.area else every,
            platform=platform_name(f.platform) if f.platform else every,
        )
    ]
    if f.call:
        lines.append(render(_("Call: {title}"), title=recent.get(f.call, f"#{f.call}")))
    builder = InlineKeyboardBuilder()
    for idea in ideas:
        lines.append(
            render(
                _("<code>{code}</code> «{title}» · {status} · {date}"),
                status=str(STATUSES[idea.status].name),
                date=format_date(idea.created_at, settings.tz, current_locale(), with_time=False),
                **idea_label(render, idea),
            )
        )
        builder.button(
            text=render.plain(_("🔎 {code}"), code=display_code(idea.code)),
            callback_data=StaffCB(action="open", idea=idea.id),
        )
    filters = [
        (_("Status ▸"), f.model_copy(update={"status": _next(STATUS_CYCLE, f.status), "page": 0})),
        (_("Area ▸"), f.model_copy(update={"area": _next(AREA_CYCLE, f.area), "page": 0})),
        (
            _("Platform ▸"),
            f.model_copy(update={"platform": _next(PLATFORM_CYCLE, f.platform), "page": 0}),
        ),
    ]
    if len(call_cycle) > 1:
        following = (
            call_cycle[(call_cycle.index(f.call) + 1) % len(call_cycle)]
            if (f.call in call_cycle)
            else 0
        )
        filters.append((_("Call ▸"), f.model_copy(update={"call": following, "page": 0})))
    for text, data in filters:
        builder.button(text=text, callback_data=data)
    pages = []
    if f.page > 0:
        pages.append((_("◀️ Previous"), f.model_copy(update={"page": f.page - 1})))
    if (f.page + 1) * 8 < total:
        pages.append((_("Next ▶️"), f.model_copy(update={"page": f.page + 1})))
    for text, data in pages:
        builder.button(text=text, callback_data=data)
    builder.adjust(*([2] * ((len(ideas) + 1) // 2)), len(filters), max(len(pages), 1))
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=builder.as_markup())


async def on_review(
    message: Message,
    bot: IdeaBot,
    render: Renderer,
    review: ReviewService,
    settings: Settings,
    calls: CallService,
) -> None:
    await show_queue(bot, message.chat.id, render, review, QueueCB(), settings, calls)


def checked(f: QueueCB) -> QueueCB:
    """Filters as the buttons make them; anything else (forged) falls back to the defaults."""
    if (
        f.status not in STATUS_CYCLE
        or f.area not in AREA_CYCLE
        or f.platform not in PLATFORM_CYCLE
        or f.call < 0
    ):
        return QueueCB()
    return f.model_copy(update={"page": max(f.page, 0)})


async def on_queue(
    callback: CallbackQuery,
    callback_data: QueueCB,
    bot: IdeaBot,
    render: Renderer,
    review: ReviewService,
    settings: Settings,
    calls: CallService,
) -> None:
    chosen = checked(callback_data)
    await show_queue(bot, callback.from_user.id, render, review, chosen, settings, calls)


async def on_stats(message: Message, render: Renderer, stats: StatsService) -> None:
    collected = await stats.collect()
    titles = {
        "area": _("By area"),
        "persona": _("By who submitted"),
        "status": _("By status"),
        "platform": _("By platform"),
    }
    lines = [
        render(
            _("<b>Ideas</b>: {all} in all · {month} in the last 30 days · {week} in the last 7"),
            all=collected.totals[0],
            month=collected.totals[1],
            week=collected.totals[2],
        ),
        render(_("(each line: all time / 30 days / 7 days)")),
    ]
    for field, rows in collected.counts.items():
        lines.append("")
        lines.append(render("<b>{title}</b>", title=str(titles[field])))
        for key, (total, month, week) in rows.items():
            if field == "status":
                name = str(STATUSES[key].name)
            elif field == "platform":
                name = platform_name(key)
            else:
                name = option_label(field, key)
            lines.append(render("{name}: {a} / {b} / {c}", name=name, a=total, b=month, c=week))
    await message.answer("\n".join(lines))


async def on_export(
    message: Message,
    command: CommandObject,
    render: Renderer,
    exports: ExportService,
    staff_role: Role,
    settings: Settings,
) -> None:
    chosen = parse_filter(command.args or "", settings.tz)
    if isinstance(chosen, str):
        await message.answer(
            render(
                _(
                    "I can't read “{part}”. Use, for example: "
                    "/export status=screening area=waste from=1405/09/01 to=1405/09/30"
                ),
                part=chosen,
            )
        )
        return
    locale = current_locale()
    csv_bytes, xlsx_bytes, count = await exports.export(chosen, staff_role, locale)
    caption = render(
        _("{count} idea(s). Contact details are included only for administrators."),
        count=count,
    )
    await message.answer_document(BufferedInputFile(csv_bytes, "ideas.csv"), caption=caption)
    await message.answer_document(BufferedInputFile(xlsx_bytes, "ideas.xlsx"))


async def on_staff(
    message: Message,
    command: CommandObject,
    render: Renderer,
    staff: StaffDirectory,
    menus: CommandMenus,
) -> None:
    """/staff; /staff add platform:user_id [admin|reviewer]; /staff remove platform:user_id."""
    words = (command.args or "").split()
    if not words:
        lines = [render(_("<b>Staff</b>"))]
        for member_platform, member_id, member_role in staff.members():
            source = (
                _("from settings")
                if staff.configured(member_platform, member_id)
                else _("added here")
            )
            lines.append(
                render(
                    "{who} · {role} · {source}",
                    who=f"{member_platform.value}:{member_id}",
                    role=str(ROLE_NAMES[member_role]),
                    source=source,
                )
            )
        lines.append(
            render(_("Add: /staff add bale:123 reviewer · Remove: /staff remove bale:123"))
        )
        await message.answer("\n".join(lines))
        return
    action, target, role = (
        words[0],
        words[1] if len(words) > 1 else "",
        (words[2:] or ["reviewer"])[0],
    )
    platform_key, _sep, user_id = target.partition(":")
    valid = (
        action in ("add", "remove")
        and platform_key in {p.value for p in Platform}
        and user_id.isdigit()
        and role in ("admin", "reviewer")
    )
    if not valid:
        await message.answer(
            render(_("Use: /staff add bale:123 reviewer, or /staff remove bale:123"))
        )
        return
    platform = Platform(platform_key)
    if action == "add":
        new_role: Role = "admin" if role == "admin" else "reviewer"
        await staff.add(platform, int(user_id), new_role)
        await menus.staff_changed(platform, int(user_id), True)
        await message.answer(
            render(_("{who} is now staff: {role}."), who=target, role=str(ROLE_NAMES[new_role]))
        )
    elif await staff.remove(platform, int(user_id)):
        await menus.staff_changed(platform, int(user_id), False)
        await message.answer(render(_("{who} is no longer staff."), who=target))
    elif staff.configured(platform, int(user_id)):
        await message.answer(
            render(_("{who} is staff by the STAFF setting; change it there."), who=target)
        )
    else:
        await message.answer(render(_("{who} is not staff."), who=target))


async def send_full_history(
    bot: Bot,
    chat_id: int,
    render: Renderer,
    review: ReviewService,
    idea_id: int,
    settings: Settings,
) -> None:
    """Every event with its whole text, in as many messages as it takes."""
    page: list[str] = []
    for event in await review.history(idea_id, applicant_view=False):
        when = format_date(event.created_at, settings.tz, current_locale())
        entry = render(_("{when}: {what}"), when=when, what=event_title(event))
        if event.text:
            entry += "\n" + render.whole("{text}", text=reason_text(event.to_status, event.text))
        if page and sum(len(p) + 2 for p in page) + len(entry) > MESSAGE_BUDGET:
            await bot.send_message(chat_id, "\n\n".join(page))
            page = []
        page.append(entry)
    await bot.send_message(
        chat_id, "\n\n".join(page) if page else render(_("Nothing has happened to it yet."))
    )


async def on_idea(
    message: Message,
    command: CommandObject,
    bot: IdeaBot,
    render: Renderer,
    review: ReviewService,
    settings: Settings,
) -> None:
    code = parse_code(command.args or "")
    idea = await review.by_code(code) if code else None
    if idea is None:
        await message.answer(render(_("No idea has that tracking code.")))
        return
    await send_card(bot, message.chat.id, render, review, idea.id, settings)


async def on_action(
    callback: CallbackQuery,
    callback_data: StaffCB,
    bot: IdeaBot,
    render: Renderer,
    review: ReviewService,
    state: FSMContext,
    settings: Settings,
) -> None:
    chat_id = callback.from_user.id
    if callback_data.action == "open":
        if not await send_card(bot, chat_id, render, review, callback_data.idea, settings):
            await bot.send_message(chat_id, render(_("No idea has that tracking code.")))
        return
    if callback_data.action == "history":
        await send_full_history(bot, chat_id, render, review, callback_data.idea, settings)
        return
    if callback_data.action == "note":
        await state.set_state(StaffFlow.note)
        await state.update_data(idea=callback_data.idea)
        await bot.send_message(chat_id, render(_("Send the note (only staff will see it).")))
        return
    if callback_data.to in REASON_REQUIRED:
        await state.set_state(StaffFlow.reason)
        await state.update_data(idea=callback_data.idea, to=callback_data.to)
        prompt = {
            "needs_info": _("Send the question for the applicant."),
            "duplicate": _("Send the tracking code of the idea this one repeats."),
        }.get(callback_data.to, _("Send the reason; the applicant will see it."))
        await bot.send_message(chat_id, render(prompt))
        return
    staff = Staff(bot.platform, callback.from_user.id)
    change = await review.change_status(callback_data.idea, callback_data.to, None, staff)
    await report(bot, chat_id, render, change, callback_data.to)


async def report(bot: Bot, chat_id: int, render: Renderer, change: Change, to: str) -> None:
    if change.refusal is None:
        status = str(STATUSES[to].name)
        if change.delivery == "sent":
            text = render(
                _("Done: the idea is now “{status}”; the applicant was told."), status=status
            )
        else:  # anonymous, blocked, not yet sent: say so, don't pretend
            text = render(
                _("Done: the idea is now “{status}”; the applicant could not be told yet."),
                status=status,
            )
    elif change.refusal is Refusal.NOT_ALLOWED:
        text = render(_("That change is not possible from the idea's current status."))
    else:
        text = render(_("No idea has that tracking code."))
    await bot.send_message(chat_id, text)


async def on_text(
    message: Message,
    bot: IdeaBot,
    render: Renderer,
    review: ReviewService,
    state: FSMContext,
    raw_state: str | None,
) -> None:
    data = await state.get_data()
    text = normalize(message.text or "")
    if not text or not isinstance(data.get("idea"), int):
        await message.answer(render(_("Please send it as text.")))
        return
    await state.clear()
    staff = Staff(bot.platform, message.chat.id)
    if raw_state == StaffFlow.note.state:
        noted = await review.add_note(data["idea"], bound(text, 2000), staff)
        done = (
            _("The note is added.")
            if noted.refusal is None
            else _("No idea has that tracking code.")
        )
        await message.answer(render(done))
        return
    reason, original = bound(text, 2000), None
    if data.get("to") == "duplicate":
        code = parse_code(text)
        original = await review.original_of(data["idea"], code) if code else None
        if original is None:
            await state.set_data(data)
            await state.set_state(StaffFlow.reason)
            await message.answer(render(_("No idea has that tracking code.")))
            return
    change = await review.change_status(
        data["idea"], str(data.get("to")), reason, staff, duplicate_of=original
    )
    await report(bot, message.chat.id, render, change, str(data.get("to")))


async def on_refused(event: TelegramObject, bot: Bot, render: Renderer, user: UserView) -> None:
    """Every staff command and button, for anyone else: a plain "not available"."""
    assert user.chat_id is not None or isinstance(event, CallbackQuery)
    chat_id = event.from_user.id if isinstance(event, CallbackQuery) else user.chat_id
    assert chat_id is not None
    await bot.send_message(
        chat_id, render(_("This command is not available.")), reply_markup=main_menu()
    )


def router() -> Router:
    r = Router(name="staff")
    r.message.register(on_idea, Command("idea"), is_staff)
    r.message.register(on_review, Command("review"), is_staff)
    r.message.register(on_stats, Command("stats"), is_staff)
    r.message.register(on_export, Command("export"), is_staff)
    r.message.register(on_staff, Command("staff"), is_admin)
    r.callback_query.register(on_queue, QueueCB.filter(), is_staff)
    r.callback_query.register(on_action, StaffCB.filter(), is_staff)
    r.message.register(
        on_text, StateFilter(StaffFlow.reason, StaffFlow.note), is_staff, ~F.text.startswith("/")
    )
    r.message.register(on_refused, Command("idea", "review", "stats", "export", "staff"))
    r.callback_query.register(on_refused, StaffCB.filter())
    r.callback_query.register(on_refused, QueueCB.filter())
    return r
