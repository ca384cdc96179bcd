"""The one engine that walks any conversation graph.

It validates and normalizes each answer by the kind of its step, and moves on, back, or
to the review; an answer that changes makes the steps that followed from it be asked
again. It works on plain values (`Input`, `Draft`, `Outcome`) and stores nothing: the
service that owns a conversation saves the draft it returns. What depends on the data
(which calls are open, the name given last time, the time now) comes from `Facts`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol

from bot.core.conversation.graph import Graph, Kind, OnRequest, Step
from bot.core.dates import parse_typed
from bot.core.persian import (
    find_int,
    international_phone,
    normalize,
    normalize_phone,
    to_ascii_digits,
)
from bot.core.scoring import CRITERION_LIMIT, MAX_WEIGHT, parse_rubric, stored
from bot.core.tracking import parse_code
from bot.core.views import MediaFile
from bot.core.vocabulary import Option

# The value of the "keep the current answer" button, offered when a step is revisited.
KEEP = "keep"
# The values of a step's own buttons that are not options.
AGREE, DONE, NEXT, PROFILE_NAME = "agree", "done", "next", "profile"


class InputKind(StrEnum):
    TEXT = "text"
    CONTACT = "contact"
    LOCATION = "location"
    MEDIA = "media"
    OTHER = "other"  # a sticker, a video, a poll: nothing a step takes


@dataclass(frozen=True, slots=True)
class Input:
    """What a person sent, reduced to what the engine needs."""

    kind: InputKind
    text: str | None = None
    phone: str | None = None
    contact_is_own: bool = True
    latitude: float | None = None
    longitude: float | None = None
    media: MediaFile | None = None
    sent_at: float | None = None  # when it was sent (seconds since the epoch)
    # A forwarded message: who wrote it (None when they hide it, or it was a chat's).
    forwarded: bool = False
    forwarded_from: int | None = None
    forwarded_name: str | None = None


class Problem(StrEnum):
    EXPECTED_TEXT = "expected_text"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_LETTERS = "no_letters"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    EXPECTED_CHOICE = "expected_choice"
    EXPECTED_MEDIA = "expected_media"
    EXPECTED_MESSAGE = "expected_message"
    FILE_TOO_BIG = "file_too_big"
    TOO_MANY_FILES = "too_many_files"
    EXPECTED_LOCATION = "expected_location"
    NOT_OWN_CONTACT = "not_own_contact"
    NOT_A_MOBILE = "not_a_mobile"
    EXPECTED_PHONE = "expected_phone"
    EXPECTED_CONSENT = "expected_consent"
    NOT_A_MOMENT = "not_a_moment"
    IN_THE_PAST = "in_the_past"
    TOO_EARLY = "too_early"
    NOT_A_CODE = "not_a_code"
    NOT_A_RUBRIC = "not_a_rubric"
    NOT_A_PERSON = "not_a_person"
    FORWARD_HIDDEN = "forward_hidden"  # they hide who they are in forwards
    NO_CHOICE = "no_choice"
    USE_BUTTONS = "use_buttons"
    NOT_SKIPPABLE = "not_skippable"
    MISSING_ANSWER = "missing_answer"


@dataclass(frozen=True, slots=True)
class Rejection:
    problem: Problem
    params: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Draft:
    """A conversation under way: the step reached and the answers so far. Keys that are
    not steps (they start with "_") hold what the conversation is about (an idea, an
    item being edited)."""

    id: int
    flow: str
    step: str
    answers: dict[str, Any]
    returning_to_review: bool = False

    def files(self, key: str) -> list[dict[str, Any]]:
        return list(self.answers.get(key) or [])

    def meta(self, key: str) -> Any:
        return self.answers.get(key)


@dataclass(frozen=True, slots=True)
class Outcome:
    draft: Draft
    rejection: Rejection | None = None
    # The step the person was on before this change (for screens to tidy up).
    left: str | None = None
    file_added: bool = False
    toggled: bool = False  # an option of a CHOICES step switched: the same step again
    # An answer was stored by this change (not a skip, a back or a rejection).
    saved: bool = False
    # The draft differs from the one given: it must be saved.
    changed: bool = True
    # The last step was answered in a graph without a review: the conversation is done.
    complete: bool = False


class Facts(Protocol):
    """What a conversation may depend on, given by the service that runs it."""

    tz: tzinfo

    def now(self) -> datetime: ...

    async def options(self, step: Step, answers: Mapping[str, Any]) -> list[Option]:
        """The choices of a step with a `source`, for these answers."""
        ...

    async def offered_name(self, step: Step) -> str:
        """The name a NAME step offers as a button ("" for none)."""
        ...


def _has_letters(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def validate_text(step: Step, raw: str) -> str | Rejection:
    text = normalize(raw)
    if not _has_letters(text):
        return Rejection(Problem.NO_LETTERS)
    if len(text) < step.min_length:
        return Rejection(Problem.TOO_SHORT, {"min": step.min_length, "length": len(text)})
    if step.max_length and len(text) > step.max_length:
        return Rejection(Problem.TOO_LONG, {"max": step.max_length, "length": len(text)})
    return text


Validator = Callable[[Step, Input, Mapping[str, Any], "Facts"], Any]


def _text(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    if given.kind is not InputKind.TEXT or given.text is None:
        return Rejection(Problem.EXPECTED_TEXT)
    return validate_text(step, given.text)


def _number(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    number = find_int(given.text) if given.kind is InputKind.TEXT and given.text else None
    if number is None:
        return Rejection(Problem.NOT_A_NUMBER)
    if not step.min_value <= number <= step.max_value:
        return Rejection(Problem.OUT_OF_RANGE, {"min": step.min_value, "max": step.max_value})
    return number


def _buttons_only(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    if step.kind is Kind.CONSENT:
        return Rejection(Problem.EXPECTED_CONSENT)
    if step.kind is Kind.CHOICES:
        return Rejection(Problem.NO_CHOICE)
    if given.kind is InputKind.TEXT and given.text and step.kind is not Kind.REVIEW:
        return Rejection(Problem.EXPECTED_CHOICE)
    return Rejection(Problem.USE_BUTTONS)


def _file(step: Step, given: Input) -> dict[str, Any] | Rejection:
    if given.kind is not InputKind.MEDIA or given.media is None:
        return Rejection(Problem.EXPECTED_MEDIA, {"max": step.max_files})
    if given.media.kind not in step.media_kinds:
        return Rejection(Problem.EXPECTED_MEDIA, {"max": step.max_files})
    if (
        step.max_file_bytes
        and given.media.size is not None
        and given.media.size > step.max_file_bytes
    ):
        return Rejection(Problem.FILE_TOO_BIG, {"max_mb": step.max_file_bytes // (1024 * 1024)})
    return given.media.as_dict()


def _media(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    item = _file(step, given)
    if isinstance(item, Rejection):
        return item
    if len(answers.get(step.key) or []) >= step.max_files:
        return Rejection(Problem.TOO_MANY_FILES, {"max": step.max_files})
    return item


def _message(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """A text, or one photo or document with its caption: {"text": …, "media": …}."""
    if given.kind is InputKind.TEXT and given.text is not None:
        if not given.text.strip():
            return Rejection(Problem.EXPECTED_MESSAGE)
        if step.max_length and len(given.text) > step.max_length:
            return Rejection(Problem.TOO_LONG, {"max": step.max_length, "length": len(given.text)})
        return {"text": given.text, "media": None}
    if given.kind is not InputKind.MEDIA or given.media is None:
        return Rejection(Problem.EXPECTED_MESSAGE)
    item = _file(step, given)
    if isinstance(item, Rejection):
        return Rejection(Problem.EXPECTED_MESSAGE)
    caption = given.media.caption or ""
    limit = step.max_caption or step.max_length
    if limit and len(caption) > limit:
        return Rejection(Problem.TOO_LONG, {"max": limit, "length": len(caption)})
    return {"text": caption, "media": item}


def _location(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    if given.kind is not InputKind.LOCATION or given.latitude is None:
        return Rejection(Problem.EXPECTED_LOCATION)
    return {"latitude": given.latitude, "longitude": given.longitude}


def _phone(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """An Iranian mobile in any usual form, or any international number written with its
    country code (a person abroad, or a contact shared from a foreign SIM), as E.164."""
    if given.kind is InputKind.CONTACT and not given.contact_is_own:
        return Rejection(Problem.NOT_OWN_CONTACT)
    if given.kind not in (InputKind.CONTACT, InputKind.TEXT):
        return Rejection(Problem.EXPECTED_PHONE)
    shared = given.kind is InputKind.CONTACT
    typed = (given.phone if shared else given.text) or ""
    phone = normalize_phone(typed) or international_phone(typed, assume_plus=shared)
    return phone or Rejection(Problem.NOT_A_MOBILE)


def _moment(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """A Jalali date and time staff type, kept as an ISO string (UTC)."""
    if given.kind is not InputKind.TEXT or not given.text:
        return Rejection(Problem.EXPECTED_TEXT)
    moment = parse_typed(given.text, facts.tz)
    if moment is None:
        return Rejection(Problem.NOT_A_MOMENT)
    if step.day_end and ":" not in given.text:
        moment += timedelta(hours=23, minutes=59)
    if step.future and moment <= facts.now():
        return Rejection(Problem.IN_THE_PAST)
    earlier = answers.get(step.after) if step.after else None
    if earlier and moment <= datetime.fromisoformat(earlier):
        return Rejection(Problem.TOO_EARLY)
    return moment.isoformat()


def _code(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    code = parse_code(given.text) if given.kind is InputKind.TEXT and given.text else None
    return code or Rejection(Problem.NOT_A_CODE)


def _rubric(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """Criteria, one per line, with weights: kept as a call stores its rubric."""
    if given.kind is not InputKind.TEXT or not given.text:
        return Rejection(Problem.EXPECTED_TEXT)
    rubric = parse_rubric(given.text)
    if rubric is None:
        return Rejection(Problem.NOT_A_RUBRIC, {"max": CRITERION_LIMIT, "weight": int(MAX_WEIGHT)})
    return stored(rubric)


def _person(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """Someone on this messenger: the author of a forwarded message, or their numeric id."""
    if given.forwarded_from is not None:
        return {"user_id": given.forwarded_from, "name": given.forwarded_name}
    if given.forwarded:
        return Rejection(Problem.FORWARD_HIDDEN)
    typed = to_ascii_digits(given.text or "").strip() if given.kind is InputKind.TEXT else ""
    if not typed.isdigit() or int(typed) == 0:
        return Rejection(Problem.NOT_A_PERSON)
    return {"user_id": int(typed), "name": None}


VALIDATORS: dict[Kind, Validator] = {
    Kind.TEXT: _text,
    Kind.NAME: _text,
    Kind.NUMBER: _number,
    Kind.CHOICE: _buttons_only,
    Kind.CHOICES: _buttons_only,
    Kind.CONSENT: _buttons_only,
    Kind.REVIEW: _buttons_only,
    Kind.MEDIA: _media,
    Kind.MESSAGE: _message,
    Kind.LOCATION: _location,
    Kind.PHONE: _phone,
    Kind.MOMENT: _moment,
    Kind.CODE: _code,
    Kind.RUBRIC: _rubric,
    Kind.PERSON: _person,
}


def validate(step: Step, given: Input, answers: Mapping[str, Any], facts: Facts) -> Any:
    """The normalized value of an answer to `step`, or a Rejection saying what is expected."""
    return VALIDATORS[step.kind](step, given, answers, facts)


def out_of_order(graph: Graph, answers: Mapping[str, Any]) -> str | None:
    """A moment that must follow another no longer does (its partner was edited)."""
    for step in graph.steps:
        later, earlier = answers.get(step.key), answers.get(step.after or "")
        if later and earlier and datetime.fromisoformat(later) <= datetime.fromisoformat(earlier):
            return step.key
    return None


def fields_of(graph: Graph, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A finished form's answers as the services take them (moments as datetimes)."""
    fields = {}
    for step in graph.steps:
        if step.kind is Kind.REVIEW:
            continue
        value = answers.get(step.key)
        if step.kind is Kind.MOMENT and value is not None:
            value = datetime.fromisoformat(value)
        fields[step.key] = value
    return fields


