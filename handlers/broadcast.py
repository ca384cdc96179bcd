"""Staff: compose a broadcast, choose its audience, see its size and a preview, then
send it now, schedule it, or cancel a scheduled one (/broadcast, or from /admin)."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.support import LazyProxy

from bot.bots import IdeaBot
from bot.broadcasts import CAPTION_LIMIT, TEXT_LIMIT, BroadcastService, Plan, compose_message
from bot.calls import CallService
from bot.config import Settings
from bot.dates import format_date, parse_jalali
from bot.events import EventService
from bot.i18n import _, __
from bot.intake.graph import AREAS, PERSONAS
from bot.intake.screens import label
from bot.keyboards import PLATFORM_NAMES, BroadcastAction, BroadcastCB
from bot.render import Renderer, current_locale
from bot.statuses import STATUSES
from handlers.common import replace, reply
from handlers.staff import is_staff, on_refused
from storage.outreach import Audience


class BroadcastFlow(StatesGroup):
    message = State()  # waiting for the announcement
    audience = State()  # composed; choosing who gets it
    when = State()  # waiting for a Jalali date and time


KINDS: dict[str, LazyProxy] = {
    "all": __("Everyone subscribed"),
    "area": __("Subscribers of a focus area"),
    "persona": __("Applicants of one kind (citizens, students…)"),
    "platform": __("Subscribers on one messenger"),
    "status": __("Applicants with an idea in a given status"),
    "event": __("Those signed up for an event"),
    "call": __("Those who sent ideas to a call"),
}


def cb(action: BroadcastAction, **fields: Any) -> BroadcastCB:
    return BroadcastCB(action=action, **fields)


async def values_for(kind: str, calls: CallService, events: EventService) -> list[tuple[str, str]]:
    """The choices of one audience kind: (value, label)."""
    if kind == "area":
        return [(o.key, str(o.label)) for o in AREAS]
    if kind == "persona":
        return [(o.key, str(o.label)) for o in PERSONAS]
    if kind == "platform":
        return [(key, str(name)) for key, name in PLATFORM_NAMES.items()]
    if kind == "status":
        return [(key, str(status.name)) for key, status in STATUSES.items()]
    if kind == "event":
        return [(str(e.id), e.title[:40]) for e in await events.recent()]
    if kind == "call":
        return [(str(c.id), c.title[:40]) for c in await calls.recent()]
    return []


async def describe(audience: Audience, calls: CallService, events: EventService) -> str:
    label = str(KINDS.get(audience.kind, audience.kind))
    if audience.value is None:
        return label
    names = dict(await values_for(audience.kind, calls, events))
    return f"{label}: {names.get(audience.value, audience.value)}"


def cancel_button(builder: InlineKeyboardBuilder) -> None:
    builder.button(text=label("cancel"), callback_data=cb(BroadcastAction.DROP))


def kinds_markup() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind, name in KINDS.items():
        builder.button(text=str(name), callback_data=cb(BroadcastAction.KIND, kind=kind))
    cancel_button(builder)
    builder.adjust(1)
    return builder.as_markup()


async def on_broadcast(
    event: TelegramObject, bot: IdeaBot, render: Renderer, state: FSMContext
) -> None:
    """/broadcast or the panel's button: ask for the announcement."""
    user = getattr(event, "from_user", None)
    assert user is not None
    await state.set_state(BroadcastFlow.message)
    await state.set_data({})
    builder = InlineKeyboardBuilder()
    cancel_button(builder)
    text = render(
        _(
            "📢 Send the announcement: a text, or a photo or document with a caption. "
            "It reaches people exactly as you write it."
        )
    )
    await bot.send_message(user.id, text, reply_markup=builder.as_markup())


async def on_message(message: Message, render: Renderer, state: FSMContext) -> None:
    """The announcement itself."""
    data: dict[str, Any] = {"text": message.caption or message.text or ""}
    if message.photo:
        data |= {"media_kind": "photo", "media_file_id": message.photo[-1].file_id}
    elif message.document:
        data |= {
            "media_kind": "document",
            "media_file_id": message.document.file_id,
            "media_name": message.document.file_name,
        }
    elif not message.text:
        await message.answer(render(_("Please send a text, a photo or a document.")))
        return
    limit = CAPTION_LIMIT if "media_kind" in data else TEXT_LIMIT
    if len(data["text"]) > limit:
        await message.answer(
            render(_("That is too long: at most {limit} characters here."), limit=limit)
        )
        return
    await state.set_state(BroadcastFlow.audience)
    await state.set_data(data)
    await message.answer(render(_("Who should receive it?")), reply_markup=kinds_markup())


