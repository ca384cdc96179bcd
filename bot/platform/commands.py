"""The command menus: everyone's, and the staff's in each staff member's chat. Set on
Telegram at start and whenever an administrator adds or removes staff; on Bale, whose
API has no setMyCommands, the failure is logged once."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.core.platforms import Platform
from bot.platform.bots import Connection, MessengerBot
from bot.services.users import StaffDirectory
from bot.ui.commands import COMMANDS, STAFF_COMMANDS
from locales.i18n import LOCALES, use_locale

log = logging.getLogger(__name__)


class CommandMenus:
    def __init__(self, staff: StaffDirectory, default_locale: str) -> None:
        self.staff = staff
        self.default_locale = default_locale
        self.bots: dict[Platform, MessengerBot] = {}
        self._warned: set[Platform] = set()

    def attach(self, connection: Connection) -> None:
        self.bots[connection.platform] = connection.bot

    def commands(self, locale: str, staff: bool) -> list[BotCommand]:
        pairs = COMMANDS + (STAFF_COMMANDS if staff else ())
        with use_locale(locale):
            return [BotCommand(name, str(text)) for name, text in pairs]

    def _failed(self, bot: MessengerBot, exc: Exception) -> None:
        if bot.platform not in self._warned:
            self._warned.add(bot.platform)
            level = logging.INFO if not bot.profile.has_set_my_commands else logging.WARNING
            log.log(level, "%s: setMyCommands failed, ignored: %s", bot.platform, exc)

    async def __call__(self, connection: Connection) -> None:
        """Everyone's menu in each language, and each staff member's (on connecting)."""
        self.attach(connection)
        bot = connection.bot
        try:
            default = self.default_locale
            await bot.set_my_commands(self.commands(default, False), BotCommandScopeDefault())
            for locale in LOCALES:
                if locale != default:
                    await bot.set_my_commands(
                        self.commands(locale, False), BotCommandScopeDefault(), locale
                    )
            for member in self.staff.members(bot.platform):
                await bot.set_my_commands(
                    self.commands(default, True), BotCommandScopeChat(member.user_id)
                )
        except TelegramError as exc:
            self._failed(bot, exc)

    async def person_language(
        self, platform: Platform, chat_id: int, locale: str, staff: bool
    ) -> None:
        """Someone chose a language: their chat's command menu speaks it too (the default
        menus follow the messenger app's language, not this choice)."""
        bot = self.bots.get(platform)
        if bot is None:
            return
        try:
            await bot.set_my_commands(self.commands(locale, staff), BotCommandScopeChat(chat_id))
        except TelegramError as exc:
            self._failed(bot, exc)

    async def staff_changed(self, platform: Platform, user_id: int, is_staff: bool) -> None:
        """An administrator added or removed someone: their chat's menu follows."""
        bot = self.bots.get(platform)
        if bot is None:
            return
        scope = BotCommandScopeChat(user_id)
        try:
            if is_staff:
                await bot.set_my_commands(self.commands(self.default_locale, True), scope)
            else:
                await bot.delete_my_commands(scope)
        except TelegramError as exc:
            self._failed(bot, exc)
