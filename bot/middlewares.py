"""Middlewares: accept each update once, know the person, speak their language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Chat, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram.utils.i18n import I18nMiddleware

from bot.bots import IdeaBot, answer_callback
from bot.render import Renderer
from bot.users import Profile, StaffDirectory, UserService, UserView

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateGate(BaseMiddleware):
    """Outer update middleware.

    Drops redelivered updates, records the sender, and puts into the handler
    data: `user` (UserView or None), `profile`, `render` and `staff_role`.
    """

    def __init__(self, users: UserService, staff: StaffDirectory) -> None:
        self.users = users
        self.staff = staff

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        bot = data["bot"]
        assert isinstance(bot, IdeaBot), "every Bot of ideabot is an IdeaBot"
        sender: TgUser | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        profile = None
        if sender is not None and not sender.is_bot:
            profile = Profile(
                platform=bot.platform.value,
                platform_user_id=sender.id,
                chat_id=chat.id if chat and chat.type == "private" else None,
                first_name=sender.first_name or "",
                last_name=sender.last_name,
                username=sender.username,
            )
        fresh, user = await self.users.accept_update(bot.platform, bot.id, event.update_id, profile)
        if not fresh:
            log.info("%s update %s already handled, skipped", bot.platform, event.update_id)
            return None
        data["user"] = user
        data["profile"] = bot.profile
        data["render"] = Renderer(bot.profile)
        await self.staff.load()
        data["staff_role"] = self.staff.role_of(bot.platform, sender.id) if sender else None
        return await handler(event, data)


class LocaleMiddleware(I18nMiddleware):
    """The person's saved language, else DEFAULT_LOCALE (never the client's guess:
    the center speaks Persian first)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: UserView | None = data.get("user")
        if user is not None and user.locale in self.i18n.available_locales:
            return user.locale
        return self.i18n.default_locale


class CallbackAnswerer(BaseMiddleware):
    """Answers every callback query up front, so the button stops spinning even if
    the handler fails; a failure to answer never reaches the handler."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, CallbackQuery):
            await answer_callback(event)
        return await handler(event, data)
