"""The command menus: everyone's, and the staff's in each staff member's chat. Set on
Telegram at start and whenever an administrator adds or removes staff; on Bale, whose
API has no setMyCommands, the failure is logged once."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.bots import IdeaBot
from bot.i18n import CatalogI18n, __
from bot.platforms import Platform
from bot.users import StaffDirectory

log = logging.getLogger(__name__)

COMMANDS = (
    ("start", __("Welcome and main menu")),
    ("new", __("Submit an idea")),
    ("my", __("My ideas and their status")),
    ("track", __("Follow an idea by its tracking code")),
    ("calls", __("Open calls for proposals")),
    ("events", __("Upcoming events")),
    ("settings", __("Which announcements I receive")),
    ("privacy", __("What is stored about me")),
    ("help", __("How to use the bot")),
    ("language", __("Persian or English")),
    ("cancel", __("Stop what you are doing")),
)
STAFF_COMMANDS = (
    ("admin", __("Staff panel")),
    ("review", __("The review queue")),
    ("idea", __("Open an idea by its tracking code")),
    ("stats", __("Counts of ideas")),
    ("export", __("Ideas as CSV and Excel files")),
    ("staff", __("Staff members")),
    ("newcall", __("Publish a call for proposals")),
    ("newevent", __("Publish an event")),
    ("broadcast", __("Send an announcement")),
)


class CommandMenus:
    def __init__(self, i18n: CatalogI18n, staff: StaffDirectory, default_locale: str) -> None:
        self.i18n = i18n
        self.staff = staff
        self.default_locale = default_locale
        self.bots: dict[Platform, IdeaBot] = {}
        self._warned: set[Platform] = set()

    def attach(self, bot: IdeaBot) -> None:
        self.bots[bot.platform] = bot

    def _commands(self, locale: str, staff: bool) -> list[BotCommand]:
        pairs = COMMANDS + (STAFF_COMMANDS if staff else ())
        with self.i18n.context(), self.i18n.use_locale(locale):
            return [BotCommand(command=name, description=str(text)) for name, text in pairs]

    def _failed(self, bot: IdeaBot, exc: Exception) -> None:
        if bot.platform not in self._warned:
            self._warned.add(bot.platform)
            level = logging.INFO if not bot.profile.has_set_my_commands else logging.WARNING
            log.log(level, "%s: setMyCommands failed, ignored: %s", bot.platform, exc)

    async def __call__(self, bot: IdeaBot) -> None:
        """Everyone's menu in each language, and each staff member's (on connecting)."""
        self.attach(bot)
        try:
            default = self.default_locale
            await bot.set_my_commands(self._commands(default, False), BotCommandScopeDefault())
            for locale in self.i18n.available_locales:
                if locale != default:
                    await bot.set_my_commands(
                        self._commands(locale, False), BotCommandScopeDefault(), locale
                    )
            for _platform, user_id, _role in self.staff.members(bot.platform):
                await bot.set_my_commands(
                    self._commands(default, True), BotCommandScopeChat(chat_id=user_id)
                )
        except (TelegramAPIError, TelegramNetworkError) as exc:
            self._failed(bot, exc)

    async def person_language(self, bot: IdeaBot, chat_id: int, locale: str, staff: bool) -> None:
        """Someone chose a language: their chat's command menu speaks it too (the default
        menus follow the messenger app's language, not this choice)."""
        scope = BotCommandScopeChat(chat_id=chat_id)
        try:
            await bot.set_my_commands(self._commands(locale, staff), scope)
        except (TelegramAPIError, TelegramNetworkError) as exc:
            self._failed(bot, exc)

    async def staff_changed(self, platform: Platform, user_id: int, is_staff: bool) -> None:
        """An administrator added or removed someone: their chat's menu follows."""
        bot = self.bots.get(platform)
        if bot is None:
            return
        scope = BotCommandScopeChat(chat_id=user_id)
        try:
            if is_staff:
                await bot.set_my_commands(self._commands(self.default_locale, True), scope)
            else:
                await bot.delete_my_commands(scope)
        except (TelegramAPIError, TelegramNetworkError) as exc:
            self._failed(bot, exc)
