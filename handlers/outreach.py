"""/calls, /events (sign up and withdraw) and /settings (which announcements)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.platform.routing import Command, button
from bot.platform.turn import TurnContext
from bot.ui import outreach as screens
from bot.ui.callbacks import (
    ALL,
    DONE,
    NONE,
    UNSUBSCRIBE,
    EventAction,
    EventCB,
    MenuAction,
    MenuCB,
    SubscriptionCB,
)
from bot.ui.markup import Screen


async def on_calls(update: Update, context: TurnContext) -> None:
    turn = context.turn
    listing = await turn.services.calls.listing()
    if not listing:
        turn.reply(screens.no_open_calls(turn.render))
        return
    turn.reply(screens.open_calls_heading(turn.render, len(listing)))
    for call in listing[: screens.LISTED]:
        text = screens.call_text(turn.render, call, turn.tz, turn.call_link(call.id))
        turn.reply(Screen(text, screens.submit_to_call(call.id)))


async def on_events(update: Update, context: TurnContext) -> None:
    turn = context.turn
    upcoming = await turn.services.events.upcoming(turn.user_id)
    if not upcoming:
        turn.reply(screens.no_events(turn.render))
        return
    turn.reply(screens.upcoming_heading(turn.render, len(upcoming)))
    for item in upcoming[: screens.LISTED]:
        turn.reply(screens.event_screen(turn.render, item, turn.tz))


async def on_event_button(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = EventCB.unpack(update.callback_query.data)
    assert pressed is not None
    events = turn.services.events
    if pressed.action is EventAction.JOIN:
        outcome, event = await events.signup(pressed.id, turn.user_id)
    else:
        outcome, event = None, await events.withdraw(pressed.id, turn.user_id)
    if event is not None:
        turn.edit(screens.event_screen(turn.render, event, turn.tz))
    turn.reply(screens.signup_note(turn.render, outcome))


async def on_settings(update: Update, context: TurnContext) -> None:
    turn = context.turn
    topics = await turn.services.subscriptions.topics(turn.user_id)
    turn.reply(screens.settings_screen(turn.render, topics))


async def on_subscription(update: Update, context: TurnContext) -> None:
    turn = context.turn
    assert update.callback_query is not None
    pressed = SubscriptionCB.unpack(update.callback_query.data)
    assert pressed is not None
    subscriptions, topic = turn.services.subscriptions, pressed.topic
    if topic == DONE:
        topics = await subscriptions.confirm(turn.user_id)
        turn.edit(screens.topics_saved(turn.render, topics))
        return
    if topic == UNSUBSCRIBE:  # the button under an announcement: leave the message be
        await subscriptions.set_all(turn.user_id, False)
        turn.reply(screens.unsubscribed(turn.render))
        return
    if topic in (ALL, NONE):
        topics = await subscriptions.set_all(turn.user_id, topic == ALL)
    else:
        topics = await subscriptions.switch(turn.user_id, topic)
    turn.edit(screens.settings_screen(turn.render, topics))


def _menu(action: MenuAction) -> Any:
    return lambda pressed: pressed.action is action


def handlers() -> list[Any]:
    return [
        Command("calls", on_calls),
        button(MenuCB, on_calls, when=_menu(MenuAction.CALLS)),
        Command("events", on_events),
        button(MenuCB, on_events, when=_menu(MenuAction.EVENTS)),
        Command("settings", on_settings),
        button(MenuCB, on_settings, when=_menu(MenuAction.ANNOUNCEMENTS)),
        button(EventCB, on_event_button),
        button(SubscriptionCB, on_subscription),
    ]
