"""Rubrics and scores: criteria typed by staff (names, weights in any digits), keys that
follow a criterion's name, the weighted mean, and the flag for reviewers far apart."""

from __future__ import annotations

from bot.core.scoring import (
    CRITERION_LIMIT,
    DEFAULT_RUBRIC,
    Verdict,
    parse_rubric,
    rubric_of,
    stored,
    typed,
    weighted,
)


def test_a_typed_rubric_reads_names_and_weights_in_any_digits() -> None:
    rubric = parse_rubric("نوآوری\nاثر برای شهر: ۱٫۵\n\nهزینه 2\nFeasibility = 3")
    assert rubric is not None
    assert [(c.name, c.weight) for c in rubric] == [
        ("نوآوری", 1.0),
        ("اثر برای شهر", 1.5),
        ("هزینه", 2.0),
        ("Feasibility", 3.0),
    ]
    assert rubric_of(stored(rubric)) == rubric
    assert parse_rubric(typed(rubric)) == rubric


def test_what_is_not_a_rubric() -> None:
    assert parse_rubric("") is None
    assert parse_rubric("نوآوری: 0") is None
    assert parse_rubric("نوآوری: 11") is None
    assert parse_rubric("\n".join(f"معیار {n}" for n in "ابپتثجچ")) is None  # 7 > 6
    assert CRITERION_LIMIT == 6


def test_a_criterion_keeps_its_scores_when_only_its_weight_changes() -> None:
    before = parse_rubric("نوآوری: 1\nهزینه: 1")
    after = parse_rubric("نوآوری: 2\nاثر: 1")
    assert before is not None and after is not None
    assert before[0].key == after[0].key  # the same name: the same criterion
    assert before[1].key not in {c.key for c in after}  # a removed one takes its scores away


def test_the_score_is_weighted_and_far_apart_reviewers_are_flagged() -> None:
    impact_heavy = {c.key: 5 if c.key == "impact" else 1 for c in DEFAULT_RUBRIC}
    assert weighted(DEFAULT_RUBRIC, impact_heavy) == (1 + 1 + 1.5 * 5 + 1) / 4.5
    low = {c.key: 2 for c in DEFAULT_RUBRIC}
    high = {c.key: 4 for c in DEFAULT_RUBRIC}
    close = {c.key: 3 for c in DEFAULT_RUBRIC}
    assert Verdict.of(DEFAULT_RUBRIC, [low, high]) == Verdict(3.0, 2, True)
    assert Verdict.of(DEFAULT_RUBRIC, [low, close]) == Verdict(2.5, 2, False)
    # A sheet not complete does not count yet.
    assert Verdict.of(DEFAULT_RUBRIC, [{"novelty": 5}]) == Verdict(None, 0, False)