async def on_button(
    callback: CallbackQuery,
    callback_data: BroadcastCB,
    bot: IdeaBot,
    render: Renderer,
    state: FSMContext,
    broadcasts: BroadcastService,
    calls: CallService,
    events: EventService,
    settings: Settings,
) -> None:
    action = callback_data.action
    if action is BroadcastAction.START:
        await on_broadcast(callback, bot, render, state)
        return
    if action is BroadcastAction.LIST:
        await send_scheduled(callback, render, broadcasts, calls, events, settings)
        return
    if action is BroadcastAction.UNSCHEDULE:
        done = await broadcasts.cancel(callback_data.id)
        text = (
            _("Broadcast #{id} is cancelled; nothing was sent.")
            if done
            else _("Broadcast #{id} has already started or was cancelled.")
        )
        await replace(callback, render(text, id=callback_data.id), None)
        return
    if action is BroadcastAction.DROP:
        await state.clear()
        await replace(callback, render(_("Cancelled; nothing was sent.")), None)
        return
    data = await state.get_data()
    composing = (BroadcastFlow.audience.state, BroadcastFlow.when.state)
    if await state.get_state() not in composing or "text" not in data:
        await reply(callback, render(_("That announcement was already sent or cancelled.")), None)
        return
    await state.set_state(BroadcastFlow.audience)  # a button: not waiting for a date any more
    if action is BroadcastAction.AUDIENCE:
        await replace(callback, render(_("Who should receive it?")), kinds_markup())
    elif action is BroadcastAction.KIND and callback_data.kind in KINDS:
        choices = await values_for(callback_data.kind, calls, events)
        if callback_data.kind == "all":
            await confirm(callback, render, state, data, Audience("all"), broadcasts, calls, events)
            return
        builder = InlineKeyboardBuilder()
        for value, name in choices:
            builder.button(
                text=name,
                callback_data=cb(BroadcastAction.VALUE, kind=callback_data.kind, value=value),
            )
        builder.button(text=label("back"), callback_data=cb(BroadcastAction.AUDIENCE))
        builder.adjust(1)
        text = render(str(KINDS[callback_data.kind]))
        if not choices:
            text += "\n" + render(_("There is nothing to choose here yet."))
        await replace(callback, text, builder.as_markup())
    elif action is BroadcastAction.VALUE and callback_data.kind in KINDS:
        audience = Audience(callback_data.kind, callback_data.value)
        await confirm(callback, render, state, data, audience, broadcasts, calls, events)
    elif action is BroadcastAction.SEND:
        await start(callback, render, state, data, broadcasts, None, settings)
    elif action is BroadcastAction.SCHEDULE:
        await state.set_state(BroadcastFlow.when)
        await reply(
            callback,
            render(_("When should it be sent? Send a Jalali date and time like 1405/09/20 10:00.")),
            None,
        )


