"""/admin: the staff's entry point: what they can do, and buttons for calls, events and
broadcasts."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Role
from bot.i18n import _, __
from bot.keyboards import (
    BroadcastAction,
    BroadcastCB,
    ManageAction,
    ManageCB,
    main_menu,
)
from bot.render import Renderer

ROLE_NAMES = {"admin": __("administrator"), "reviewer": __("expert reviewer")}


async def on_admin(message: Message, render: Renderer, staff_role: Role | None) -> None:
    if staff_role is None:
        await message.answer(render(_("This command is not available.")), reply_markup=main_menu())
        return
    await message.answer(
        render(
            _(
                "<b>Staff panel</b>\nYour role: {role}\n\n"
                "/review: the review queue, oldest first, with filters\n"
                "/idea CODE: open an idea's card\n"
                "/stats: counts of ideas\n"
                "/export: ideas as CSV and Excel files (filters: status=, area=, call=, "
                "from=, to= with Jalali dates)\n"
                "/staff: staff members (administrators add and remove them)\n"
                "/newcall, /newevent: publish a call for proposals or an event\n"
                "/broadcast: send an announcement now or at a set time"
            ),
            role=str(ROLE_NAMES[staff_role]),
        ),
        reply_markup=panel(),
    )


def panel() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📣 Calls"), callback_data=ManageCB(action=ManageAction.CALLS))
    builder.button(text=_("🗓 Events"), callback_data=ManageCB(action=ManageAction.EVENTS))
    builder.button(
        text=_("📢 New broadcast"), callback_data=BroadcastCB(action=BroadcastAction.START)
    )
    builder.button(
        text=_("🕒 Scheduled broadcasts"), callback_data=BroadcastCB(action=BroadcastAction.LIST)
    )
    builder.adjust(2)
    return builder.as_markup()


def router() -> Router:
    r = Router(name="admin")
    r.message.register(on_admin, Command("admin"))
    return r
