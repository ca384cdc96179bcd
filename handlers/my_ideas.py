"""/my and the menu's "my ideas": the person's ideas with code, title, status and date."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.dates import format_date
from bot.i18n import _
from bot.ideas import IdeaService
from bot.intake.screens import code_text
from bot.keyboards import IdeaAction, IdeaCB, MenuAction, MenuCB, main_menu
from bot.render import Renderer, current_locale, isolated
from bot.statuses import STATUSES
from bot.tracking import display_code
from bot.users import UserView


async def ideas_text(
    render: Renderer, ideas: IdeaService, user: UserView, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    """The list, and a button per idea to open it (with its history)."""
    mine, total = await ideas.mine(user.id)
    if not mine:
        empty = _("You have not submitted any ideas yet. Use “Submit an idea” to start.")
        return render(empty), main_menu()
    locale = current_locale()
    lines = [render(_("<b>Your ideas</b>"))]
    for number, idea in enumerate(mine, 1):
        lines.append(
            render(
                _("{number}. <code>{code}</code> {title}\n    {status} · {date}"),
                number=number,
                code=code_text(idea.code),
                title=isolated(idea.title),
                status=str(STATUSES[idea.status].name),
                date=format_date(idea.created_at, settings.tz, locale, with_time=False),
            )
        )
    if total > len(mine):
        lines.append(
            render(_("The latest {shown} of your {total} ideas."), shown=len(mine), total=total)
        )
    builder = InlineKeyboardBuilder()
    for idea in mine:
        builder.button(
            text=render.plain(_("🔎 {code}"), code=display_code(idea.code)),
            callback_data=IdeaCB(action=IdeaAction.OPEN, idea=idea.id),
        )
    builder.adjust(3)
    return "\n\n".join(lines), builder.as_markup()


async def on_my(
    message: Message, render: Renderer, ideas: IdeaService, user: UserView, settings: Settings
) -> None:
    text, markup = await ideas_text(render, ideas, user, settings)
    await message.answer(text, reply_markup=markup)


async def on_menu_my(
    callback: CallbackQuery,
    bot: Bot,
    render: Renderer,
    ideas: IdeaService,
    user: UserView,
    settings: Settings,
) -> None:
    text, markup = await ideas_text(render, ideas, user, settings)
    await bot.send_message(callback.from_user.id, text, reply_markup=markup)


def router() -> Router:
    r = Router(name="my_ideas")
    r.message.register(on_my, Command("my"))
    r.callback_query.register(on_menu_my, MenuCB.filter(F.action == MenuAction.MY_IDEAS))
    return r
