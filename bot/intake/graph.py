"""The intake conversation, declared as data: every step, in order.

A step is asked when its condition holds; the next step is the next one in
order whose condition holds. The engine (`bot.intake.engine`) walks this graph;
`ideabot flow` prints it as a Mermaid diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from babel.support import LazyProxy

from bot.i18n import __


class Kind(StrEnum):
    CHOICE = "choice"
    TEXT = "text"
    NUMBER = "number"
    MEDIA = "media"
    LOCATION = "location"
    NAME = "name"
    PHONE = "phone"
    CONSENT = "consent"
    CALL = "call"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: LazyProxy


@dataclass(frozen=True, slots=True)
class AnswerIn:
    """Asked only when an earlier answer is one of `values`."""

    step: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, object], calls_open: bool) -> bool:
        return answers.get(self.step) in self.values

    def describe(self) -> str:
        return f"{self.step} in {', '.join(sorted(self.values))}"


@dataclass(frozen=True, slots=True)
class CallsOpen:
    """Asked only when calls for proposals are open for the area chosen at `step`."""

    step: str = "area"

    def holds(self, answers: Mapping[str, object], calls_open: bool) -> bool:
        return calls_open

    def describe(self) -> str:
        return "calls open for the area"


Condition = AnswerIn | CallsOpen


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    kind: Kind
    label: LazyProxy  # the answer's name on the review screen
    prompt: LazyProxy | None = None
    # A prompt that depends on an earlier answer (step key, answer -> prompt).
    prompt_by: tuple[str, Mapping[str, LazyProxy]] | None = None
    options: tuple[Option, ...] = ()
    optional: bool = False
    when: Condition | None = None
    min_length: int = 0
    max_length: int = 0
    min_value: int = 0
    max_value: int = 0
    max_files: int = 0
    max_file_bytes: int = 0

    def applies(self, answers: Mapping[str, object], calls_open: bool) -> bool:
        return self.when is None or self.when.holds(answers, calls_open)

    def prompt_for(self, answers: Mapping[str, object]) -> LazyProxy:
        if self.prompt_by is not None:
            step, prompts = self.prompt_by
            chosen = prompts.get(str(answers.get(step)))
            if chosen is not None:
                return chosen
        assert self.prompt is not None, f"step {self.key} has no prompt for {answers}"
        return self.prompt

    def option(self, key: object) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    @property
    def depends_on(self) -> frozenset[str]:
        """The steps whose answers decide whether, or how, this step is asked."""
        keys = {self.when.step} if self.when is not None else set()
        if self.prompt_by is not None:
            keys.add(self.prompt_by[0])
        return frozenset(keys)


PERSONAS = (
    Option("citizen", __("Citizen")),
    Option("university_student", __("University student")),
    Option("school_student", __("School student")),
    Option("professor", __("Professor or researcher")),
    Option("company", __("Knowledge-based company or startup")),
    Option("municipal_staff", __("Municipal staff (deputy offices and departments)")),
    Option("industry", __("Industry and private sector")),
)

AREAS = (
    Option("waste", __("♻️ Waste")),
    Option("transport", __("🚦 Transport and traffic")),
    Option("beautification", __("🌳 Urban beautification")),
    Option("smart_city", __("📡 Smart city")),
    Option("other", __("🏙 Other areas of city management")),
)

STAGES = (
    Option("idea", __("💡 Idea")),
    Option("prototype", __("🛠 Prototype")),
    Option("product", __("🚀 Working product")),
)

AFFILIATION_PROMPTS: dict[str, LazyProxy] = {
    "university_student": __("Which university do you study at?"),
    "school_student": __("Which school do you study at?"),
    "professor": __("Which university or research institute are you with?"),
    "company": __("What is your company's name?"),
    "municipal_staff": __("Which deputy or department of the municipality do you work in?"),
    "industry": __("Which organization or company are you with?"),
}

MEGABYTE = 1024 * 1024

STEPS: tuple[Step, ...] = (
    Step(
        "persona",
        Kind.CHOICE,
        label=__("Who you are"),
        prompt=__("Let's register your idea. First: which of these describes you best?"),
        options=PERSONAS,
    ),
    Step(
        "affiliation",
        Kind.TEXT,
        label=__("Affiliation"),
        prompt_by=("persona", AFFILIATION_PROMPTS),
        when=AnswerIn("persona", frozenset(AFFILIATION_PROMPTS)),
        min_length=2,
        max_length=200,
    ),
    Step(
        "area",
        Kind.CHOICE,
        label=__("Focus area"),
        prompt=__("Which area of city management is your idea about?"),
        options=AREAS,
    ),
    Step(
        "call",
        Kind.CALL,
        label=__("Call for proposals"),
        prompt=__("Calls for proposals are open in this area. Is your idea for one of them?"),
        when=CallsOpen(),
        optional=True,
    ),
    Step(
        "title",
        Kind.TEXT,
        label=__("Title"),
        prompt=__("Give your idea a short title (5 to 120 characters)."),
        min_length=5,
        max_length=120,
    ),
    Step(
        "problem",
        Kind.TEXT,
        label=__("Problem"),
        prompt=__("What problem of the city does it solve? Describe it in 30 to 2,000 characters."),
        min_length=30,
        max_length=2000,
    ),
    Step(
        "solution",
        Kind.TEXT,
        label=__("Proposed solution"),
        prompt=__("What is your solution, and how does it work? (30 to 3,000 characters)"),
        min_length=30,
        max_length=3000,
    ),
    Step(
        "impact",
        Kind.TEXT,
        label=__("Expected impact"),
        prompt=__(
            "What impact do you expect: who benefits, what improves, by how much? "
            "(optional, up to 1,500 characters)"
        ),
        optional=True,
        min_length=1,
        max_length=1500,
    ),
    Step(
        "stage",
        Kind.CHOICE,
        label=__("Stage"),
        prompt=__("How far along is it?"),
        options=STAGES,
    ),
    Step(
        "team_size",
        Kind.NUMBER,
        label=__("Team size"),
        prompt=__("How many people are on your team? Send a number from 1 to 50, or skip."),
        optional=True,
        min_value=1,
        max_value=50,
    ),
    Step(
        "attachments",
        Kind.MEDIA,
        label=__("Attachments"),
        prompt=__(
            "You can send up to 5 photos, documents or voice notes (each at most 20 MB). "
            "Press “Done” when finished, or skip."
        ),
        optional=True,
        max_files=5,
        max_file_bytes=20 * MEGABYTE,
    ),
    Step(
        "location",
        Kind.LOCATION,
        label=__("Location"),
        prompt=__(
            "If your idea is about a particular place in the city, share it: the button below "
            "sends where you are now; to choose another place, use 📎 and then Location. "
            "Or skip."
        ),
        optional=True,
    ),
    Step(
        "full_name",
        Kind.NAME,
        label=__("Full name"),
        prompt=__("What is your full name? Type it, or confirm the one below."),
        min_length=3,
        max_length=100,
    ),
    Step(
        "phone",
        Kind.PHONE,
        label=__("Phone"),
        prompt=__(
            "Share your mobile number with the button below, or type it (e.g. 09121234567), "
            "so the center's experts can reach you."
        ),
    ),
    Step(
        "consent",
        Kind.CONSENT,
        label=__("Consent"),
        prompt=__(
            "<b>Your data</b>\n"
            "Your idea, name and phone number will be seen only by the experts and managers of "
            "the Innovation and Technology Center of Tabriz Municipality, to review your idea "
            "and contact you about it. They are not published or given to anyone else. At any "
            "time, /privacy shows what is stored about you and /delete_my_data deletes it.\n\n"
            "Do you agree?"
        ),
    ),
    Step(
        "review",
        Kind.REVIEW,
        label=__("Review"),
        prompt=__("<b>Check your idea before you submit it</b>"),
    ),
)

STEP_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
FIRST_STEP = STEPS[0].key
REVIEW = "review"


def step(key: str) -> Step:
    return STEP_BY_KEY[key]


def next_step(current: str, answers: Mapping[str, object], calls_open: bool) -> str | None:
    """The next step asked after `current`, or None after the last one."""
    index = STEPS.index(STEP_BY_KEY[current])
    for candidate in STEPS[index + 1 :]:
        if candidate.applies(answers, calls_open):
            return candidate.key
    return None


def previous_step(current: str, answers: Mapping[str, object], calls_open: bool) -> str | None:
    """The step asked before `current`, or None for the first one."""
    index = STEPS.index(STEP_BY_KEY[current])
    for candidate in reversed(STEPS[:index]):
        if candidate.applies(answers, calls_open):
            return candidate.key
    return None


def dependents(key: str) -> list[Step]:
    """The steps to ask again when the answer to `key` changes."""
    return [s for s in STEPS if key in s.depends_on]


def edges() -> list[tuple[str, str, str]]:
    """Every (from, to, condition) transition the graph allows; "" means always."""
    result: list[tuple[str, str, str]] = []
    for index, source in enumerate(STEPS):
        skipped: list[str] = []
        for target in STEPS[index + 1 :]:
            conditions = [f"not {condition}" for condition in skipped]
            if target.when is not None:
                conditions.append(target.when.describe())
            result.append((source.key, target.key, " and ".join(conditions)))
            if target.when is None:
                break
            skipped.append(target.when.describe())
    return result


def mermaid() -> str:
    lines = ["flowchart TD"]
    for source in STEPS:
        suffix = ", optional" if source.optional else ""
        lines.append(f'    {source.key}["{source.key} ({source.kind.value}{suffix})"]')
    for origin, target, condition in edges():
        arrow = f" -->|{condition}| " if condition else " --> "
        lines.append(f"    {origin}{arrow}{target}")
    lines.append("    review -->|submit| submitted([tracking code])")
    lines.append("    review -.->|edit: any step, then back to review| review")
    return "\n".join(lines)
