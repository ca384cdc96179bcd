"""One Application and one Bot per platform, both platforms in one process and one event
loop, sharing one set of handler definitions.

Bale's API copies Telegram's paths, so a Bale bot is the same Bot pointed at Bale's
server. Telegram's messages are parsed as HTML; Bale's get no `parse_mode` at all.
Updates are not fetched by the framework (`bot.platform.polling` does it tolerantly),
nor scheduled by it (`scheduler.py` is the clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest

from bot.core.platforms import PROFILES, Platform, PlatformProfile
from bot.platform.request import AiohttpRequest
from bot.platform.turn import TurnContext

# Long polls wait up to this long for updates; the request's own timeout is longer.
POLL_SECONDS = 25


class MessengerBot(ExtBot[None]):
    """A Bot that knows which messenger it talks to."""

    __slots__ = ("_profile",)

    def __init__(self, token: str, profile: PlatformProfile, **kwargs: Any) -> None:
        defaults = Defaults(parse_mode=ParseMode.HTML) if profile.html else None
        super().__init__(token, defaults=defaults, **kwargs)
        self._profile = profile  # the framework's objects take only private attributes

    @property
    def profile(self) -> PlatformProfile:
        return self._profile

    @property
    def platform(self) -> Platform:
        return self.profile.platform

    @property
    def numeric_id(self) -> int:
        """The bot's id, from its token (known before the platform is ever reached)."""
        return int(self.token.split(":", 1)[0])


Bots = Application[MessengerBot, TurnContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], None]


@dataclass
class Connection:
    """One platform: its Application (and Bot), and the request its long poll uses."""

    platform: Platform
    application: Bots
    updates: BaseRequest

    @property
    def bot(self) -> MessengerBot:
        return self.application.bot


# Sends the sender has going at once, per platform: waiting their turn (a turn waits
# for the one a second's worth before it to have gone), having their row marked, or on
# the wire. Measured with `python -m bench.broadcast`: 64 held 500 messages a second
# at 100 ms each to 0.94 of the rate, 128 to 0.98. A bot's connections are more, so
# that a request the sender starts never waits for one (and replies to people and the
# console's files find one).
SENDS_AT_ONCE = 128
CONNECTIONS = SENDS_AT_ONCE + 32


def connect(
    platform: Platform,
    token: str,
    api_url: str,
    *,
    request: BaseRequest | None = None,
    updates: BaseRequest | None = None,
    role: str | None = None,
) -> Connection:
    """`role` names the kind of process in its requests (see `AiohttpRequest`)."""
    updates = updates or polling_request()
    bot = MessengerBot(
        token,
        PROFILES[platform],
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=request
        or AiohttpRequest(connection_pool_size=CONNECTIONS, read_timeout=15.0, role=role),
        get_updates_request=updates,
    )
    application: Bots = (
        ApplicationBuilder()
        .bot(bot)
        .updater(None)
        .job_queue(None)
        .context_types(ContextTypes(context=TurnContext))
        .build()
    )
    return Connection(platform, application, updates)


def polling_request() -> AiohttpRequest:
    """The long poll's own connection, which waits longer than any other request."""
    return AiohttpRequest(connection_pool_size=1, read_timeout=POLL_SECONDS + 10.0)


async def download(connection: Connection, file_id: str) -> bytes:
    """A file a person sent, through this platform's bot (the staff console shows it)."""
    found = await connection.bot.get_file(file_id)
    return bytes(await found.download_as_bytearray())


def bot_username(connection: Connection) -> str | None:
    """The bot's @name once the platform was reached (None before)."""
    try:
        return connection.bot.username
    except RuntimeError:  # not initialized yet
        return None
