"""/start, /help, and the main menu's informational entries."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.core.links import INVITE_PREFIX, PAYLOAD_PREFIX, invite_from_payload
from bot.platform.routing import Command, button
from bot.platform.turn import Turn, TurnContext
from bot.ui import common as screens
from bot.ui import intake as intake_screens
from bot.ui import outreach as outreach_screens
from bot.ui import staffwork
from bot.ui.callbacks import MenuAction, MenuCB


async def on_start(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.welcome(turn.render, turn.user))
    if turn.user is None:
        return
    services = turn.services
    draft = await services.conversations.draft(turn.user_id)
    if draft is None:
        await turn.enter(None)
        if not turn.user.subscriptions_chosen:
            topics = await services.subscriptions.topics(turn.user_id)
            turn.reply(outreach_screens.offer_subscriptions(turn.render, topics))
        return
    # The conversation stays where it was: an answer typed next is still taken.
    graph = services.conversations.graph(draft.flow)
    turn.reply(intake_screens.resume_offer(turn.render, graph, draft))


async def on_join(update: Update, context: TurnContext) -> None:
    """`/start join_<token>`: a staff invitation, used once."""
    turn = context.turn
    token = invite_from_payload(" ".join(context.args or []))
    if turn.user is None or token is None:
        turn.reply(staffwork.invite_used(turn.render))
        return
    services = turn.services
    role = await services.staff.join(token, turn.platform, turn.user.platform_user_id)
    if role is None:
        turn.reply(staffwork.invite_used(turn.render))
        return
    turn.role = role
    turn.reply(staffwork.welcome_staff(turn.render, role))
    platform, user_id = turn.platform, turn.user.platform_user_id

    async def menu(done: Turn) -> None:
        await done.services.menus.staff_changed(platform, user_id, True)

    turn.then(menu)


async def on_help(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.help_screen(turn.render))


async def on_about(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.about(turn.render))


async def on_settings(update: Update, context: TurnContext) -> None:
    turn = context.turn
    turn.reply(screens.settings(turn.render))


def handlers() -> list[Any]:
    return [
        Command(
            "start",
            on_start,
            when=lambda args: not args.startswith((PAYLOAD_PREFIX, INVITE_PREFIX)),
        ),
        Command("start", on_join, when=lambda args: args.startswith(INVITE_PREFIX)),
        Command("help", on_help),
        button(MenuCB, on_about, when=lambda pressed: pressed.action is MenuAction.ABOUT),
        button(MenuCB, on_settings, when=lambda pressed: pressed.action is MenuAction.SETTINGS),
    ]
