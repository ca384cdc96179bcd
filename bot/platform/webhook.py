"""Webhook mode: one aiohttp application receives both platforms' updates and hands each
to the gateway.

- Telegram posts to `/telegram` with the secret in `X-Telegram-Bot-Api-Secret-Token`;
  Bale's setWebhook takes no secret, so its secret is the path: `/bale/<secret>`. Both
  are compared in constant time; a wrong or missing one is 401 and nothing is handled.
- An update is answered only after it was handled, committed and replied to: 200. If
  the database could not be reached it is 503, nothing was done, and the platform sends
  it again (Telegram keeps a chat's next update until this one is answered, so a chat's
  order holds across workers). A redelivery is absorbed by the gateway's record of
  handled updates, which also sends again the replies of one whose answer was lost.
- `register`, `unregister` and `describe` are what `ideabot webhook set | delete | info`
  do, once, from the command line: never from every worker's start.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.core.platforms import Platform
from bot.platform.bots import Connection
from bot.platform.polling import ALLOWED_UPDATES

log = logging.getLogger(__name__)

TELEGRAM_PATH = "/telegram"
BALE_PATH = "/bale"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Handle = Callable[[Platform, dict[str, Any]], Awaitable[bool]]


def path_for(platform: Platform, secret: str) -> str:
    return TELEGRAM_PATH if platform is Platform.TELEGRAM else f"{BALE_PATH}/{secret}"


def url_for(base_url: str, platform: Platform, secret: str) -> str:
    return base_url.rstrip("/") + path_for(platform, secret)


def shown_url(url: str, secret: str) -> str:
    """A webhook address fit for a terminal or a log: Bale's secret is hidden."""
    return url.replace(secret, "<WEBHOOK_SECRET>") if secret else url


def _same(given: str | None, secret: str) -> bool:
    """Constant-time; whatever bytes were sent (a header need not be valid UTF-8)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode())


def webhook_app(handle: Handle, secret: str, platforms: tuple[Platform, ...]) -> web.Application:
    """The routes of the platforms served; `/healthz` answers while the worker runs."""

    async def receive(platform: Platform, request: web.Request) -> web.Response:
        try:
            raw = await request.json(loads=json.loads)
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(raw, dict):
            return web.Response(status=400, text="not an update")
        if not await handle(platform, raw):
            return web.Response(status=503, text="try again")
        return web.Response(status=200)

    async def telegram(request: web.Request) -> web.Response:
        if not _same(request.headers.get(SECRET_HEADER), secret):
            return web.Response(status=401)
        return await receive(Platform.TELEGRAM, request)

    async def bale(request: web.Request) -> web.Response:
        if not _same(request.match_info.get("secret"), secret):
            return web.Response(status=401)
        return await receive(Platform.BALE, request)

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application(client_max_size=1024 * 1024)
    if Platform.TELEGRAM in platforms:
        app.router.add_post(TELEGRAM_PATH, telegram)
    if Platform.BALE in platforms:
        app.router.add_post(BALE_PATH + "/{secret}", bale)
    app.router.add_get("/healthz", healthz)
    return app


@dataclass(frozen=True)
class WebhookInfo:
    platform: Platform
    url: str
    pending: int | None
    last_error: str | None
    last_error_at: datetime | None
    max_connections: int | None


async def register(connection: Connection, base_url: str, secret: str, max_connections: int) -> str:
    """Point the platform at our webhook; returns the address (Bale's secret hidden)."""
    bot = connection.bot
    url = url_for(base_url, connection.platform, secret)
    if connection.platform is Platform.TELEGRAM:
        await bot.set_webhook(
            url,
            secret_token=secret,
            max_connections=max_connections,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:  # Bale's setWebhook takes the address only
        await bot.set_webhook(url)
    return shown_url(url, secret)


async def unregister(connection: Connection) -> None:
    """Stop the webhook (the updates wait on the platform for a poller or a new one)."""
    await connection.bot.delete_webhook(drop_pending_updates=False)


async def describe(connection: Connection, secret: str) -> WebhookInfo:
    info = await connection.bot.get_webhook_info()
    return WebhookInfo(
        platform=connection.platform,
        url=shown_url(info.url or "", secret),
        pending=info.pending_update_count,
        last_error=info.last_error_message,
        last_error_at=info.last_error_date,
        max_connections=info.max_connections,
    )
