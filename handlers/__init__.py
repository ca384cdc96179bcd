"""Thin aiogram routers, one module per feature. Each module offers `router()`,
building a fresh Router so any number of Dispatchers (tests, workers) can exist."""

from __future__ import annotations

from aiogram import Router

from bot.keyboards import BroadcastCB, IdeaCB, ManageCB
from handlers import (
    admin,
    applicant,
    broadcast,
    errors,
    fallback,
    intake,
    language,
    manage,
    my_ideas,
    outreach,
    privacy,
    staff,
    start,
)
from handlers.common import ForgetPrompt


def prompts() -> Router:
    """Comes first: its outer middlewares see every message and button."""
    r = Router(name="prompts")
    staff_prompt = ForgetPrompt(
        frozenset({str(staff.StaffFlow.reason.state), str(staff.StaffFlow.note.state)}),
        (f"{staff.StaffCB.__prefix__}:",),
    )
    applicant_prompt = ForgetPrompt(
        frozenset({str(applicant.Answering.question.state)}), (f"{IdeaCB.__prefix__}:",)
    )
    form_prompt = ForgetPrompt(
        frozenset({str(manage.FormFlow.filling.state)}), (f"{ManageCB.__prefix__}:",)
    )
    broadcast_prompt = ForgetPrompt(
        frozenset(str(s.state) for s in broadcast.BroadcastFlow.__states__),
        (f"{BroadcastCB.__prefix__}:",),
    )
    for observer in (r.message, r.callback_query):
        for prompt in (staff_prompt, applicant_prompt, form_prompt, broadcast_prompt):
            observer.outer_middleware(prompt)
    return r


def routers() -> list[Router]:
    # The fallback router comes last: it answers whatever nothing else took.
    # The intake comes before /start's router: /cancel means "stop this idea" inside it.
    return [
        errors.router(),
        prompts(),
        intake.router(),
        start.router(),
        my_ideas.router(),
        applicant.router(),
        privacy.router(),
        language.router(),
        outreach.router(),
        admin.router(),
        staff.router(),
        manage.router(),
        broadcast.router(),
        fallback.router(),
    ]
