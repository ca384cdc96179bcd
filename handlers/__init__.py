"""Thin aiogram routers, one module per feature. Each module offers `router()`,
building a fresh Router so any number of Dispatchers (tests, workers) can exist."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admin,
    applicant,
    errors,
    fallback,
    intake,
    language,
    my_ideas,
    privacy,
    staff,
    start,
)


def routers() -> list[Router]:
    # The fallback router comes last: it answers whatever nothing else took.
    # The intake comes before /start's router: /cancel means "stop this idea" inside it.
    return [
        errors.router(),
        intake.router(),
        start.router(),
        my_ideas.router(),
        applicant.router(),
        privacy.router(),
        language.router(),
        admin.router(),
        staff.router(),
        fallback.router(),
    ]
