"""One update's handling: who sent it, in which language and conversation, and what the
bot says back.

Handlers never send: they add replies to the turn. The gateway commits everything the
update changed first, then sends the replies in order, so nothing is said that the
database does not hold (a receipt is never sent for an idea that was not stored).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, Protocol

from telegram import InputFile, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackContext, ExtBot

from bot.core.links import deep_link
from bot.core.platforms import Platform, PlatformProfile
from bot.core.roles import Role
from bot.core.views import Delivery, Staff, UserView
from bot.platform import wire
from bot.platform.errors import Verdict, verdict_of
from bot.services.alerts import AlertService
from bot.services.broadcasts import BroadcastService
from bot.services.calls import CallService
from bot.services.console import ConsoleService
from bot.services.conversations import ConversationService
from bot.services.events import EventService
from bot.services.export import ExportService
from bot.services.ideas import IdeaService
from bot.services.privacy import PrivacyService
from bot.services.review import ReviewService
from bot.services.scoring import ScoringService
from bot.services.stats import StatsService
from bot.services.subscriptions import SubscriptionService
from bot.services.users import StaffDirectory, UserService
from bot.ui.common import sorry
from bot.ui.markup import Screen
from bot.ui.render import Renderer
from bot.ui.states import State

log = logging.getLogger(__name__)

# How long a staff member's reply waits to say whether the applicant was told (a notice
# waits its turn under the platform's rate; past this, it is "on its way").
NOTICE_WAIT = 5.0


class Menus(Protocol):
    """The command menus a handler changes (a language chosen, staff added)."""

    async def person_language(
        self, platform: Platform, chat_id: int, locale: str, staff: bool
    ) -> None: ...

    async def staff_changed(self, platform: Platform, user_id: int, is_staff: bool) -> None: ...


@dataclass
class Services:
    """What handlers may use, built once by the composition root."""

    users: UserService
    staff: StaffDirectory
    conversations: ConversationService
    ideas: IdeaService
    review: ReviewService
    alerts: AlertService
    scoring: ScoringService
    calls: CallService
    events: EventService
    subscriptions: SubscriptionService
    broadcasts: BroadcastService
    privacy: PrivacyService
    stats: StatsService
    exports: ExportService
    menus: Menus
    tz: tzinfo
    default_locale: str
    console: ConsoleService
    # The console's public address for sign-in links; None where it is not served.
    console_url: str | None


# A reply is sent after the commit: a screen, or work that sends something itself.
Reply = Callable[["Turn"], Awaitable[Any]]


@dataclass
class Turn:
    services: Services
    bot: ExtBot[None]
    profile: PlatformProfile
    update: Update
    user: UserView | None = None
    role: Role | None = None
    state: State | None = None
    replies: list[Reply] = field(default_factory=list)
    # The same replies as the record of the update keeps them, to be sent again if the
    # platform asks again (those made only after the commit are not kept).
    kept: list[dict[str, Any]] = field(default_factory=list)
    failed: BaseException | None = None

    @property
    def platform(self) -> Platform:
        return self.profile.platform

    @property
    def render(self) -> Renderer:
        return Renderer(self.profile)

    @property
    def tz(self) -> tzinfo:
        return self.services.tz

    @property
    def chat_id(self) -> int:
        """The private chat this update came from (the person's own id on both platforms)."""
        chat = self.update.effective_chat
        if chat is not None:
            return chat.id
        sender = self.update.effective_user
        assert sender is not None, "an update from nobody has no one to answer"
        return sender.id

    def call_link(self, call_id: int) -> str | None:
        """The link that opens the intake bound to a call, on this platform."""
        username = self.bot.username  # the application is initialized before any update
        return deep_link(self.profile, username, call_id) if username else None

    @property
    def user_id(self) -> int:
        assert self.user is not None, "handlers for people run only for a known person"
        return self.user.id

    @property
    def actor(self) -> Staff:
        """The staff member this update is from (the history keeps who did what)."""
        assert self.user is not None and self.role is not None, "staff handlers only"
        return Staff(self.platform, self.user.platform_user_id, self.role)

    @property
    def pressed(self) -> Message | None:
        """The message whose button was pressed, if it is one the bot can still edit."""
        query = self.update.callback_query
        message = query.message if query is not None else None
        return message if isinstance(message, Message) else None

    # ----- what to say -----
    def reply(self, screen: Screen | str) -> None:
        kept = wire.kept(_screen(screen))
        self.replies.append(lambda turn: wire.post(turn.bot, turn.chat_id, kept))
        self.kept.append(kept)

    def edit(self, screen: Screen) -> None:
        """Replace the message whose button was pressed (a picker that has done its job),
        or send `screen` anew when there is none to replace."""
        message = self.pressed
        if message is None or message.text is None:
            self.reply(screen)
            return
        self.edit_message(message.message_id, screen)

    def edit_message(self, message_id: int, screen: Screen) -> None:
        """Replace one message the bot sent earlier in this chat (a card, refreshed after
        an action taken from another message)."""

        async def edit(turn: Turn) -> None:
            await wire.edit(turn.bot, turn.chat_id, message_id, screen)

        self.replies.append(edit)
        self.kept.append(wire.kept(screen, edits=message_id))

    def document(self, content: bytes, name: str, caption: str | None = None) -> None:
        async def send(turn: Turn) -> None:
            file = InputFile(content, filename=name)
            await turn.bot.send_document(turn.chat_id, file, caption=caption)

        self.replies.append(send)

    def later(self, compose: Callable[[], Screen | str], notice: Delivery | None = None) -> None:
        """A reply composed only after the commit, once `notice` (sent in the background)
        has its outcome, or after NOTICE_WAIT seconds if the platform keeps it waiting:
        it says what became of the notice."""

        async def send(turn: Turn) -> None:
            if notice is not None:
                await notice.outcome(NOTICE_WAIT)
            await wire.send(turn.bot, turn.chat_id, _screen(compose()))

        self.replies.append(send)

    def then(self, work: Reply) -> None:
        """Something sent after the commit that is more than one screen (a card's files)."""
        self.replies.append(work)

    async def enter(self, state: State | None) -> None:
        """Put the person in `state` (None: in no conversation), with this update's change."""
        if state == self.state:
            return
        self.state = state
        await self.services.users.set_state(self.user_id, state.encode() if state else None)

    # ----- after the commit -----
    async def flush(self) -> None:
        """Send the replies in order. A refused one is logged and the person told that
        something went wrong (once); one who blocked the bot is marked so."""
        apologised = False
        for reply in self.replies:
            try:
                await reply(self)
            except TelegramError as exc:
                if verdict_of(exc) is Verdict.BLOCKED:
                    # Nothing more can reach them, so stop here.
                    log.info("%s: %s blocked the bot", self.platform, self.chat_id)
                    if self.user is not None:
                        await self.services.users.blocked(self.user.id)
                    return
                log.warning("%s: a reply to %s was refused: %s", self.platform, self.chat_id, exc)
            except Exception:  # a reply that could not even be made: the others still go
                log.exception("%s: a reply to %s failed", self.platform, self.chat_id)
            else:
                continue
            if not apologised:
                apologised = True
                with contextlib.suppress(Exception):
                    await wire.send(self.bot, self.chat_id, sorry(self.render))


def _screen(found: Screen | str) -> Screen:
    return Screen(found) if isinstance(found, str) else found


_current: ContextVar[Turn | None] = ContextVar("ideabot_turn", default=None)


def current() -> Turn:
    turn = _current.get()
    assert turn is not None, "a handler ran outside an update's turn"
    return turn


def begin(turn: Turn) -> Any:
    return _current.set(turn)


def end(token: Any) -> None:
    _current.reset(token)


class TurnContext(CallbackContext[Any, dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The framework's callback context, with this update's turn."""

    @property
    def turn(self) -> Turn:
        return current()
