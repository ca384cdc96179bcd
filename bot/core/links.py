"""Links that open the bot with a purpose: `/start call_12` opens the intake bound to
call 12. The link's form is each platform's (`PlatformProfile.deep_link`)."""

from __future__ import annotations

from bot.core.platforms import PlatformProfile

PAYLOAD_PREFIX = "call_"
INVITE_PREFIX = "join_"  # `/start join_<token>`: a one-time invitation to the staff


def deep_link(profile: PlatformProfile, username: str, call_id: int) -> str:
    return profile.deep_link.format(username=username, payload=f"{PAYLOAD_PREFIX}{call_id}")


def call_from_payload(payload: str | None) -> int | None:
    """`/start call_12` -> 12."""
    if not payload or not payload.startswith(PAYLOAD_PREFIX):
        return None
    digits = payload.removeprefix(PAYLOAD_PREFIX)
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def invite_link(profile: PlatformProfile, username: str, token: str) -> str:
    return profile.deep_link.format(username=username, payload=f"{INVITE_PREFIX}{token}")


def invite_from_payload(payload: str | None) -> str | None:
    if not payload or not payload.startswith(INVITE_PREFIX):
        return None
    token = payload.removeprefix(INVITE_PREFIX)
    return (
        token
        if 8 <= len(token) <= 32 and token.replace("-", "").replace("_", "").isalnum()
        else None
    )


# The staff console's place on its server, and its one-time sign-in links.
CONSOLE_PATH = "/console"


def console_sign_in(base_url: str, token: str) -> str:
    return f"{base_url}{CONSOLE_PATH}/login/{token}"
