"""The kinds of handlers ideabot registers: a command, a button of one callback data
kind, a message that answers a conversation, an edited message. Thin shapes over the
framework's handlers, so `handlers/` declares what it handles in our own terms."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.platform.inputs import command_of
from bot.platform.turn import Turn, TurnContext
from bot.ui.callbacks import Callback, StepCB

Handler = Callable[[Update, TurnContext], Coroutine[Any, Any, Any]]


class Command(BaseHandler[Update, TurnContext, Any]):
    """A command (or several names for one), from a new message's text, optionally only
    for some arguments (`/start call_12`). Its arguments are `context.args`."""

    __slots__ = ("names", "when")

    def __init__(
        self,
        names: str | tuple[str, ...],
        callback: Handler,
        *,
        when: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(callback)
        self.names = frozenset((names,) if isinstance(names, str) else names)
        self.when = when

    def check_update(self, update: object) -> tuple[str, str] | None:
        if not isinstance(update, Update) or update.message is None:
            return None
        found = command_of(update.message.text)
        if found is None or found[0] not in self.names:
            return None
        if self.when is not None and not self.when(found[1]):
            return None
        return found

    def collect_additional_context(
        self, context: TurnContext, update: Update, application: Any, check_result: Any
    ) -> None:
        context.args = str(check_result[1]).split() if check_result else []


def button(
    kind: type[Callback], callback: Handler, *, when: Callable[[Any], bool] | None = None
) -> CallbackQueryHandler[TurnContext, Any]:
    """Presses of one kind of button (and, with `when`, only some of them)."""

    def matches(data: object) -> bool:
        found = kind.unpack(data)
        return found is not None and (when is None or when(found))

    return CallbackQueryHandler(callback, pattern=matches)


def answers(callback: Handler) -> MessageHandler[TurnContext, Any]:
    """Any new message that is not a command: text, a file, a contact, a location."""
    return MessageHandler(filters.UpdateType.MESSAGE & ~filters.Regex(r"^\s*/"), callback)


def any_message(callback: Handler) -> MessageHandler[TurnContext, Any]:
    return MessageHandler(filters.UpdateType.MESSAGE, callback)


def any_button(callback: Handler) -> CallbackQueryHandler[TurnContext, Any]:
    return CallbackQueryHandler(callback)


def edits(callback: Handler) -> MessageHandler[TurnContext, Any]:
    return MessageHandler(filters.UpdateType.EDITED_MESSAGE, callback)


def guarded(
    handler: BaseHandler[Update, TurnContext, Any], guard: Handler
) -> BaseHandler[Update, TurnContext, Any]:
    """The same handler, with `guard` deciding first: it returns True to let it run."""
    inner = handler.callback

    async def callback(update: Update, context: TurnContext) -> Any:
        if await guard(update, context):
            return await inner(update, context)
        return None

    handler.callback = callback
    return handler


@dataclass(frozen=True)
class Flow:
    """What a conversation's handlers do with what comes while a person is in it: a
    typed message, one of its buttons, /cancel, an edited message."""

    on_input: Callable[[Turn, Message], Awaitable[None]]
    on_step: Callable[[Turn, StepCB], Awaitable[None]]
    on_cancel: Callable[[Turn], Awaitable[None]] | None = None
    on_edited: Callable[[Turn, Message], Awaitable[None]] | None = None
