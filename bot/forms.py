"""The staff's forms (a call for proposals, an event) declared as data: each field's
kind, prompt and bounds. One handler walks any form; this module parses and checks
the answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from babel.support import LazyProxy

from bot.dates import parse_jalali
from bot.i18n import __
from bot.intake.graph import AREAS
from bot.persian import normalize, parse_int


class FieldKind(StrEnum):
    TEXT = "text"
    AREAS = "areas"  # one or more focus areas, chosen with buttons
    MOMENT = "moment"  # a Jalali date and time, in TIMEZONE
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class FormField:
    key: str
    kind: FieldKind
    label: LazyProxy
    prompt: LazyProxy
    optional: bool = False
    min_len: int = 3
    max_len: int = 200
    # For a MOMENT: must come after this other field's moment.
    after: str | None = None
    # For a MOMENT: must be in the future.
    future: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    key: str
    fields: tuple[FormField, ...]

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)


CALL_FORM = Form(
    "call",
    (
        FormField("title", FieldKind.TEXT, __("Title"), __("The call's title?")),
        FormField(
            "description",
            FieldKind.TEXT,
            __("Description"),
            __("Describe the call: what kind of ideas it looks for."),
            min_len=10,
            max_len=2000,
        ),
        FormField(
            "areas", FieldKind.AREAS, __("Focus areas"), __("Which focus areas does it cover?")
        ),
        FormField(
            "opens_at",
            FieldKind.MOMENT,
            __("Opens"),
            __("When does it open? Send a Jalali date and time like 1405/09/20 08:00."),
        ),
        FormField(
            "closes_at",
            FieldKind.MOMENT,
            __("Closes"),
            __("When does it close? Send a Jalali date and time like 1405/10/20 23:59."),
            after="opens_at",
            future=True,
        ),
        FormField(
            "guidance",
            FieldKind.TEXT,
            __("Guidance"),
            __("Any guidance for applicants (what to include, how ideas are judged)?"),
            optional=True,
            max_len=1000,
        ),
    ),
)

EVENT_FORM = Form(
    "event",
    (
        FormField("title", FieldKind.TEXT, __("Title"), __("The event's title?")),
        FormField(
            "description",
            FieldKind.TEXT,
            __("Description"),
            __("Describe the event: who it is for and what happens."),
            min_len=10,
            max_len=2000,
        ),
        FormField(
            "place",
            FieldKind.TEXT,
            __("Place"),
            __("Where is it? An address, or the link of an online meeting."),
            max_len=300,
        ),
        FormField(
            "starts_at",
            FieldKind.MOMENT,
            __("Starts"),
            __("When does it start? Send a Jalali date and time like 1405/09/25 16:00."),
            future=True,
        ),
        FormField(
            "capacity",
            FieldKind.COUNT,
            __("Capacity"),
            __("How many people can attend? Send a number, or skip for no limit."),
            optional=True,
        ),
    ),
)

FORMS = {form.key: form for form in (CALL_FORM, EVENT_FORM)}
AREA_KEYS = tuple(option.key for option in AREAS)


class FormProblem(StrEnum):
    EXPECTED_TEXT = "expected_text"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NOT_A_MOMENT = "not_a_moment"
    IN_THE_PAST = "in_the_past"
    TOO_EARLY = "too_early"
    NOT_A_COUNT = "not_a_count"
    NO_AREA = "no_area"


def parse(
    field: FormField, text: str | None, values: dict[str, Any], tz: tzinfo, now: datetime
) -> Any:
    """The value to keep (JSON-friendly: moments as ISO strings), or a FormProblem."""
    if field.kind is FieldKind.AREAS:
        return FormProblem.NO_AREA  # chosen with buttons only
    if text is None or not text.strip():
        return FormProblem.EXPECTED_TEXT
    if field.kind is FieldKind.TEXT:
        value = normalize(text)
        if len(value) < field.min_len:
            return FormProblem.TOO_SHORT
        if len(value) > field.max_len:
            return FormProblem.TOO_LONG
        return value
    if field.kind is FieldKind.COUNT:
        count = parse_int(text)
        return count if count is not None and 0 < count <= 100_000 else FormProblem.NOT_A_COUNT
    moment = parse_jalali(text, tz)
    if moment is None:
        return FormProblem.NOT_A_MOMENT
    if field.future and moment <= now:
        return FormProblem.IN_THE_PAST
    earlier = values.get(field.after) if field.after else None
    if earlier is not None and moment <= datetime.fromisoformat(earlier):
        return FormProblem.TOO_EARLY
    return moment.isoformat()


def out_of_order(form: Form, values: dict[str, Any]) -> bool:
    """A moment that must follow another no longer does (its partner was edited)."""
    for field in form.fields:
        later, earlier = values.get(field.key), values.get(field.after or "")
        if later and earlier and datetime.fromisoformat(later) <= datetime.fromisoformat(earlier):
            return True
    return False


def decoded_moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def decoded(form: Form, values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the service takes them (moments as datetimes)."""
    result: dict[str, Any] = {}
    for field in form.fields:
        value = values.get(field.key)
        if field.kind is FieldKind.MOMENT and value is not None:
            value = datetime.fromisoformat(value)
        result[field.key] = value
    return result


def encoded(form: Form, item: Any) -> dict[str, Any]:
    """An existing call or event as form values, for editing."""
    values: dict[str, Any] = {}
    for field in form.fields:
        value = getattr(item, field.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        values[field.key] = value
    return values


def missing(form: Form, values: dict[str, Any]) -> FormField | None:
    return next(
        (f for f in form.fields if not f.optional and values.get(f.key) in (None, "", [])), None
    )
