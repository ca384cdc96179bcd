"""Telegram and Bale: what tells the two platforms apart where the code must choose.

Bale's bot API copies Telegram's paths and envelope, but it parses every message as its
own Markdown (no `parse_mode`, no HTML), documents no `allowed_updates` and no
`setMyCommands`, may omit `chat_instance` from callback queries and numbers updates
from 0. `docs/bale.md` lists every difference and the file that handles each.
"""

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
    # Bale documents no allowedUpdates and no setMyCommands.
    sends_allowed_updates: bool
    has_set_my_commands: bool
    # A link that opens the bot with /start <payload>: "{username}" and "{payload}".
    deep_link: str


PROFILES: dict[Platform, PlatformProfile] = {
    Platform.TELEGRAM: PlatformProfile(
        platform=Platform.TELEGRAM,
        html=True,
        sends_allowed_updates=True,
        has_set_my_commands=True,
        deep_link="https://t.me/{username}?start={payload}",
    ),
    Platform.BALE: PlatformProfile(
        platform=Platform.BALE,
        html=False,
        sends_allowed_updates=False,
        has_set_my_commands=False,
        deep_link="https://ble.ir/{username}?start={payload}",
    ),
}
