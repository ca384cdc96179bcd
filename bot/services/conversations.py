"""Conversations under way: each person's draft of each conversation, walked by the one
engine and saved after every change, so a person who comes back tomorrow, or after a
restart, continues where they stopped.

Each conversation's choices that depend on the data (the open calls of an area, the
recent events an announcement can go to) come from a named source the composition
root registers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot.core.clock import Clock, utcnow
from bot.core.conversation.engine import (
    Draft,
    Engine,
    Input,
    InputKind,
    Outcome,
    Problem,
    validate_text,
)
from bot.core.conversation.graph import Graph, Step
from bot.core.forms import GRAPHS
from bot.core.persian import normalize
from bot.core.vocabulary import Option
from storage import Database, drafts, users

# A client splits a text longer than one message (4096 characters) into parts sent one
# after another: a refused part at least this long may be the first of several, and
# the next part, sent within this many seconds, joins it.
SPLIT_AT = 4000
PART_GAP = 3.0
HELD = "_held"  # the part held in the draft

# The choices of a step with a source, for the answers so far.
Source = Callable[[Mapping[str, Any]], Awaitable[list[Option]]]


@dataclass
class _Facts:
    """What one person's conversation depends on, for the engine."""

    service: ConversationService
    user_id: int
    tz: tzinfo

    def now(self) -> datetime:
        return self.service.clock()

    async def options(self, step: Step, answers: Mapping[str, Any]) -> list[Option]:
        source = self.service.sources.get(step.source or "")
        return await source(answers) if source is not None else []

    async def offered_name(self, step: Step) -> str:
        return await self.service.offered_name(self.user_id, step)


def _draft(row: Any) -> Draft:
    return Draft(row.id, row.flow, row.step, dict(row.answers), row.returning_to_review)


