from __future__ import annotations

from bot.core.statuses import REASON_REQUIRED, STATUSES, TRANSITIONS, can_move


def test_every_status_has_its_transitions_and_only_known_targets() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    for targets in TRANSITIONS.values():
        assert targets <= set(STATUSES)


def test_closed_statuses_are_final_and_open_ones_lead_somewhere() -> None:
    for key, status in STATUSES.items():
        assert bool(TRANSITIONS[key]) == status.open, key


def test_every_status_is_reachable_from_submitted() -> None:
    seen, frontier = {"submitted"}, ["submitted"]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(STATUSES)


def test_an_open_idea_can_always_be_withdrawn() -> None:
    assert all(can_move(k, "withdrawn") for k, s in STATUSES.items() if s.open)


def test_some_moves_are_not_allowed() -> None:
    assert not can_move("submitted", "accepted")
    assert not can_move("rejected", "screening")
    assert not can_move("completed", "withdrawn")
    assert {"needs_info", "rejected", "duplicate"} == REASON_REQUIRED
