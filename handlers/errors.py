"""Unexpected failures: logged with the update, and the person is told, not ignored."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from bot.bots import IdeaBot
from bot.i18n import _
from bot.render import Renderer
from bot.users import UserView

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, bot: Bot, i18n: I18n, user: UserView | None = None) -> None:
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    if user is None or user.chat_id is None or not isinstance(bot, IdeaBot):
        return
    locale = user.locale if user.locale in i18n.available_locales else i18n.default_locale
    with i18n.context(), i18n.use_locale(locale):
        text = Renderer(bot.profile)(
            _("Sorry, something went wrong on our side. Please try again, or send /start.")
        )
    try:
        await bot.send_message(user.chat_id, text)
    except Exception:
        log.exception("could not tell user %s about the failure", user.id)


def router() -> Router:
    r = Router(name="errors")
    r.errors.register(on_error)
    return r
