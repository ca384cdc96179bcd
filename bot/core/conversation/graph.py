"""A conversation declared as data: its steps, in order.

A step is asked when its condition holds; the next step is the next one in order whose
condition holds. Each step says what it takes (its kind and bounds), what it asks (a
text of the catalogs, possibly depending on an earlier answer), whether it may be
skipped, and where its choices come from. The engine (`engine.py`) walks any graph;
`ideabot flow` prints one as a Mermaid diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.vocabulary import Option
from locales.i18n import Text


class Kind(StrEnum):
    CHOICE = "choice"  # one option: the step's own, or those its `source` gives
    CHOICES = "choices"  # one or more options, switched on and off, then Next
    TEXT = "text"
    NAME = "name"  # a text, with the name given last time offered as a button
    NUMBER = "number"
    MEDIA = "media"  # files, up to `max_files`, then Done
    MESSAGE = "message"  # a text, or one photo or document with its caption
    LOCATION = "location"
    PHONE = "phone"
    CONSENT = "consent"
    MOMENT = "moment"  # a Jalali date and time, typed by staff
    CODE = "code"  # a tracking code
    RUBRIC = "rubric"  # criteria with weights, one per line, typed by staff
    PERSON = "person"  # someone on the same messenger: a message of theirs forwarded, or an id
    REVIEW = "review"  # the last step: everything, to check, change and confirm


# Kinds whose answer is typed or sent, not pressed.
TYPED_KINDS = frozenset(
    {
        Kind.TEXT,
        Kind.NAME,
        Kind.NUMBER,
        Kind.MEDIA,
        Kind.MESSAGE,
        Kind.LOCATION,
        Kind.PHONE,
        Kind.MOMENT,
        Kind.CODE,
        Kind.RUBRIC,
        Kind.PERSON,
    }
)


@dataclass(frozen=True, slots=True)
class AnswerIn:
    """Asked only when an earlier answer is one of `values`."""

    step: str
    values: frozenset[str]

    def holds(self, answers: Mapping[str, object], available: frozenset[str]) -> bool:
        return answers.get(self.step) in self.values

    def describe(self) -> str:
        return f"{self.step} in {', '.join(sorted(self.values))}"


@dataclass(frozen=True, slots=True)
class HasOptions:
    """Asked only when the step's source has something to offer for the answer to `on`
    (a call is open for the chosen area, say)."""

    step: str  # the step this condition belongs to
    on: str
    description: str

    def holds(self, answers: Mapping[str, object], available: frozenset[str]) -> bool:
        return self.step in available

    def describe(self) -> str:
        return self.description


@dataclass(frozen=True, slots=True)
class OnRequest:
    """Asked only when the person asks for it from the review (a time to schedule)."""

    step: str

    def holds(self, answers: Mapping[str, object], available: frozenset[str]) -> bool:
        return self.step in answers

    def describe(self) -> str:
        return "on request from the review"


Condition = AnswerIn | HasOptions | OnRequest


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    kind: Kind
    label: Text  # the answer's name on the review screen
    prompt: Text | None = None
    # A prompt that depends on an earlier answer (step key, answer -> prompt).
    prompt_by: tuple[str, Mapping[str, Text]] | None = None
    options: tuple[Option, ...] = ()
    # Choices that depend on the data (open calls, recent events): the source's name.
    source: str | None = None
    optional: bool = False
    when: Condition | None = None
    min_length: int = 0
    max_length: int = 0
    min_value: int = 0
    max_value: int = 0
    max_files: int = 0
    max_file_bytes: int = 0
    # What a MEDIA or MESSAGE step takes; a MESSAGE's caption bound.
    media_kinds: frozenset[str] = frozenset({"photo", "document", "voice"})
    max_caption: int = 0
    # For a MOMENT: it must be in the future, and after this other step's moment.
    future: bool = False
    after: str | None = None
    # A MOMENT typed as a day alone means its end (a call closes at 23:59 that day).
    day_end: bool = False
    # An answers key whose value, when it is one of this step's options, answers it
    # without asking (a call's link chose the call).
    preset: str | None = None

    def applies(self, answers: Mapping[str, object], available: frozenset[str]) -> bool:
        return self.when is None or self.when.holds(answers, available)

    def prompt_for(self, answers: Mapping[str, object]) -> Text:
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
        keys: set[str] = set()
        if isinstance(self.when, AnswerIn):
            keys.add(self.when.step)
        elif isinstance(self.when, HasOptions):
            keys.add(self.when.on)
        if self.prompt_by is not None:
            keys.add(self.prompt_by[0])
        return frozenset(keys)


@dataclass(frozen=True)
class Graph:
    key: str
    steps: tuple[Step, ...]
    # The screens number the steps ("Step 3 of 15").
    numbered: bool = False
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {s.key: i for i, s in enumerate(self.steps)})
        assert len(self._index) == len(self.steps), f"{self.key}: two steps share a key"
        assert all(s.kind is not Kind.REVIEW for s in self.steps[:-1]), "review comes last"

    def step(self, key: str) -> Step:
        return self.steps[self._index[key]]

    def has(self, key: str) -> bool:
        return key in self._index

    @property
    def first(self) -> str:
        return self.steps[0].key

    @property
    def review(self) -> str | None:
        """The review step's key, if the graph ends with one."""
        last = self.steps[-1]
        return last.key if last.kind is Kind.REVIEW else None

    def next_step(
        self, current: str, answers: Mapping[str, object], available: frozenset[str]
    ) -> str | None:
        """The next step asked after `current`, or None after the last one."""
        for candidate in self.steps[self._index[current] + 1 :]:
            if candidate.applies(answers, available):
                return candidate.key
        return None

    def previous_step(
        self, current: str, answers: Mapping[str, object], available: frozenset[str]
    ) -> str | None:
        """The step asked before `current`, or None for the first one."""
        for candidate in reversed(self.steps[: self._index[current]]):
            if candidate.applies(answers, available):
                return candidate.key
        return None

    def asked(self, answers: Mapping[str, object], available: frozenset[str]) -> list[str]:
        return [s.key for s in self.steps if s.applies(answers, available)]

    def dependents(self, key: str) -> list[Step]:
        """The steps to ask again when the answer to `key` changes."""
        return [s for s in self.steps if key in s.depends_on]

    def edges(self) -> list[tuple[str, str, str]]:
        """Every (from, to, condition) transition the graph allows; "" means always."""
        result: list[tuple[str, str, str]] = []
        for index, source in enumerate(self.steps):
            skipped: list[str] = []
            for target in self.steps[index + 1 :]:
                conditions = [f"not {condition}" for condition in skipped]
                if target.when is not None:
                    conditions.append(target.when.describe())
                result.append((source.key, target.key, " and ".join(conditions)))
                if target.when is None:
                    break
                skipped.append(target.when.describe())
        return result

    def mermaid(self, ending: str = "done") -> str:
        lines = ["flowchart TD"]
        for source in self.steps:
            suffix = ", optional" if source.optional else ""
            lines.append(f'    {source.key}["{source.key} ({source.kind.value}{suffix})"]')
        for origin, target, condition in self.edges():
            arrow = f" -->|{condition}| " if condition else " --> "
            lines.append(f"    {origin}{arrow}{target}")
        last = self.steps[-1].key
        lines.append(f"    {last} -->|submit| submitted([{ending}])")
        if self.review is not None:
            lines.append(f"    {last} -.->|edit: any step, then back to review| {last}")
        return "\n".join(lines)
