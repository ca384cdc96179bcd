"""The one engine that walks the intake graph.

It validates and normalizes each answer by the kind of its step, saves the
draft after every change, and moves on, back, or to the review. It speaks in
plain values (Input, Rejection, DraftView); the screens turn them into text
and keyboards.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.intake import graph
from bot.intake.graph import Kind, Step
from bot.persian import find_int, international_phone, normalize, normalize_phone
from storage import Database, repo
from storage.models import utcnow

# The value of the "keep the current answer" button, offered when a step is revisited.
KEEP = "keep"


class InputKind(StrEnum):
    TEXT = "text"
    CONTACT = "contact"
    LOCATION = "location"
    MEDIA = "media"
    OTHER = "other"  # a sticker, a video, a poll: nothing a step takes


@dataclass(frozen=True, slots=True)
class MediaItem:
    kind: str  # photo, document, voice
    file_id: str
    file_unique_id: str | None
    size: int | None
    name: str | None
    mime_type: str | None
    chat_id: int
    message_id: int
    caption: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "size": self.size,
            "name": self.name,
            "mime_type": self.mime_type,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "caption": self.caption,
        }


@dataclass(frozen=True, slots=True)
class Input:
    """What a person sent, reduced to what the engine needs."""

    kind: InputKind
    text: str | None = None
    phone: str | None = None
    contact_is_own: bool = True
    latitude: float | None = None
    longitude: float | None = None
    media: MediaItem | None = None


class Problem(StrEnum):
    EXPECTED_TEXT = "expected_text"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_LETTERS = "no_letters"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    EXPECTED_CHOICE = "expected_choice"
    EXPECTED_MEDIA = "expected_media"
    FILE_TOO_BIG = "file_too_big"
    TOO_MANY_FILES = "too_many_files"
    EXPECTED_LOCATION = "expected_location"
    NOT_OWN_CONTACT = "not_own_contact"
    NOT_A_MOBILE = "not_a_mobile"
    EXPECTED_PHONE = "expected_phone"
    EXPECTED_CONSENT = "expected_consent"
    USE_BUTTONS = "use_buttons"
    NOT_SKIPPABLE = "not_skippable"
    MISSING_ANSWER = "missing_answer"


@dataclass(frozen=True, slots=True)
class Rejection:
    problem: Problem
    params: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    step: str
    answers: dict[str, Any]
    returning_to_review: bool

    @property
    def current(self) -> Step:
        return graph.step(self.step)

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.answers.get("attachments") or [])


@dataclass(frozen=True, slots=True)
class Outcome:
    draft: DraftView
    rejection: Rejection | None = None
    # The step the person was on before this change (for screens to tidy up).
    left: str | None = None
    file_added: bool = False
    # An answer was stored by this change (not a skip, a back or a rejection).
    saved: bool = False


# Not a step: the call a deep link opened the intake for.
BOUND_CALL = "bound_call"


@dataclass(frozen=True, slots=True)
class CallView:
    id: int
    title: str


class CallDirectory(Protocol):
    async def open_calls(self, area: str) -> list[CallView]: ...


class NoCalls:
    """Until calls for proposals exist, none is open and the `call` step is passed over."""

    async def open_calls(self, area: str) -> list[CallView]:
        return []


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


def _text(step: Step, given: Input, answers: Mapping[str, Any]) -> str | Rejection:
    if given.kind is not InputKind.TEXT or given.text is None:
        return Rejection(Problem.EXPECTED_TEXT)
    return validate_text(step, given.text)


def _number(step: Step, given: Input, answers: Mapping[str, Any]) -> int | Rejection:
    number = find_int(given.text) if given.kind is InputKind.TEXT and given.text else None
    if number is None:
        return Rejection(Problem.NOT_A_NUMBER)
    if not step.min_value <= number <= step.max_value:
        return Rejection(Problem.OUT_OF_RANGE, {"min": step.min_value, "max": step.max_value})
    return number


def _buttons_only(step: Step, given: Input, answers: Mapping[str, Any]) -> Rejection:
    if step.kind is Kind.CONSENT:
        return Rejection(Problem.EXPECTED_CONSENT)
    if given.kind is InputKind.TEXT and given.text and step.kind is not Kind.REVIEW:
        return Rejection(Problem.EXPECTED_CHOICE)
    return Rejection(Problem.USE_BUTTONS)


def _media(step: Step, given: Input, answers: Mapping[str, Any]) -> dict[str, Any] | Rejection:
    if given.kind is not InputKind.MEDIA or given.media is None:
        return Rejection(Problem.EXPECTED_MEDIA, {"max": step.max_files})
    if given.media.size is not None and given.media.size > step.max_file_bytes:
        return Rejection(Problem.FILE_TOO_BIG, {"max_mb": step.max_file_bytes // (1024 * 1024)})
    if len(answers.get(step.key) or []) >= step.max_files:
        return Rejection(Problem.TOO_MANY_FILES, {"max": step.max_files})
    return given.media.as_dict()


def _location(step: Step, given: Input, answers: Mapping[str, Any]) -> dict[str, Any] | Rejection:
    if given.kind is not InputKind.LOCATION or given.latitude is None:
        return Rejection(Problem.EXPECTED_LOCATION)
    return {"latitude": given.latitude, "longitude": given.longitude}


def _phone(step: Step, given: Input, answers: Mapping[str, Any]) -> str | Rejection:
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


Validator = Callable[[Step, Input, Mapping[str, Any]], Any]
VALIDATORS: dict[Kind, Validator] = {
    Kind.TEXT: _text,
    Kind.NAME: _text,
    Kind.NUMBER: _number,
    Kind.CHOICE: _buttons_only,
    Kind.CALL: _buttons_only,
    Kind.CONSENT: _buttons_only,
    Kind.REVIEW: _buttons_only,
    Kind.MEDIA: _media,
    Kind.LOCATION: _location,
    Kind.PHONE: _phone,
}


def validate(step: Step, given: Input, answers: Mapping[str, Any]) -> Any:
    """The normalized value of an answer to `step`, or a Rejection saying what is expected."""
    return VALIDATORS[step.kind](step, given, answers)


class IntakeEngine:
    def __init__(
        self, db: Database, calls: CallDirectory | None = None, draft_ttl: timedelta = timedelta(30)
    ) -> None:
        self.db = db
        self.calls = calls or NoCalls()
        self.draft_ttl = draft_ttl

    # ----- drafts -----
    async def draft(self, user_id: int) -> DraftView | None:
        """The person's open draft; one untouched for longer than the TTL is discarded."""
        async with self.db.read() as session:
            row = await repo.get_draft(session, user_id)
            if row is None:
                return None
            view = DraftView(row.id, row.step, dict(row.answers), row.returning_to_review)
            stale = row.updated_at < utcnow() - self.draft_ttl
        if stale:
            await self.discard(user_id)
            return None
        return view

    async def begin(self, user_id: int, call_id: int | None = None) -> DraftView:
        """A new draft at the first step (an open one is replaced); opened from a call's
        link, the call is chosen for the person once they pick one of its areas."""
        answers: dict[str, Any] = {BOUND_CALL: call_id} if call_id is not None else {}
        async with self.db.write() as session:
            await repo.delete_draft(session, user_id)
            await repo.save_draft(session, user_id, graph.FIRST_STEP, answers, False)
            row = await repo.get_draft(session, user_id)
            assert row is not None
            return DraftView(row.id, row.step, answers, False)

    async def discard(self, user_id: int) -> None:
        async with self.db.write() as session:
            await repo.delete_draft(session, user_id)

    async def prune(self, now: datetime | None = None) -> int:
        async with self.db.write() as session:
            return await repo.prune_drafts(session, (now or utcnow()) - self.draft_ttl)

    async def _save(self, user_id: int, draft: DraftView) -> None:
        async with self.db.write() as session:
            await repo.save_draft(
                session, user_id, draft.step, draft.answers, draft.returning_to_review
            )

    async def _calls_open(self, answers: Mapping[str, Any]) -> bool:
        area = answers.get("area")
        return bool(area) and bool(await self.calls.open_calls(str(area)))

    async def _bound_call_open(self, answers: Mapping[str, Any]) -> bool:
        bound = answers.get(BOUND_CALL)
        if bound is None or "call" in answers:
            return False
        return any(c.id == bound for c in await self.calls.open_calls(str(answers.get("area"))))

    async def open_calls(self, draft: DraftView) -> list[CallView]:
        return await self.calls.open_calls(str(draft.answers.get("area", "")))

    async def _advance(
        self, user_id: int, draft: DraftView, answers: dict[str, Any], *, saved: bool = True
    ) -> Outcome:
        """Save the answers and move on: to the next step, or, when editing from the
        review, back to it once every step that the change opened has an answer."""
        key = draft.step
        if answers.get(key) != draft.answers.get(key):
            for dependent in graph.dependents(key):
                answers.pop(dependent.key, None)  # asked again: it followed the old answer
        calls_open = await self._calls_open(answers)
        answers = {
            k: v
            for k, v in answers.items()
            if k not in graph.STEP_BY_KEY or graph.step(k).applies(answers, calls_open)
        }
        following = graph.next_step(key, answers, calls_open)
        if following == "call" and await self._bound_call_open(answers):
            answers["call"] = answers[BOUND_CALL]  # the link said which call
            following = graph.next_step("call", answers, calls_open)
        if draft.returning_to_review:
            while following is not None and following in answers:
                following = graph.next_step(following, answers, calls_open)
        target = following or graph.REVIEW
        keep_returning = draft.returning_to_review and target != graph.REVIEW
        moved = DraftView(draft.id, target, answers, keep_returning)
        await self._save(user_id, moved)
        return Outcome(moved, left=key, saved=saved)

    # ----- answers -----
    async def answer(self, user_id: int, draft: DraftView, given: Input) -> Outcome:
        step = draft.current
        value = validate(step, given, draft.answers)
        if isinstance(value, Rejection):
            return Outcome(draft, rejection=value)
        answers = dict(draft.answers)
        if step.kind is Kind.MEDIA:
            answers[step.key] = [*draft.files, value]
            stay = DraftView(draft.id, draft.step, answers, draft.returning_to_review)
            await self._save(user_id, stay)
            return Outcome(stay, file_added=True)
        answers[step.key] = value
        return await self._advance(user_id, draft, answers)

    async def choose(self, user_id: int, draft: DraftView, value: str) -> Outcome:
        """A press of one of the step's own buttons: an option, agree, done, use my name,
        or keep the answer given before (after going back)."""
        step = draft.current
        answers = dict(draft.answers)
        if value == KEEP:
            if draft.answers.get(step.key) is None:
                return Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS))
        elif step.kind is Kind.CHOICE:
            if step.option(value) is None:
                return Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS))
            answers[step.key] = value
        elif step.kind is Kind.CALL:
            calls = {str(c.id): c for c in await self.open_calls(draft)}
            if value not in calls:
                return Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS))
            answers[step.key] = int(value)
        elif step.kind is Kind.CONSENT and value == "agree":
            answers[step.key] = utcnow().isoformat()
        elif step.kind is Kind.MEDIA and value == "done":
            if not draft.files:
                return await self.skip(user_id, draft)
        elif step.kind is Kind.NAME and value == "profile":
            name = await self.offered_name(user_id)
            if not name:
                return Outcome(draft, rejection=Rejection(Problem.EXPECTED_TEXT))
            answers[step.key] = name
        else:
            return Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS))
        return await self._advance(user_id, draft, answers)

    async def skip(self, user_id: int, draft: DraftView) -> Outcome:
        step = draft.current
        if not step.optional:
            return Outcome(draft, rejection=Rejection(Problem.NOT_SKIPPABLE))
        answers = dict(draft.answers)
        if step.kind is Kind.MEDIA and draft.files:  # files sent are never thrown away
            return await self._advance(user_id, draft, answers, saved=False)
        answers[step.key] = None
        return await self._advance(user_id, draft, answers, saved=False)

    async def back(self, user_id: int, draft: DraftView) -> Outcome:
        calls_open = await self._calls_open(draft.answers)
        if draft.returning_to_review and self.missing(draft, calls_open) is None:
            target: str | None = graph.REVIEW
        else:  # an edit that opened a step still unanswered goes back step by step
            target = graph.previous_step(draft.step, draft.answers, calls_open)
        returning = draft.returning_to_review and target != graph.REVIEW
        moved = DraftView(draft.id, target or draft.step, draft.answers, returning)
        await self._save(user_id, moved)
        return Outcome(moved, left=draft.step)

    async def edit(self, user_id: int, draft: DraftView, key: str) -> Outcome:
        """From the review screen, go to one step and come back to the review after it."""
        target = graph.STEP_BY_KEY.get(key)
        calls_open = await self._calls_open(draft.answers)
        if (
            draft.step != graph.REVIEW
            or target is None
            or target.kind is Kind.REVIEW
            or not target.applies(draft.answers, calls_open)
        ):
            return Outcome(draft, rejection=Rejection(Problem.USE_BUTTONS))
        moved = DraftView(draft.id, key, draft.answers, True)
        await self._save(user_id, moved)
        return Outcome(moved, left=draft.step)

    async def offered_name(self, user_id: int) -> str:
        """The name to offer: the one given last time, else the messenger profile's."""
        async with self.db.read() as session:
            user = await repo.get_user_by_id(session, user_id)
        if user is None:
            return ""
        if user.full_name:
            return user.full_name
        name = normalize(" ".join(filter(None, [user.first_name, user.last_name])))
        return name if isinstance(validate_text(graph.step("full_name"), name), str) else ""

    def missing(self, draft: DraftView, calls_open: bool) -> str | None:
        """The first required step without an answer, if any."""
        for candidate in graph.STEPS:
            if candidate.kind is Kind.REVIEW or not candidate.applies(draft.answers, calls_open):
                continue
            if candidate.key not in draft.answers:
                return candidate.key
            if not candidate.optional and draft.answers[candidate.key] is None:
                return candidate.key
        return None
