"""Thin handlers, one module per feature, all installed on each platform's Application
by `install`. Each module's `handlers()` builds fresh handler objects, so any number of
Applications (both platforms, tests, workers) can have their own.

This parent also routes what belongs to a conversation rather than to a command: a
conversation's own buttons and what is typed while a person is in one go to that
conversation's handlers; a command or another feature's button first pauses (the
intake) or drops (a prompt) the conversation under way. Whatever nothing takes gets a
short hint and the menu, never silence."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.platform.inputs import command_of
from bot.platform.routing import Command, Flow, answers, any_button, any_message, button, edits
from bot.platform.turn import TurnContext
from bot.ui import common as screens
from bot.ui.callbacks import StepCB
from bot.ui.states import Interruption, Mode, State
from handlers import applicant, intake, language, outreach, privacy, staff, start

FLOWS: dict[str, Flow] = {**intake.FLOWS, **applicant.FLOWS, **staff.FLOWS}


async def interrupt(update: Update, context: TurnContext) -> None:
    """A command (but /cancel) or another feature's button in the middle of a
    conversation: the intake pauses, so that what is typed next (an answer to that
    other screen) is not stored as an answer to the idea; a prompt is dropped."""
    turn = context.turn
    state = turn.state
    if state is None or state.mode is Mode.PAUSED:
        return
    if update.message is not None:
        found = command_of(update.message.text)
        foreign = found is not None and found[0] != "cancel"
    elif update.callback_query is not None:
        own = StepCB.unpack(update.callback_query.data)
        foreign = own is None or own.flow != state.flow
    else:
        foreign = False
    if not foreign:
        return
    if state.rules.interruption is Interruption.PAUSE:
        await turn.enter(State(state.flow, Mode.PAUSED))
    else:
        await turn.enter(None)


async def on_step(update: Update, context: TurnContext) -> None:
    """A conversation's own button, for that conversation's handlers."""
    assert update.callback_query is not None
    pressed = StepCB.unpack(update.callback_query.data)
    assert pressed is not None
    flow = FLOWS.get(pressed.flow)
    if flow is None:
        await on_stale_button(update, context)
        return
    await flow.on_step(context.turn, pressed)


async def on_input(update: Update, context: TurnContext) -> None:
    """What is typed or sent: an answer to the conversation the person is in, if any."""
    turn = context.turn
    assert update.message is not None
    flow = FLOWS.get(turn.state.flow) if turn.state is not None else None
    if flow is not None and turn.user is not None:
        await flow.on_input(turn, update.message)
        return
    await on_other_message(update, context)


async def on_cancel(update: Update, context: TurnContext) -> None:
    """/cancel: the conversation under way decides what stopping means (the intake asks
    first and keeps the draft); otherwise, there is nothing to cancel."""
    turn = context.turn
    flow = FLOWS.get(turn.state.flow) if turn.state is not None else None
    if flow is not None and flow.on_cancel is not None:
        await flow.on_cancel(turn)
        return
    anything = turn.state is not None
    if turn.state is not None:
        await turn.services.conversations.discard(turn.user_id, turn.state.flow)
        await turn.enter(None)
    turn.reply(screens.cancelled(turn.render, anything))


async def on_edited(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.edited_message is not None
    flow = FLOWS.get(turn.state.flow) if turn.state is not None else None
    if flow is not None and flow.on_edited is not None:
        await flow.on_edited(turn, update.edited_message)
        return
    turn.reply(screens.edit_not_read(turn.render))  # an edit is never met with silence


async def on_other_message(update: Update, context: TurnContext) -> None:
    """Outside any conversation: a newcomer is welcomed; a tracking code, or an answer
    the experts wait for, goes to the applicant's ideas; anything else gets the hint."""
    turn = context.turn
    if turn.user is not None and turn.user.new:  # a first message, whatever it says
        turn.reply(screens.welcome(turn.render, turn.user))
        return
    message = update.message
    if turn.user is not None and message is not None and await applicant.unprompted(turn, message):
        return
    turn.reply(screens.not_understood(turn.render))


async def on_stale_button(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.stale_button(turn.render))


def install(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(TypeHandler(Update, interrupt), group=-1)
    for handler in (
        Command("cancel", on_cancel),
        *intake.handlers(),
        *start.handlers(),
        *applicant.handlers(),
        *privacy.handlers(),
        *language.handlers(),
        *outreach.handlers(),
        *staff.handlers(),
        button(StepCB, on_step),
        answers(on_input),
        edits(on_edited),
        # What nothing else took: the hint, never silence.
        any_message(on_other_message),
        any_button(on_stale_button),
    ):
        application.add_handler(handler)
