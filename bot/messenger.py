"""Sending to a person on their own platform: rendered in their language, written to the
outbox first, then sent; a failure leaves the row for the sender to retry."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramNetworkError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bots import IdeaBot
from bot.platforms import PROFILES, Platform
from bot.render import Renderer
from storage import Database, repo

log = logging.getLogger(__name__)

# Builds a message for one reader: (renderer in their platform's format) -> (text, markup).
Compose = Callable[[Renderer], tuple[str, InlineKeyboardMarkup | None]]


class Messenger:
    def __init__(self, db: Database, i18n: I18n) -> None:
        self.db = db
        self.i18n = i18n
        self.bots: dict[Platform, IdeaBot] = {}

    def attach(self, bot: IdeaBot) -> None:
        self.bots[bot.platform] = bot

    async def queue(self, session: AsyncSession, user_id: int, compose: Compose) -> int | None:
        """Write the message for `user_id` to the outbox in the caller's transaction.

        None when the person can't be reached (erased, or never had a private chat)."""
        user = await repo.get_user_by_id(session, user_id)
        if user is None or user.chat_id is None:
            return None
        platform = Platform(user.platform)
        locale = user.locale if user.locale in self.i18n.available_locales else None
        with self.i18n.context(), self.i18n.use_locale(locale or self.i18n.default_locale):
            text, markup = compose(Renderer(PROFILES[platform]))
        row = await repo.add_outbox(
            session,
            user_id=user_id,
            platform=platform.value,
            chat_id=user.chat_id,
            text=text,
            reply_markup=markup.model_dump(mode="json", exclude_none=True) if markup else None,
        )
        return row.id

    async def deliver(self, row_id: int) -> str:
        """Send one outbox row now; returns its new status."""
        async with self.db.read() as session:
            row = await repo.get_outbox(session, row_id)
            if row is None or row.status == "sent":
                return row.status if row else "missing"
            platform, chat_id, text = Platform(row.platform), row.chat_id, row.text
            markup: Any = row.reply_markup
        bot = self.bots.get(platform)
        if bot is None:
            return "pending"  # that platform isn't served by this process
        status, error = "sent", None
        try:
            keyboard = InlineKeyboardMarkup.model_validate(markup) if markup else None
            await bot.send_message(chat_id, text, reply_markup=keyboard)
        except TelegramForbiddenError as exc:
            status, error = "blocked", exc.message
        except (TelegramAPIError, TelegramNetworkError) as exc:
            status, error = "failed", str(exc)[:255]
            log.warning("%s: message %s to %s not sent: %s", platform, row_id, chat_id, exc)
        async with self.db.write() as session:
            await repo.mark_outbox(session, row_id, status, error)
        return status
