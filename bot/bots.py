"""One aiogram Bot per platform, aware of its platform profile."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods.base import TelegramMethod
from aiogram.types import CallbackQuery

from bot.platforms import PROFILES, Platform, PlatformProfile

log = logging.getLogger(__name__)


class IdeaBot(Bot):
    """A Bot that knows which messenger it talks to."""

    def __init__(
        self, token: str, profile: PlatformProfile, session: BaseSession | None = None
    ) -> None:
        default = DefaultBotProperties(parse_mode=ParseMode.HTML if profile.html else None)
        super().__init__(token=token, session=session, default=default)
        self.profile = profile

    @property
    def platform(self) -> Platform:
        return self.profile.platform


def make_bot(platform: Platform, token: str, api_url: str) -> IdeaBot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    return IdeaBot(token, PROFILES[platform], session=session)


class GetRawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """getUpdates whose result stays raw JSON, so each update is parsed on its own
    and one that does not parse cannot stall the polling loop."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


async def answer_callback(callback: CallbackQuery, text: str | None = None) -> None:
    """Answer a callback query; Bale's older clients may refuse, which must not matter."""
    try:
        await callback.answer(text)
    except (TelegramAPIError, TelegramNetworkError) as exc:
        log.debug("answerCallbackQuery failed on %s: %s", callback.bot, exc)
