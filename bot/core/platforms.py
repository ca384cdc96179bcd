"""Telegram and Bale: every difference between the two platforms lives here.

Bale's bot API copies Telegram's paths and envelope, but it parses every message as its
own Markdown (no `parse_mode`, no HTML), documents no `allowed_updates`, no
`setMyCommands` and no webhook secret, may omit `chat_instance` from callback queries,
numbers updates from 0, and allows captions as long as texts. `docs/bale.md` has the
whole list and what ideabot does about each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Platform(StrEnum):
    TELEGRAM = "telegram"
    BALE = "bale"


@dataclass(frozen=True, slots=True)
class PlatformProfile:
    platform: Platform
    # Telegram parses our messages as HTML; Bale gets no parse_mode at all.
    html: bool
    text_limit: int
    caption_limit: int
    # Bale documents no allowedUpdates and no setMyCommands.
    sends_allowed_updates: bool
    has_set_my_commands: bool
    # Bale may omit chat_instance from callback queries; the framework requires it.
    fills_chat_instance: bool
    # Webhook: Telegram takes a secret_token header, Bale only a URL.
    webhook_secret_header: bool
    # Outgoing messages per second across chats (Bale undocumented: be gentle).
    messages_per_second: float
    download_limit_bytes: int
    # A link that opens the bot with /start <payload>: "{username}" and "{payload}".
    deep_link: str


PROFILES: dict[Platform, PlatformProfile] = {
    Platform.TELEGRAM: PlatformProfile(
        platform=Platform.TELEGRAM,
        html=True,
        text_limit=4096,
        caption_limit=1024,
        sends_allowed_updates=True,
        has_set_my_commands=True,
        fills_chat_instance=False,
        webhook_secret_header=True,
        messages_per_second=25.0,
        download_limit_bytes=20 * 1024 * 1024,
        deep_link="https://t.me/{username}?start={payload}",
    ),
    Platform.BALE: PlatformProfile(
        platform=Platform.BALE,
        html=False,
        text_limit=4096,
        caption_limit=4096,
        sends_allowed_updates=False,
        has_set_my_commands=False,
        fills_chat_instance=True,
        webhook_secret_header=False,
        messages_per_second=10.0,
        download_limit_bytes=20 * 1024 * 1024,
        deep_link="https://ble.ir/{username}?start={payload}",
    ),
}