def answers_of(graph: Graph, item: object) -> dict[str, Any]:
    """An existing item (a call, an event) as its form's answers, for editing."""
    values: dict[str, Any] = {}
    for step in graph.steps:
        if step.kind is Kind.REVIEW:
            continue
        value = getattr(item, step.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        values[step.key] = value
    return values


class Engine:
    """Walks one graph. Every method returns an `Outcome` whose draft is the new state of
    the conversation (the same draft, with a rejection, when the input does not do)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def begin(self, draft_id: int, meta: Mapping[str, Any] | None = None) -> Draft:
        return Draft(draft_id, self.graph.key, self.graph.first, dict(meta or {}))

    def at(self, draft: Draft, key: str) -> Draft:
        """The draft at one step, coming back to the review after it (one field of an
        existing item, edited on its own)."""
        return replace(draft, step=key, returning_to_review=True)

    async def available(self, answers: Mapping[str, Any], facts: Facts) -> frozenset[str]:
        """The steps with a source whose source offers something now."""
        found = set()
        for step in self.graph.steps:
            if step.source is not None and await facts.options(step, answers):
                found.add(step.key)
        return frozenset(found)

    async def options(self, draft: Draft, facts: Facts) -> list[Option]:
        step = self.graph.step(draft.step)
        if step.source is None:
            return list(step.options)
        return await facts.options(step, draft.answers)

    async def _advance(
        self, draft: Draft, answers: dict[str, Any], facts: Facts, *, saved: bool = True
    ) -> Outcome:
        """Move on: to the next step, or, when editing from the review, back to it once
        every step that the change opened has an answer."""
        graph, key = self.graph, draft.step
        if answers.get(key) != draft.answers.get(key):
            for dependent in graph.dependents(key):
                answers.pop(dependent.key, None)  # asked again: it followed the old answer
        available = await self.available(answers, facts)
        answers = {
            k: v
            for k, v in answers.items()
            if not graph.has(k) or graph.step(k).applies(answers, available)
        }
        following = graph.next_step(key, answers, available)
        if following is not None and await self._preset(graph.step(following), answers, facts):
            following = graph.next_step(following, answers, available)
        if draft.returning_to_review:
            while following is not None and following in answers:
                following = graph.next_step(following, answers, available)
        review = graph.review
        if following is None and review is None:
            done = replace(draft, answers=answers, returning_to_review=False)
            return Outcome(done, left=key, saved=saved, complete=True)
        target = following or review
        assert target is not None
        keep_returning = draft.returning_to_review and target != review
        moved = Draft(draft.id, draft.flow, target, answers, keep_returning)
        return Outcome(moved, left=key, saved=saved)

    async def _preset(self, step: Step, answers: dict[str, Any], facts: Facts) -> bool:
        """Answer `step` from its preset, if that is one of its options now."""
        chosen = answers.get(step.preset) if step.preset else None
        if chosen is None or step.key in answers:
            return False
        if not any(o.key == chosen for o in await facts.options(step, answers)):
            return False
        answers[step.key] = chosen  # a link said which one
        return True

    async def answer(self, draft: Draft, given: Input, facts: Facts) -> Outcome:
        step = self.graph.step(draft.step)
        value = validate(step, given, draft.answers, facts)
        if isinstance(value, Rejection):
            return Outcome(draft, rejection=value, changed=False)
        answers = dict(draft.answers)
        if step.kind is Kind.MEDIA:
            answers[step.key] = [*draft.files(step.key), value]
            return Outcome(replace(draft, answers=answers), file_added=True)
        answers[step.key] = value
        return await self._advance(draft, answers, facts)

    async def choose(self, draft: Draft, value: str, facts: Facts) -> Outcome:
        """A press of one of the step's own buttons: an option, agree, done, next, use my
        name, or keep the answer given before (after going back)."""
        step = self.graph.step(draft.step)
        answers = dict(draft.answers)
        refused = Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS), changed=False)
        if value == KEEP:
            if draft.answers.get(step.key) is None:
                return refused
        elif step.kind is Kind.CHOICE:
            chosen = next((o for o in await self.options(draft, facts) if o.key == value), None)
            if chosen is None:
                return refused
            answers[step.key] = chosen.key
        elif step.kind is Kind.CHOICES and value == NEXT:
            if not answers.get(step.key):
                return Outcome(draft, rejection=Rejection(Problem.NO_CHOICE), changed=False)
        elif step.kind is Kind.CHOICES:
            if step.option(value) is None:
                return refused
            chosen_keys = set(answers.get(step.key) or []) ^ {value}
            answers[step.key] = [o.key for o in step.options if o.key in chosen_keys]
            return Outcome(replace(draft, answers=answers), toggled=True)
        elif step.kind is Kind.CONSENT and value == AGREE:
            answers[step.key] = facts.now().isoformat()
        elif step.kind is Kind.MEDIA and value == DONE:
            if not draft.files(step.key):
                return await self.skip(draft, facts)
        elif step.kind is Kind.NAME and value == PROFILE_NAME:
            name = await facts.offered_name(step)
            if not name:
                return Outcome(draft, rejection=Rejection(Problem.EXPECTED_TEXT), changed=False)
            answers[step.key] = name
        else:
            return refused
        return await self._advance(draft, answers, facts)

    async def skip(self, draft: Draft, facts: Facts) -> Outcome:
        step = self.graph.step(draft.step)
        if not step.optional:
            return Outcome(draft, rejection=Rejection(Problem.NOT_SKIPPABLE), changed=False)
        answers = dict(draft.answers)
        if not (step.kind is Kind.MEDIA and draft.files(step.key)):  # files are never dropped
            answers[step.key] = None
        return await self._advance(draft, answers, facts, saved=False)

    async def back(self, draft: Draft, facts: Facts) -> Outcome:
        graph = self.graph
        available = await self.available(draft.answers, facts)
        target: str | None
        if draft.returning_to_review and self.missing(draft, available) is None:
            target = graph.review
        else:  # an edit that opened a step still unanswered goes back step by step
            target = graph.previous_step(draft.step, draft.answers, available)
        returning = draft.returning_to_review and target != graph.review
        moved = replace(draft, step=target or draft.step, returning_to_review=returning)
        return Outcome(moved, left=draft.step, changed=moved != draft)

    async def edit(self, draft: Draft, key: str, facts: Facts) -> Outcome:
        """From the review screen, go to one step and come back to the review after it."""
        graph = self.graph
        refused = Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS), changed=False)
        if draft.step != graph.review or not graph.has(key):
            return refused
        target = graph.step(key)
        available = await self.available(draft.answers, facts)
        asked = target.applies(draft.answers, available) or isinstance(target.when, OnRequest)
        if target.kind is Kind.REVIEW or not asked:
            return refused
        moved = replace(draft, step=key, returning_to_review=True)
        return Outcome(moved, left=draft.step)

    def missing(self, draft: Draft, available: frozenset[str]) -> str | None:
        """The first required step without an answer, if any."""
        for candidate in self.graph.steps:
            if candidate.kind is Kind.REVIEW or not candidate.applies(draft.answers, available):
                continue
            if candidate.key not in draft.answers:
                return candidate.key
            if not candidate.optional and draft.answers[candidate.key] is None:
                return candidate.key
        return None
