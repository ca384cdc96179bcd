"""A conversation in one update, for the handlers of every conversation (the intake, the
staff's forms, the composer, the prompts): its draft, its current screen, and showing
what an answer did. The rules are the engine's; this only asks and shows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Message

from bot.core.conversation.engine import Draft, Outcome, Rejection
from bot.core.conversation.graph import Graph, Kind
from bot.platform.inputs import read_input
from bot.platform.turn import Turn
from bot.services.conversations import ConversationService
from bot.ui import conversation as screens
from bot.ui.callbacks import StepAction, StepCB
from bot.ui.markup import Screen
from bot.ui.render import Renderer
from bot.ui.states import Mode, State

# Draws a conversation's review: the screens to send, the last with its buttons.
Review = Callable[["Talk", Draft], Awaitable[list[Screen]]]


@dataclass
class Talk:
    turn: Turn
    flow: str
    review: Review | None = None

    @property
    def conversations(self) -> ConversationService:
        return self.turn.services.conversations

    @property
    def graph(self) -> Graph:
        return self.conversations.graph(self.flow)

    @property
    def render(self) -> Renderer:
        return self.turn.render

    @property
    def user_id(self) -> int:
        return self.turn.user_id

    async def draft(self) -> Draft | None:
        return await self.conversations.draft(self.user_id, self.flow)

    async def answering(self) -> None:
        await self.turn.enter(State(self.flow, Mode.ANSWERING))

    def at_review(self, draft: Draft) -> bool:
        return self.graph.step(draft.step).kind is Kind.REVIEW

    async def screens(self, draft: Draft, outcome: Outcome | None = None) -> list[Screen]:
        """What the draft's current step shows (after what went wrong, if anything)."""
        problem = outcome.rejection if outcome else None
        if self.at_review(draft):
            assert self.review is not None, f"{self.flow} has a review but no screen for it"
            found = await self.review(self, draft)
            if problem is not None:
                found[0] = Screen(
                    screens.problem_text(self.render, problem) + "\n\n" + found[0].text,
                    found[0].markup,
                    found[0].media,
                )
            return found
        step = self.graph.step(draft.step)
        offered = ""
        if step.kind is Kind.NAME:
            offered = await self.conversations.offered_name(self.user_id, step)
        screen = screens.prompt(
            self.render,
            self.graph,
            draft,
            available=await self.conversations.available(self.user_id, draft),
            options=await self.conversations.options(self.user_id, draft),
            tz=self.turn.tz,
            offered_name=offered,
            problem=problem,
        )
        return [screen]

    async def ask(self, draft: Draft, outcome: Outcome | None = None) -> None:
        """Show the draft's current step, after what went wrong, if anything."""
        if outcome is not None and outcome.file_added:
            self.turn.reply(screens.file_received(self.render, self.graph, draft))
            return
        if outcome is not None and outcome.toggled:
            [screen] = await self.screens(draft)
            self.turn.edit(screen)
            return
        left = outcome.left if outcome else None
        reply_keyboard = screens.REPLY_KEYBOARD_KINDS
        if (
            left is not None
            and self.graph.has(left)
            and self.graph.step(left).kind in reply_keyboard
            and self.graph.step(draft.step).kind not in reply_keyboard
        ):
            saved = outcome is not None and outcome.saved
            self.turn.reply(screens.keyboard_removed(self.render, saved))
        for screen in await self.screens(draft, outcome):
            self.turn.reply(screen)

    async def stale(self, draft: Draft) -> None:
        self.turn.reply(screens.earlier_button(self.render))
        await self.ask(draft)

    async def typed(self, draft: Draft, message: Message) -> StepCB | Rejection | None:
        """A button's label typed instead of pressed: that button (or why not)."""
        text = message.text
        if not text or not screens.could_be_a_label(text):
            return None
        shown = await self.screens(draft)
        return screens.typed_button(shown[-1], text, draft)

    async def answer(self, draft: Draft, message: Message) -> Outcome:
        return await self.conversations.answer(self.user_id, draft, read_input(message))

    async def take(self, draft: Draft, message: Message) -> StepCB | Outcome:
        """What was sent: a button's label typed instead of pressed (that button, to
        handle as if pressed), or an answer, or the label of another step's button (a
        rejection to show)."""
        typed = await self.typed(draft, message)
        if isinstance(typed, StepCB):
            return typed
        if typed is not None:
            return Outcome(draft, typed)
        return await self.answer(draft, message)

    async def finished(self, message: Message) -> Outcome | None:
        """The answer to a one-step prompt: its outcome once complete; otherwise None,
        after asking again (or leaving the prompt, if its draft is gone)."""
        draft = await self.draft()
        if draft is None:
            await self.turn.enter(None)
            self.turn.reply(screens.ended(self.render))
            return None
        outcome = await self.answer(draft, message)
        if not outcome.complete:
            await self.ask(outcome.draft, outcome)
            return None
        return outcome

    async def press(self, draft: Draft, pressed: StepCB) -> Outcome | None:
        """One of the step's own buttons, or back, skip, edit; None for a button of
        another step (an earlier question's)."""
        conversations, user_id = self.conversations, self.user_id
        action = pressed.action
        if action is StepAction.EDIT:
            if pressed.value != str(draft.id):  # the review of another, earlier draft
                return None
            return await conversations.edit(user_id, draft, pressed.step)
        if pressed.step != draft.step:
            return None
        if action is StepAction.PICK:
            return await conversations.choose(user_id, draft, pressed.value)
        if action is StepAction.SKIP:
            return await conversations.skip(user_id, draft)
        if action is StepAction.BACK:
            return await conversations.back(user_id, draft)
        return None