class ConversationService:
    def __init__(
        self,
        db: Database,
        tz: tzinfo,
        *,
        draft_ttl: timedelta = timedelta(days=30),
        clock: Clock = utcnow,
        graphs: Mapping[str, Graph] = GRAPHS,
    ) -> None:
        self.db = db
        self.tz = tz
        self.draft_ttl = draft_ttl
        self.clock = clock
        self.engines = {key: Engine(graph) for key, graph in graphs.items()}
        self.sources: dict[str, Source] = {}

    def source(self, name: str, source: Source) -> None:
        self.sources[name] = source

    def graph(self, flow: str) -> Graph:
        return self.engines[flow].graph

    def facts(self, user_id: int) -> _Facts:
        return _Facts(self, user_id, self.tz)

    # ----- drafts -----
    async def draft(self, user_id: int, flow: str = "intake") -> Draft | None:
        """The person's draft of `flow`; one untouched for longer than the TTL is
        discarded."""
        async with self.db.read() as session:
            row = await drafts.get_draft(session, user_id, flow)
            if row is None:
                return None
            view = _draft(row)
            stale = row.updated_at < self.clock() - self.draft_ttl
        if stale:
            await self.discard(user_id, flow)
            return None
        return view

    async def begin(
        self,
        user_id: int,
        flow: str,
        meta: Mapping[str, Any] | None = None,
        *,
        at: str | None = None,
        answers: Mapping[str, Any] | None = None,
    ) -> Draft:
        """A new draft of `flow` (one the person had is replaced): at its first step, or,
        with `at`, at that step of `answers` and back to the review after it."""
        engine = self.engines[flow]
        draft = engine.begin(0, {**(answers or {}), **(meta or {})})
        if at is not None:
            draft = engine.at(draft, at)
        async with self.db.write() as session:
            await drafts.delete_draft(session, user_id, flow=flow)
            draft_id = await drafts.save_draft(
                session, user_id, draft.step, draft.answers, draft.returning_to_review, flow
            )
        return Draft(draft_id, flow, draft.step, draft.answers, draft.returning_to_review)

    async def save(self, user_id: int, draft: Draft) -> None:
        async with self.db.write() as session:
            await drafts.save_draft(
                session,
                user_id,
                draft.step,
                draft.answers,
                draft.returning_to_review,
                draft.flow,
            )

    async def discard(self, user_id: int, flow: str = "intake") -> None:
        async with self.db.write() as session:
            await drafts.delete_draft(session, user_id, flow=flow)

    async def prune(self, now: datetime | None = None) -> int:
        async with self.db.write() as session:
            return await drafts.prune_drafts(session, (now or self.clock()) - self.draft_ttl)

    # ----- walking -----
    async def _saved(self, user_id: int, outcome: Outcome) -> Outcome:
        if outcome.changed:
            await self.save(user_id, outcome.draft)
        return outcome

    async def answer(self, user_id: int, draft: Draft, given: Input) -> Outcome:
        """The answer to the draft's step. A text the person's client split in parts (a
        paste longer than a message may be) is one answer: a part refused as too long is
        held, and a part that follows it within a moment at the same step joins it."""
        engine = self.engines[draft.flow]
        held = draft.meta(HELD)
        if (
            isinstance(held, dict)
            and held.get("step") == draft.step
            and given.kind is InputKind.TEXT
            and given.text
            and given.sent_at is not None
            and 0 <= given.sent_at - float(held.get("at", 0)) <= PART_GAP
        ):
            given = replace(given, text=str(held.get("text", "")) + given.text)
        outcome = await engine.answer(draft, given, self.facts(user_id))
        split = (
            outcome.rejection is not None
            and outcome.rejection.problem is Problem.TOO_LONG
            and given.text is not None
            and len(given.text) >= SPLIT_AT
            and given.sent_at is not None
        )
        if split:
            part = {"step": draft.step, "text": given.text, "at": given.sent_at}
            holding = replace(outcome.draft, answers={**outcome.draft.answers, HELD: part})
            await self.save(user_id, holding)
            return replace(outcome, draft=holding)
        if held is not None and HELD in outcome.draft.answers:
            answers = {k: v for k, v in outcome.draft.answers.items() if k != HELD}
            outcome = replace(outcome, draft=replace(outcome.draft, answers=answers), changed=True)
        return await self._saved(user_id, outcome)

    async def choose(self, user_id: int, draft: Draft, value: str) -> Outcome:
        engine = self.engines[draft.flow]
        return await self._saved(user_id, await engine.choose(draft, value, self.facts(user_id)))

    async def skip(self, user_id: int, draft: Draft) -> Outcome:
        engine = self.engines[draft.flow]
        return await self._saved(user_id, await engine.skip(draft, self.facts(user_id)))

    async def back(self, user_id: int, draft: Draft) -> Outcome:
        engine = self.engines[draft.flow]
        return await self._saved(user_id, await engine.back(draft, self.facts(user_id)))

    async def edit(self, user_id: int, draft: Draft, key: str) -> Outcome:
        engine = self.engines[draft.flow]
        return await self._saved(user_id, await engine.edit(draft, key, self.facts(user_id)))

    async def to_review(self, user_id: int, draft: Draft) -> Draft:
        """Back at the review (a button of the review pressed while at another step)."""
        review = self.graph(draft.flow).review
        assert review is not None, f"{draft.flow} has no review"
        moved = replace(draft, step=review, returning_to_review=False)
        await self.save(user_id, moved)
        return moved

    async def options(self, user_id: int, draft: Draft) -> list[Option]:
        """The choices of the draft's current step."""
        return await self.engines[draft.flow].options(draft, self.facts(user_id))

    async def step_options(self, user_id: int, draft: Draft, key: str) -> list[Option]:
        """The choices of one step of the draft (a review shows the chosen one's name)."""
        step = self.graph(draft.flow).step(key)
        if step.source is None:
            return list(step.options)
        return await self.facts(user_id).options(step, draft.answers)

    async def available(self, user_id: int, draft: Draft) -> frozenset[str]:
        return await self.engines[draft.flow].available(draft.answers, self.facts(user_id))

    async def missing(self, user_id: int, draft: Draft) -> str | None:
        available = await self.available(user_id, draft)
        return self.engines[draft.flow].missing(draft, available)

    async def offered_name(self, user_id: int, step: Step) -> str:
        """The name to offer at `step`: the one given last time, else the messenger
        profile's if it would do as an answer."""
        async with self.db.read() as session:
            user = await users.get_user_by_id(session, user_id)
        if user is None:
            return ""
        if user.full_name:
            return user.full_name
        name = normalize(" ".join(filter(None, [user.first_name, user.last_name])))
        return name if isinstance(validate_text(step, name), str) else ""
