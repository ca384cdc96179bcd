"""What a refused or lost request means: one verdict per error, for every send (the
sender's rows and a turn's replies alike)."""

from __future__ import annotations

from enum import StrEnum

from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.platform.request import Lost, NotSent

# How the platforms say "slow down" without a 429's retry_after (Bale: "bot limit exceed").
_SLOW_DOWN = ("limit exceed", "too many requests")


def rate_limited(error: TelegramError) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in _SLOW_DOWN)


class Verdict(StrEnum):
    PAUSE = "pause"  # the platform asked us to slow down, or cannot be used for now
    BLOCKED = "blocked"
    RETRY = "retry"  # it never arrived: safe to send again
    UNKNOWN = "unknown"  # it may have arrived: never sent again
    FAILED = "failed"


def verdict_of(error: TelegramError) -> Verdict:
    """What a refused or lost request means for the message."""
    if isinstance(error, RetryAfter):
        return Verdict.PAUSE
    if isinstance(error, Forbidden):
        return Verdict.BLOCKED
    if isinstance(error, InvalidToken):  # a revoked token, or a proxy's page: not the row's fault
        return Verdict.PAUSE
    if isinstance(error, BadRequest):
        if "blocked" in error.message.lower():  # Bale says so with a 400
            return Verdict.BLOCKED
        return Verdict.PAUSE if rate_limited(error) else Verdict.FAILED
    if isinstance(error, NetworkError):  # TimedOut too
        if rate_limited(error):  # Bale's "bot limit exceed": a 429 without retry_after
            return Verdict.PAUSE
        if isinstance(error, NotSent):
            return Verdict.RETRY
        if isinstance(error, TimedOut | Lost):
            return Verdict.UNKNOWN  # a read timeout, or a connection dropped mid-answer
        return Verdict.RETRY  # the server answered with a 5xx
    return Verdict.FAILED