async def confirm(
    callback: CallbackQuery,
    render: Renderer,
    state: FSMContext,
    data: dict[str, Any],
    audience: Audience,
    broadcasts: BroadcastService,
    calls: CallService,
    events: EventService,
) -> None:
    """The audience's size per messenger, a preview, and send / schedule / cancel."""
    data["audience"] = {"kind": audience.kind, "value": audience.value}
    await state.set_data(data)
    sizes = await broadcasts.size(audience)
    total = sum(sizes.values())
    lines = [
        render(_("<b>Audience:</b> {audience}"), audience=await describe(audience, calls, events)),
        render(
            _("Recipients: {total} (Telegram {telegram}, Bale {bale})"),
            total=total,
            telegram=sizes.get("telegram", 0),
            bale=sizes.get("bale", 0),
        ),
    ]
    builder = InlineKeyboardBuilder()
    if total:
        builder.button(text=_("📤 Send now"), callback_data=cb(BroadcastAction.SEND))
    else:  # it may have people by the time a scheduled one is due
        lines.append(render(_("Nobody is in this audience now.")))
    builder.button(text=_("🕒 Schedule"), callback_data=cb(BroadcastAction.SCHEDULE))
    builder.button(text=_("👥 Another audience"), callback_data=cb(BroadcastAction.AUDIENCE))
    cancel_button(builder)
    builder.adjust(2 if total else 1, 1, 1)
    await replace(callback, "\n".join(lines), None)
    # The preview: exactly what a reader on this messenger will see, photo or file too.
    preview, _markup = compose_message(data["text"], "media_kind" in data)(render)
    assert callback.bot is not None
    chat_id, heading = callback.from_user.id, render(_("Preview:"))
    if data.get("media_kind") == "photo":
        await callback.bot.send_photo(chat_id, data["media_file_id"], caption=preview)
    elif data.get("media_kind") == "document":
        await callback.bot.send_document(chat_id, data["media_file_id"], caption=preview)
    else:
        await callback.bot.send_message(chat_id, f"{heading}\n\n{preview}")
    await callback.bot.send_message(
        callback.from_user.id, render(_("Send it?")), reply_markup=builder.as_markup()
    )


async def start(
    event: CallbackQuery | Message,
    render: Renderer,
    state: FSMContext,
    data: dict[str, Any],
    broadcasts: BroadcastService,
    due: Any,
    settings: Settings,
) -> None:
    assert event.bot is not None and event.from_user is not None
    bot = event.bot
    assert isinstance(bot, IdeaBot)
    await state.clear()
    plan = Plan(
        text=data["text"],
        audience=Audience(**data["audience"]),
        platform=bot.platform,
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
        media_name=data.get("media_name"),
    )
    chat_id = event.from_user.id
    info = await broadcasts.create(plan, chat_id, current_locale(), due)
    if due is None:
        text = render(_("📤 Broadcast #{id} is on its way; its progress follows here."), id=info.id)
        markup = None
    else:
        text = render(
            _("🕒 Broadcast #{id} is scheduled for {when}."),
            id=info.id,
            when=format_date(due, settings.tz, current_locale()),
        )
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("✖️ Cancel this broadcast"),
            callback_data=cb(BroadcastAction.UNSCHEDULE, id=info.id),
        )
        markup = builder.as_markup()
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_when(
    message: Message,
    render: Renderer,
    state: FSMContext,
    broadcasts: BroadcastService,
    settings: Settings,
) -> None:
    due = parse_jalali(message.text or "", settings.tz)
    if due is None:
        await message.answer(render(_("That is not a date and time I can read.")))
        return
    if due <= broadcasts.clock():
        await message.answer(render(_("That time has passed; send a time in the future.")))
        return
    await start(message, render, state, await state.get_data(), broadcasts, due, settings)


async def send_scheduled(
    callback: CallbackQuery,
    render: Renderer,
    broadcasts: BroadcastService,
    calls: CallService,
    events: EventService,
    settings: Settings,
) -> None:
    waiting = await broadcasts.scheduled()
    if not waiting:
        await reply(callback, render(_("No broadcast is scheduled.")), None)
        return
    for info in waiting[:10]:
        text = render(
            _("🕒 Broadcast #{id}, {when}\nAudience: {audience}\n\n{text}"),
            id=info.id,
            when=format_date(info.due_at, settings.tz, current_locale()),
            audience=await describe(info.audience, calls, events),
            text=info.text,
        )
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("✖️ Cancel this broadcast"),
            callback_data=cb(BroadcastAction.UNSCHEDULE, id=info.id),
        )
        await reply(callback, text, builder.as_markup())


def router() -> Router:
    r = Router(name="broadcast")
    r.message.register(on_broadcast, Command("broadcast"), is_staff)
    r.callback_query.register(on_button, BroadcastCB.filter(), is_staff)
    not_a_command = ~F.text.startswith("/")
    r.message.register(on_message, StateFilter(BroadcastFlow.message), is_staff, not_a_command)
    r.message.register(on_when, StateFilter(BroadcastFlow.when), is_staff, not_a_command)
    r.message.register(on_refused, Command("broadcast"))
    r.callback_query.register(on_refused, BroadcastCB.filter())
    return r
