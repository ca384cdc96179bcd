"""/privacy and /delete_my_data: what is stored about a person, and erasing it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import _
from bot.keyboards import main_menu
from bot.privacy import PrivacyService
from bot.render import Renderer
from bot.topics import TOPIC_OPTIONS
from bot.users import UserView
from handlers.common import replace


class PrivacyCB(CallbackData, prefix="privacy"):
    erase: bool


async def on_privacy(
    message: Message, render: Renderer, privacy: PrivacyService, user: UserView
) -> None:
    stored = await privacy.stored(user.id)
    none = _("— (nothing)")
    text = render(
        _(
            "<b>What is stored about you</b>\n"
            "Name in the messenger: {messenger_name}\n"
            "Full name you gave: {full_name}\n"
            "Phone number: {phone}\n"
            "Ideas you submitted: {ideas}\n"
            "An idea in progress: {draft}\n"
            "Announcements you receive: {topics}\n"
            "Events you signed up for: {events}\n\n"
            "Why: so that the center's experts can review your ideas and contact you about "
            "them, and so that you get the news you chose. Only the center's staff see it.\n\n"
            "To delete it, send /delete_my_data."
        ),
        messenger_name=stored.messenger_name or none,
        full_name=stored.full_name or none,
        phone=stored.phone or none,
        ideas=stored.ideas,
        draft=_("yes") if stored.has_draft else _("no"),
        topics="، ".join(str(o.label) for o in TOPIC_OPTIONS if o.key in stored.topics) or none,
        events=stored.events,
    )
    await message.answer(text, reply_markup=main_menu())


async def on_delete_request(message: Message, render: Renderer) -> None:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🗑 Yes, delete my data"), callback_data=PrivacyCB(erase=True))
    builder.button(text=_("No, keep it"), callback_data=PrivacyCB(erase=False))
    builder.adjust(1, 1)
    text = render(
        _(
            "Delete your name, phone number, locations and profile, your announcements and "
            "your event sign-ups? Your submitted ideas are kept without your name, for the "
            "center's statistics, and you will no longer be able to follow them here. An idea "
            "in progress is deleted. This can't be undone."
        )
    )
    await message.answer(text, reply_markup=builder.as_markup())


async def on_delete_answer(
    callback: CallbackQuery,
    callback_data: PrivacyCB,
    render: Renderer,
    privacy: PrivacyService,
    user: UserView,
    state: FSMContext,
) -> None:
    if not callback_data.erase:
        await replace(callback, render(_("Nothing was deleted.")), main_menu())
        return
    detached = await privacy.erase(user.id)
    await state.clear()
    text = render(_("Your data is deleted."))
    if detached:
        text = render(
            _("Your data is deleted. Your submitted ideas ({ideas}) are kept without your name."),
            ideas=detached,
        )
    await replace(callback, text, main_menu())


def router() -> Router:
    r = Router(name="privacy")
    r.message.register(on_privacy, Command("privacy"))
    r.message.register(on_delete_request, Command("delete_my_data"))
    r.callback_query.register(on_delete_answer, PrivacyCB.filter())
    return r
