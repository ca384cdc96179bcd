"""Sending to a person on their own platform: rendered in their language, written to the
outbox first, then sent by the one sender (`bot.delivery`), which retries failures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bots import IdeaBot
from bot.delivery import Sender
from bot.platforms import PROFILES, Platform
from bot.render import Renderer
from storage import Database, outreach, repo

log = logging.getLogger(__name__)

# Builds a message for one reader: (renderer in their platform's format) -> (text, markup).
Compose = Callable[[Renderer], tuple[str, InlineKeyboardMarkup | None]]


class Messenger:
    def __init__(self, db: Database, i18n: I18n, sender: Sender) -> None:
        self.db = db
        self.i18n = i18n
        self.sender = sender
        self.bots: dict[Platform, IdeaBot] = {}

    def attach(self, bot: IdeaBot) -> None:
        self.bots[bot.platform] = bot
        self.sender.attach(bot)

    def compose_for(
        self, platform: Platform, locale: str | None, compose: Compose
    ) -> tuple[str, dict[str, Any] | None]:
        """Render a message for one reader: their platform's format, their language."""
        known = locale if locale in self.i18n.available_locales else None
        with self.i18n.context(), self.i18n.use_locale(known or self.i18n.default_locale):
            text, markup = compose(Renderer(PROFILES[platform]))
        return text, markup.model_dump(mode="json", exclude_none=True) if markup else None

    async def queue(
        self,
        session: AsyncSession,
        user_id: int,
        compose: Compose,
        *,
        kind: str = "notice",
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        dedupe: str | None = None,
    ) -> int | None:
        """Write the message for `user_id` to the outbox in the caller's transaction.

        None when the person can't be reached (blocked the bot, or never had a private
        chat), or when a row with the same `dedupe` key was already written (0 when a
        row with a key was written: its id is not read back)."""
        user = await repo.get_user_by_id(session, user_id)
        if user is None or user.chat_id is None or user.blocked:
            return None
        platform = Platform(user.platform)
        text, markup = self.compose_for(platform, user.locale, compose)
        fields: dict[str, Any] = {
            "user_id": user_id,
            "platform": platform.value,
            "chat_id": user.chat_id,
            "text": text,
            "reply_markup": markup,
            "kind": kind,
            "due_at": due_at or self.sender.clock(),
            "expires_at": expires_at,
        }
        if dedupe is not None:
            return 0 if await outreach.add_once(session, dedupe=dedupe, **fields) else None
        row = await repo.add_outbox(session, **fields)
        return row.id

    async def deliver(self, row_id: int) -> str:
        """Send one outbox row now (the sender retries it later if this fails)."""
        status = await self.sender.deliver(row_id)
        return status
