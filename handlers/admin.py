"""/admin: the staff's entry point (later issues fill it)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.config import Role
from bot.i18n import _, __
from bot.keyboards import main_menu
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
                "/staff: staff members (administrators add and remove them)"
            ),
            role=str(ROLE_NAMES[staff_role]),
        )
    )


def router() -> Router:
    r = Router(name="admin")
    r.message.register(on_admin, Command("admin"))
    return r
