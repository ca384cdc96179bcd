"""/start, /help, /cancel and the main menu's informational entries."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import _
from bot.intake import screens
from bot.intake.engine import IntakeEngine
from bot.keyboards import LANGUAGE_NAMES, MenuAction, MenuCB, language_keyboard, main_menu
from bot.render import Renderer, current_locale
from bot.subscriptions import SubscriptionService
from bot.users import UserView
from handlers.common import reply
from handlers.outreach import offer_subscriptions


def welcome_text(render: Renderer, user: UserView | None) -> str:
    return render(
        _(
            "Hello {name}! 👋\n"
            "This is the idea bot of the <b>Innovation and Technology Center of Tabriz "
            "Municipality</b>.\n\n"
            "The center supports new ideas for running the city, from citizens, university "
            "and school students, professors and researchers, knowledge-based companies and "
            "startups, municipal staff and industry. Its focus areas are:\n"
            "♻️ Waste\n"
            "🚦 Transport and traffic\n"
            "🌳 Urban beautification\n"
            "📡 Smart city\n\n"
            "Idea owners can receive support, a co-working space and acceleration services.\n\n"
            "Choose from the menu below."
        ),
        name=user.first_name if user and user.first_name else _("friend"),
    )


async def on_start(
    message: Message,
    state: FSMContext,
    render: Renderer,
    user: UserView | None,
    intake: IntakeEngine,
    subscriptions: SubscriptionService,
) -> None:
    await message.answer(welcome_text(render, user), reply_markup=main_menu())
    draft = await intake.draft(user.id) if user else None
    if draft is None:
        await state.clear()
        if user is not None and not user.subscriptions_chosen and message.bot is not None:
            await offer_subscriptions(message.bot, message.chat.id, render, subscriptions, user)
        return
    # The conversation stays where it was: an answer typed next is still taken.
    offer = screens.resume_offer(render, draft)
    await message.answer(offer.text, reply_markup=offer.markup)


async def on_help(message: Message, render: Renderer) -> None:
    await message.answer(
        render(
            _(
                "<b>How to use this bot</b>\n"
                "/start: welcome and main menu\n"
                "/new: submit an idea\n"
                "/my: your ideas and their status\n"
                "/track CODE: one idea, by its tracking code\n"
                "/calls: open calls for proposals\n"
                "/events: upcoming events, and signing up\n"
                "/settings: which announcements you receive\n"
                "/privacy: what is stored about you, and deleting it\n"
                "/language: choose Persian or English\n"
                "/cancel: stop what you are doing\n"
                "/help: this message\n\n"
                "You can also use the buttons of the menu."
            )
        ),
        reply_markup=main_menu(),
    )


async def on_cancel(message: Message, state: FSMContext, render: Renderer) -> None:
    if await state.get_state() is None:
        text = _("There is nothing to cancel. Here is the menu.")
    else:
        await state.clear()
        text = _("Cancelled. Here is the menu.")
    await message.answer(render(text), reply_markup=main_menu())


def about_text(render: Renderer) -> str:
    return render(
        _(
            "<b>Innovation and Technology Center of Tabriz Municipality</b>\n\n"
            "The center brings the knowledge of the city's people to its problems. It works "
            "with research centers, knowledge-based companies, accelerators and incubators, "
            "science and technology parks and creative houses to turn ideas into products and "
            "services for the municipality.\n\n"
            "Focus areas: waste; transport and traffic; urban beautification; smart city; and "
            "other areas of city management.\n\n"
            "What idea owners get: material and advisory support, a co-working space, and "
            "acceleration services for companies."
        )
    )


async def on_menu_about(callback: CallbackQuery, render: Renderer) -> None:
    await reply(callback, about_text(render), main_menu())


async def on_menu_settings(callback: CallbackQuery, render: Renderer) -> None:
    language = str(LANGUAGE_NAMES[current_locale()])
    text = render(
        _("<b>Settings</b>\nLanguage: {language}\nChoose the bot's language:"), language=language
    )
    await reply(callback, text, language_keyboard(announcements=True))


def router() -> Router:
    r = Router(name="start")
    r.message.register(on_start, CommandStart())
    r.message.register(on_help, Command("help"))
    r.message.register(on_cancel, Command("cancel"))
    r.callback_query.register(on_menu_about, MenuCB.filter(F.action == MenuAction.ABOUT))
    r.callback_query.register(on_menu_settings, MenuCB.filter(F.action == MenuAction.SETTINGS))
    return r
