"""The product's vocabulary: who submits an idea, its focus areas and stages, and what
people can subscribe to. Keys are stored; labels are shown in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from locales import vocabulary as t
from locales.i18n import Text


@dataclass(frozen=True, slots=True)
class Option:
    """A choice: its key (what is stored) and its label (a text of the catalogs, or the
    data's own words: a call's title)."""

    key: str
    label: Text | str


PERSONAS: tuple[Option, ...] = (
    Option("citizen", t.CITIZEN),
    Option("university_student", t.UNIVERSITY_STUDENT),
    Option("school_student", t.SCHOOL_STUDENT),
    Option("professor", t.PROFESSOR),
    Option("company", t.COMPANY),
    Option("municipal_staff", t.MUNICIPAL_STAFF),
    Option("industry", t.INDUSTRY),
)

AREAS: tuple[Option, ...] = (
    Option("waste", t.WASTE),
    Option("transport", t.TRANSPORT),
    Option("beautification", t.BEAUTIFICATION),
    Option("smart_city", t.SMART_CITY),
    Option("other", t.OTHER_AREA),
)

STAGES: tuple[Option, ...] = (
    Option("idea", t.IDEA_STAGE),
    Option("prototype", t.PROTOTYPE_STAGE),
    Option("product", t.PRODUCT_STAGE),
)

# What people can subscribe to: each focus area, calls for proposals, and events.
CALLS = "calls"
EVENTS = "events"
TOPIC_OPTIONS: tuple[Option, ...] = (
    *AREAS,
    Option(CALLS, t.CALLS_TOPIC),
    Option(EVENTS, t.EVENTS_TOPIC),
)
TOPICS: tuple[str, ...] = tuple(option.key for option in TOPIC_OPTIONS)

# Roles of staff members.
ROLE_NAMES: dict[str, Text] = {"admin": t.ADMIN_ROLE, "reviewer": t.REVIEWER_ROLE}
PLATFORM_NAMES: dict[str, Text] = {"telegram": t.TELEGRAM, "bale": t.BALE}
LANGUAGE_NAMES: dict[str, Text] = {"fa": t.PERSIAN_NAME, "en": t.ENGLISH_NAME}


def option(options: tuple[Option, ...], key: object) -> Option | None:
    return next((o for o in options if o.key == key), None)


def label_of(options: tuple[Option, ...], key: object, default: str = "—") -> str:
    """The label of `key` among `options`, in the current language."""
    found = option(options, key)
    return str(found.label) if found else (str(key) if key else default)


def platform_name(key: str) -> str:
    name = PLATFORM_NAMES.get(key)
    return str(name) if name else key
