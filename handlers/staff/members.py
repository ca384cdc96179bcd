"""/staff: the list of staff members; administrators add them (by a message of theirs
forwarded, an invitation, or an id) and remove them, and their command menu follows."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.core.conversation.engine import Outcome
from bot.core.links import invite_link
from bot.core.platforms import Platform
from bot.core.roles import ROLES, Role
from bot.platform.routing import Command, Flow
from bot.platform.turn import Turn, TurnContext
from bot.services.users import INVITE_VALIDITY
from bot.ui import common, staffwork
from bot.ui import staff as screens
from bot.ui.callbacks import StepAction, StepCB
from handlers.talk import Talk


async def on_staff(update: Update, context: TurnContext) -> None:
    """/staff; /staff invite [reviewer|admin]; /staff add platform:user_id [admin|reviewer];
    /staff remove platform:user_id."""
    turn = context.turn
    directory = turn.services.staff
    words = context.args or []
    if words and words[0] == "invite":
        role = (words[1:] or ["reviewer"])[0]
        if role not in ROLES:
            turn.reply(screens.staff_usage(turn.render))
            return
        token = await directory.invite(turn.platform, turn.actor.user_id, role)
        username = turn.bot.username
        link = invite_link(turn.profile, username, token) if username else None
        turn.reply(
            staffwork.invite(turn.render, role, link, int(INVITE_VALIDITY.total_seconds() // 3600))
        )
        return
    if not words:
        configured = {
            (m.platform.value, m.user_id)
            for m in directory.members()
            if directory.configured(m.platform, m.user_id)
        }
        turn.reply(screens.members(turn.render, directory.members(), configured))
        return
    if words == ["add"]:  # who: a message of theirs, forwarded next
        talk = Talk(turn, ADDING)
        await talk.answering()
        await talk.ask(await talk.conversations.begin(turn.user_id, ADDING))
        return
    action, target = words[0], words[1] if len(words) > 1 else ""
    role = (words[2:] or ["reviewer"])[0]
    platform_key, _sep, user_id = target.partition(":")
    valid = (
        action in ("add", "remove")
        and platform_key in {p.value for p in Platform}
        and user_id.isdigit()
        and role in ROLES
    )
    if not valid:
        turn.reply(screens.staff_usage(turn.render))
        return
    platform, member = Platform(platform_key), int(user_id)
    if action == "add":
        await _add(turn, platform, member, role, target)
    elif await directory.remove(platform, member):
        _menu_follows(turn, platform, member, False)
        turn.reply(screens.no_longer_staff(turn.render, target))
    elif directory.configured(platform, member):
        turn.reply(screens.staff_by_setting(turn.render, target))
    else:
        turn.reply(screens.not_staff(turn.render, target))


async def _add(turn: Turn, platform: Platform, member: int, role: Role, shown: str) -> None:
    await turn.services.staff.add(platform, member, role)
    await turn.services.alerts.welcome(platform, member, role)
    _menu_follows(turn, platform, member, True)
    turn.reply(screens.now_staff(turn.render, shown, role))


# ----- adding by a forwarded message: the STAFF_ADD conversation -----
ADDING = "staffadd"


async def on_adding_input(turn: Turn, message: Message) -> None:
    talk = Talk(turn, ADDING)
    draft = await talk.draft()
    if draft is None:
        await turn.enter(None)
        turn.reply(common.cancelled(turn.render, False))
        return
    taken = await talk.take(draft, message)
    if isinstance(taken, StepCB):
        await on_adding_step(turn, taken)
        return
    await _adding_went(talk, taken)


async def on_adding_step(turn: Turn, pressed: StepCB) -> None:
    talk = Talk(turn, ADDING)
    draft = await talk.draft()
    if draft is None or pressed.action is StepAction.CANCEL:
        await talk.conversations.discard(turn.user_id, ADDING)
        await turn.enter(None)
        turn.reply(common.cancelled(turn.render, draft is not None))
        return
    outcome = await talk.press(draft, pressed)
    if outcome is None:
        await talk.stale(draft)
        return
    await _adding_went(talk, outcome)


async def _adding_went(talk: Talk, outcome: Outcome) -> None:
    if not outcome.complete:
        await talk.ask(outcome.draft, outcome)
        return
    turn = talk.turn
    person, role = outcome.draft.answers["person"], str(outcome.draft.answers["role"])
    await talk.conversations.discard(turn.user_id, ADDING)
    await turn.enter(None)
    member = int(person["user_id"])
    shown = person.get("name") or f"{turn.platform.value}:{member}"
    await _add(turn, turn.platform, member, role, shown)


FLOWS = {ADDING: Flow(on_adding_input, on_adding_step)}


def _menu_follows(turn: Turn, platform: Platform, user_id: int, is_staff: bool) -> None:
    async def menu(done: Turn) -> None:
        await done.services.menus.staff_changed(platform, user_id, is_staff)

    turn.then(menu)


def admin_handlers() -> list[Any]:
    return [Command("staff", on_staff)]
