"""Staff: calls for proposals and events, from /admin or /newcall and /newevent.

Creating and editing walk the forms of `bot.forms`, one field at a time, through one
handler; the values wait in the FSM until staff press Save."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import forms
from bot.bots import IdeaBot
from bot.calls import CallService
from bot.config import Settings
from bot.dates import format_date
from bot.events import EventService
from bot.forms import FieldKind, Form, FormField, FormProblem
from bot.i18n import _, __
from bot.intake.screens import label
from bot.keyboards import ManageAction, ManageCB
from bot.render import Renderer, current_locale
from handlers.common import replace, reply
from handlers.outreach import area_names, call_link, call_text, event_text
from handlers.staff import is_staff, on_refused


class FormFlow(StatesGroup):
    filling = State()


PROBLEMS = {
    FormProblem.EXPECTED_TEXT: __("Please send it as a text message."),
    FormProblem.TOO_SHORT: __("That is too short."),
    FormProblem.TOO_LONG: __("That is too long: at most {limit} characters."),
    FormProblem.NOT_A_MOMENT: __("That is not a date and time I can read."),
    FormProblem.IN_THE_PAST: __("That time has passed; send a time in the future."),
    FormProblem.TOO_EARLY: __("It must come after the opening time."),
    FormProblem.NOT_A_COUNT: __("Send a whole number between 1 and 100000."),
    FormProblem.NO_AREA: __("Choose at least one area with the buttons, then press Next."),
}


def shown(render: Renderer, settings: Settings, field: FormField, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if field.kind is FieldKind.AREAS:
        return area_names(value)
    if field.kind is FieldKind.MOMENT:
        return format_date(forms.decoded_moment(value), settings.tz, current_locale())
    return render.value(value)


def summary(render: Renderer, settings: Settings, form: Form, values: dict[str, Any]) -> str:
    lines = [
        render(_("<b>{label}:</b> "), label=str(field.label))
        + shown(render, settings, field, values.get(field.key))
        for field in form.fields
    ]
    return "\n".join(lines)


# ----- lists -----
def call_buttons(call_id: int, is_open: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✏️ Edit"), callback_data=ManageCB(action=ManageAction.EDIT, form="call", id=call_id)
    )
    if is_open:
        builder.button(
            text=_("🔒 Close now"),
            callback_data=ManageCB(action=ManageAction.CLOSE_CALL, id=call_id),
        )
    return builder.as_markup()


def event_buttons(event_id: int, cancelled: bool) -> InlineKeyboardMarkup | None:
    if cancelled:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✏️ Edit"),
        callback_data=ManageCB(action=ManageAction.EDIT, form="event", id=event_id),
    )
    builder.button(
        text=_("🕒 Move"),
        callback_data=ManageCB(
            action=ManageAction.FIELD, form="event", id=event_id, value="starts_at"
        ),
    )
    builder.button(
        text=_("❌ Cancel the event"),
        callback_data=ManageCB(action=ManageAction.CANCEL_EVENT, id=event_id),
    )
    builder.adjust(2, 1)
    return builder.as_markup()


async def send_calls(
    bot: IdeaBot, chat_id: int, render: Renderer, calls: CallService, settings: Settings
) -> None:
    recent = await calls.recent()
    new = InlineKeyboardBuilder()
    new.button(text=_("➕ New call"), callback_data=ManageCB(action=ManageAction.NEW, form="call"))
    heading = (
        render(_("<b>Calls for proposals</b> (latest {count})"), count=len(recent))
        if recent
        else render(_("<b>Calls for proposals</b>: none yet."))
    )
    await bot.send_message(chat_id, heading, reply_markup=new.as_markup())
    now = calls.clock()
    for call in recent[:10]:
        state = (
            _("🟢 open")
            if call.is_open(now)
            else _("⏳ not yet open")
            if now < call.opens_at
            else _("🔒 closed")
        )
        text = call_text(render, call, settings.tz, await call_link(bot, call.id))
        await bot.send_message(
            chat_id,
            f"{text}\n{render(state)}",
            reply_markup=call_buttons(call.id, call.is_open(now)),
        )


async def send_events(
    bot: IdeaBot, chat_id: int, render: Renderer, events: EventService, settings: Settings
) -> None:
    recent = await events.recent()
    new = InlineKeyboardBuilder()
    new.button(
        text=_("➕ New event"), callback_data=ManageCB(action=ManageAction.NEW, form="event")
    )
    heading = (
        render(_("<b>Events</b> (latest {count})"), count=len(recent))
        if recent
        else render(_("<b>Events</b>: none yet."))
    )
    await bot.send_message(chat_id, heading, reply_markup=new.as_markup())
    for event in recent[:10]:
        text = event_text(render, event, settings.tz)
        text += "\n" + render(_("Signed up: {count}"), count=event.taken)
        await bot.send_message(chat_id, text, reply_markup=event_buttons(event.id, event.cancelled))


# ----- the form walker -----
def field_markup(form: Form, field: FormField, values: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    if field.kind is FieldKind.AREAS:
        chosen = set(values.get(field.key) or [])
        for key in forms.AREA_KEYS:
            mark = "✅" if key in chosen else "▫️"
            builder.button(
                text=f"{mark} {area_names([key])}",
                callback_data=ManageCB(action=ManageAction.TOGGLE, form=form.key, value=key),
            )
            rows.append(1)
        builder.button(
            text=_("Next ⬅️"), callback_data=ManageCB(action=ManageAction.NEXT, form=form.key)
        )
        rows.append(1)
    if field.optional:
        builder.button(
            text=label("skip"), callback_data=ManageCB(action=ManageAction.SKIP, form=form.key)
        )
        rows.append(1)
    builder.button(
        text=label("cancel"), callback_data=ManageCB(action=ManageAction.DROP, form=form.key)
    )
    rows.append(1)
    builder.adjust(*rows)
    return builder.as_markup()


async def ask(
    bot: Bot,
    chat_id: int,
    render: Renderer,
    settings: Settings,
    data: dict[str, Any],
    problem: str | None = None,
) -> None:
    form = forms.FORMS[data["form"]]
    field = form.field(data["field"])
    parts = [problem] if problem else []
    parts.append(render(str(field.prompt)))
    current = data["values"].get(field.key)
    if data.get("single") and current not in (None, "", []):
        parts.append(render(_("Now: {value}"), value=shown(render, settings, field, current)))
    await bot.send_message(
        chat_id, "\n\n".join(parts), reply_markup=field_markup(form, field, data["values"])
    )


def preview_markup(form: Form) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("💾 Save"), callback_data=ManageCB(action=ManageAction.SAVE, form=form.key)
    )
    builder.button(
        text=label("cancel"), callback_data=ManageCB(action=ManageAction.DROP, form=form.key)
    )
    return builder.as_markup()


async def advance(
    bot: IdeaBot,
    chat_id: int,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    data: dict[str, Any],
    services: dict[str, Any],
) -> None:
    """After an answer: the next field, or the preview; one field edited is saved at once."""
    form = forms.FORMS[data["form"]]
    if data.get("single"):
        await save(bot, chat_id, render, state, settings, data, services)
        return
    keys = [f.key for f in form.fields]
    following = keys.index(data["field"]) + 1
    if following < len(keys):
        data["field"] = keys[following]
        await state.set_data(data)
        await ask(bot, chat_id, render, settings, data)
        return
    await state.set_data(data)
    text = (
        render(_("<b>Check and save</b>")) + "\n" + summary(render, settings, form, data["values"])
    )
    await bot.send_message(chat_id, text, reply_markup=preview_markup(form))


async def save(
    bot: IdeaBot,
    chat_id: int,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    data: dict[str, Any],
    services: dict[str, Any],
) -> None:
    form = forms.FORMS[data["form"]]
    values = data["values"]
    if forms.out_of_order(form, values):
        data["field"] = next(f.key for f in form.fields if f.after)
        await state.set_data(data)
        await ask(
            bot, chat_id, render, settings, data, render(str(PROBLEMS[FormProblem.TOO_EARLY]))
        )
        return
    await state.clear()
    decoded = forms.decoded(form, values)
    markup: InlineKeyboardMarkup | None
    if form.key == "call":
        calls: CallService = services["calls"]
        call = await calls.save(data.get("id"), decoded)
        text = call_text(render, call, settings.tz, await call_link(bot, call.id))
        markup = call_buttons(call.id, call.is_open(calls.clock()))
        if calls.clock() < call.opens_at:
            text += "\n\n" + render(
                _("⏳ It opens on {when}: until then people don't see it in /calls."),
                when=format_date(call.opens_at, settings.tz, current_locale()),
            )
    else:
        events: EventService = services["events"]
        event = await events.save(data.get("id"), decoded)
        text = event_text(render, event, settings.tz)
        markup = event_buttons(event.id, event.cancelled)
    await bot.send_message(chat_id, render(_("💾 Saved.")) + "\n\n" + text, reply_markup=markup)


async def on_new(
    event: TelegramObject,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    callback_data: ManageCB | None = None,
) -> None:
    """/newcall, /newevent, or the ➕ buttons."""
    if callback_data is not None:
        key = callback_data.form
    else:
        assert isinstance(event, Message)
        key = "call" if (event.text or "").startswith("/newcall") else "event"
    form = forms.FORMS[key]
    data: dict[str, Any] = {
        "form": key,
        "id": None,
        "field": form.fields[0].key,
        "values": {},
        "single": False,
    }
    await state.set_state(FormFlow.filling)
    await state.set_data(data)
    chat_id = (
        event.from_user.id if isinstance(event, Message | CallbackQuery) and event.from_user else 0
    )
    await ask(bot, chat_id, render, settings, data)


async def on_manage(
    callback: CallbackQuery,
    callback_data: ManageCB,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    calls: CallService,
    events: EventService,
) -> None:
    chat_id = callback.from_user.id
    action, services = callback_data.action, {"calls": calls, "events": events}
    if action is ManageAction.CALLS:
        await send_calls(bot, chat_id, render, calls, settings)
    elif action is ManageAction.EVENTS:
        await send_events(bot, chat_id, render, events, settings)
    elif action is ManageAction.NEW:
        await on_new(callback, bot, render, state, settings, callback_data)
    elif action in (ManageAction.EDIT, ManageAction.FIELD):
        await start_edit(callback, callback_data, bot, render, state, settings, services)
    elif action is ManageAction.CLOSE_CALL:
        call = await calls.close(callback_data.id)
        if call is not None:
            text = call_text(render, call, settings.tz, None) + "\n" + render(_("🔒 closed"))
            await replace(callback, text, call_buttons(call.id, False))
    elif action is ManageAction.CANCEL_EVENT:
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("Yes, cancel it and tell the attendees"),
            callback_data=ManageCB(action=ManageAction.CANCEL_EVENT_YES, id=callback_data.id),
        )
        await reply(
            callback,
            render(_("Cancel this event? Everyone signed up is told.")),
            builder.as_markup(),
        )
    elif action is ManageAction.CANCEL_EVENT_YES:
        cancelled = await events.cancel(callback_data.id)
        text = (
            render(
                _("The event is cancelled; {count} attendee(s) are being told."),
                count=cancelled.taken,
            )
            if cancelled
            else render(_("That event was already cancelled."))
        )
        await replace(callback, text, None)
    else:
        await on_form_button(callback, callback_data, bot, render, state, settings, services)


async def start_edit(
    callback: CallbackQuery,
    callback_data: ManageCB,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    services: dict[str, Any],
) -> None:
    form = forms.FORMS.get(callback_data.form)
    if form is None:
        return
    service = services["calls" if form.key == "call" else "events"]
    item = await service.get(callback_data.id)
    if item is None:
        await reply(callback, render(_("That no longer exists.")), None)
        return
    values = forms.encoded(form, item)
    if callback_data.action is ManageAction.EDIT:
        builder = InlineKeyboardBuilder()
        for field in form.fields:
            builder.button(
                text=render.plain(_("✏️ {label}"), label=str(field.label)),
                callback_data=ManageCB(
                    action=ManageAction.FIELD, form=form.key, id=item.id, value=field.key
                ),
            )
        builder.adjust(2)
        text = (
            render(_("Which part do you want to change?"))
            + "\n\n"
            + summary(render, settings, form, values)
        )
        await reply(callback, text, builder.as_markup())
        return
    data = {
        "form": form.key,
        "id": item.id,
        "field": callback_data.value,
        "values": values,
        "single": True,
    }
    if callback_data.value not in {f.key for f in form.fields}:
        return
    await state.set_state(FormFlow.filling)
    await state.set_data(data)
    await ask(bot, callback.from_user.id, render, settings, data)


async def on_form_button(
    callback: CallbackQuery,
    callback_data: ManageCB,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    services: dict[str, Any],
) -> None:
    data = await state.get_data()
    chat_id = callback.from_user.id
    if await state.get_state() != FormFlow.filling.state or data.get("form") != callback_data.form:
        await reply(callback, render(_("That form was already closed.")), None)
        return
    form = forms.FORMS[data["form"]]
    field = form.field(data["field"])
    action = callback_data.action
    if action is ManageAction.DROP:
        await state.clear()
        await replace(callback, render(_("Cancelled; nothing was saved.")), None)
    elif action is ManageAction.TOGGLE and field.kind is FieldKind.AREAS:
        chosen = set(data["values"].get(field.key) or [])
        chosen ^= {callback_data.value} & set(forms.AREA_KEYS)
        data["values"][field.key] = sorted(chosen)
        await state.set_data(data)
        await replace(
            callback, render(str(field.prompt)), field_markup(form, field, data["values"])
        )
    elif action is ManageAction.NEXT and field.kind is FieldKind.AREAS:
        if not data["values"].get(field.key):
            await reply(callback, render(str(PROBLEMS[FormProblem.NO_AREA])), None)
            return
        await advance(bot, chat_id, render, state, settings, data, services)
    elif action is ManageAction.SKIP and field.optional:
        data["values"][field.key] = None
        await advance(bot, chat_id, render, state, settings, data, services)
    elif action is ManageAction.SAVE:
        missing = forms.missing(form, data["values"])
        if missing is not None:
            data["field"] = missing.key
            await state.set_data(data)
            await ask(bot, chat_id, render, settings, data)
            return
        await save(bot, chat_id, render, state, settings, data, services)


async def on_form_text(
    message: Message,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    settings: Settings,
    calls: CallService,
    events: EventService,
) -> None:
    data = await state.get_data()
    form = forms.FORMS.get(str(data.get("form")))
    if form is None:
        await state.clear()
        return
    field = form.field(data["field"])
    value = forms.parse(field, message.text, data["values"], settings.tz, calls.clock())
    if isinstance(value, FormProblem):
        problem = render(str(PROBLEMS[value]), limit=field.max_len)
        await ask(bot, message.chat.id, render, settings, data, "⚠️ " + problem)
        return
    data["values"][field.key] = value
    await advance(
        bot, message.chat.id, render, state, settings, data, {"calls": calls, "events": events}
    )


def router() -> Router:
    r = Router(name="manage")
    r.message.register(on_new, Command("newcall", "newevent"), is_staff)
    r.callback_query.register(on_manage, ManageCB.filter(), is_staff)
    r.message.register(
        on_form_text, StateFilter(FormFlow.filling), is_staff, ~F.text.startswith("/")
    )
    r.message.register(on_refused, Command("newcall", "newevent"))
    r.callback_query.register(on_refused, ManageCB.filter())
    return r
