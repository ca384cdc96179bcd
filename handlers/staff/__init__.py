"""The staff's handlers. Access is guarded once, here, for all of them: a staff member's
update runs its handler; anyone else's is refused with a plain "not available". What is
refused is exactly what the children handle: no list to keep in sync. Reviewers get the
review work; broadcasts, calls and events, staff and rankings are administrators' only
(and the services check each change again, whatever the button)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from telegram import Update

from bot.platform.routing import Flow, guarded
from bot.platform.turn import Turn, TurnContext
from bot.ui import staff as screens
from handlers.staff import (
    admin,
    alerts,
    broadcasts,
    console,
    forms,
    members,
    reports,
    review,
    scoring,
)


def _allowed(turn: Turn, *, admin_only: bool) -> bool:
    if turn.role is not None and (turn.role == "admin" or not admin_only):
        return True
    turn.reply(screens.not_available(turn.render))
    return False


async def is_staff(update: Update, context: TurnContext) -> bool:
    return _allowed(context.turn, admin_only=False)


async def is_admin(update: Update, context: TurnContext) -> bool:
    return _allowed(context.turn, admin_only=True)


def handlers() -> list[Any]:
    children = [
        *admin.handlers(),
        *review.handlers(),
        *scoring.handlers(),
        *alerts.handlers(),
        *reports.handlers(),
        *console.handlers(),
    ]
    administrators = [
        *forms.handlers(),
        *broadcasts.handlers(),
        *members.admin_handlers(),
        *scoring.admin_handlers(),
    ]
    return [
        *(guarded(handler, is_staff) for handler in children),
        *(guarded(handler, is_admin) for handler in administrators),
    ]


def _guard_flow(flow: Flow, *, admin_only: bool) -> Flow:
    """A conversation only staff (or administrators) may be in: someone no longer
    allowed is taken out of it."""

    async def on_input(turn: Turn, message: Any) -> None:
        if _allowed(turn, admin_only=admin_only):
            await flow.on_input(turn, message)
        else:
            await turn.enter(None)

    async def on_step(turn: Turn, pressed: Any) -> None:
        if _allowed(turn, admin_only=admin_only):
            await flow.on_step(turn, pressed)
        else:
            await turn.enter(None)

    return replace(flow, on_input=on_input, on_step=on_step)


FLOWS: dict[str, Flow] = {
    **{
        key: _guard_flow(flow, admin_only=False)
        for key, flow in {**review.FLOWS, **scoring.FLOWS}.items()
    },
    **{
        key: _guard_flow(flow, admin_only=True)
        for key, flow in {**forms.FLOWS, **broadcasts.FLOWS, **members.FLOWS}.items()
    },
}
