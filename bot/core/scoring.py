"""Scoring ideas against a rubric: criteria with weights, each scored 1 to 5 by every
reviewer. A reviewer's score is the weighted mean of the criteria they scored; the
idea's is the mean of the reviewers who scored every criterion. Reviewers whose scores
lie far apart are flagged, so an administrator looks before deciding."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.persian import normalize, to_ascii_digits

SCALE = (1, 2, 3, 4, 5)
# Two complete scores this far apart (on the 1-5 scale) mean the reviewers disagree.
DISAGREEMENT = 1.5
CRITERION_LIMIT = 6  # a rubric fits one screen of buttons
NAME_LIMIT = 60
MAX_WEIGHT = 10.0
# "name: weight" or "name weight"; the weight in any digits, "1.5", "1/5" or "۱٫۵".
_WEIGHTED = re.compile(r"^(?P<name>.*?)[\s:=×x*]+(?P<weight>\d+(?:[.,/٫]\d+)?)$")


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    weight: float
    name: str | None = None  # a call's own criterion; the default ones are named in locales


# For ideas outside calls, and calls without a rubric of their own.
DEFAULT_RUBRIC: tuple[Criterion, ...] = (
    Criterion("novelty", 1.0),
    Criterion("feasibility", 1.0),
    Criterion("impact", 1.5),
    Criterion("cost", 1.0),
)


def rubric_of(stored: Sequence[Mapping[str, object]] | None) -> tuple[Criterion, ...]:
    """A call's rubric as stored ([{"key", "name", "weight"}]), or the default one."""
    if not stored:
        return DEFAULT_RUBRIC
    found = []
    for item in stored[:CRITERION_LIMIT]:
        weight = item.get("weight", 1)
        found.append(
            Criterion(
                str(item["key"]),
                float(weight) if isinstance(weight, int | float) else 1.0,
                str(item.get("name") or "") or None,
            )
        )
    return tuple(found) or DEFAULT_RUBRIC


def criterion_key(name: str) -> str:
    """A criterion's key comes from its name: renaming or removing one leaves the scores
    given to it behind (never under another criterion's name); a new weight keeps them."""
    return "c" + hashlib.sha1(normalize(name).casefold().encode()).hexdigest()[:8]


def parse_rubric(text: str) -> tuple[Criterion, ...] | None:
    """Criteria typed by staff, one per line: a name and, after it, a weight (1 if
    none): «اثر برای شهر: 2». None if a line does not read so, or for too many."""
    criteria: dict[str, Criterion] = {}
    for line in (normalize(x).strip() for x in text.splitlines()):
        if not line:
            continue
        name, weight = line, 1.0
        found = _WEIGHTED.match(to_ascii_digits(line))
        if found and found.group("name").strip():
            name = line[: len(found.group("name"))].strip(" :")
            weight = float(re.sub(r"[,/٫]", ".", found.group("weight")))
        if not 0 < weight <= MAX_WEIGHT or not name or len(name) > NAME_LIMIT:
            return None
        key = criterion_key(name)
        criteria[key] = Criterion(key, weight, name)
    if not 0 < len(criteria) <= CRITERION_LIMIT:
        return None
    return tuple(criteria.values())


def stored(rubric: Iterable[Criterion]) -> list[dict[str, object]]:
    """A rubric as a call keeps it (what `rubric_of` reads back)."""
    return [{"key": c.key, "name": c.name, "weight": c.weight} for c in rubric]


def typed(rubric: Iterable[Criterion]) -> str:
    """A rubric as staff would type it, for editing."""
    return "\n".join(f"{c.name or c.key}: {c.weight:g}" for c in rubric)


def weighted(rubric: Sequence[Criterion], scores: Mapping[str, int]) -> float | None:
    """One reviewer's score: the weighted mean of the criteria they scored."""
    parts = [(c.weight, scores[c.key]) for c in rubric if c.key in scores]
    total = sum(w for w, _ in parts)
    return sum(w * v for w, v in parts) / total if total else None


def complete(rubric: Sequence[Criterion], scores: Mapping[str, int]) -> bool:
    return all(c.key in scores for c in rubric)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The idea's score over the reviewers who scored every criterion."""

    score: float | None
    reviewers: int
    disagree: bool

    @classmethod
    def of(cls, rubric: Sequence[Criterion], sheets: Iterable[Mapping[str, int]]) -> Verdict:
        means = [
            m
            for sheet in sheets
            if complete(rubric, sheet) and (m := weighted(rubric, sheet)) is not None
        ]
        if not means:
            return cls(None, 0, False)
        return cls(sum(means) / len(means), len(means), max(means) - min(means) >= DISAGREEMENT)
