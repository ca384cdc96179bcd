"""Every conversation graph: every step reachable, every walk ends where the conversation
ends, every screen has a way forward and a way out, texts in both languages."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.conversation.engine import Draft
from bot.core.conversation.graph import TYPED_KINDS, AnswerIn, Graph, Kind
from bot.core.forms import GRAPHS
from bot.core.intake import INTAKE
from bot.core.platforms import PROFILES, Platform
from bot.core.vocabulary import PERSONAS, Option
from bot.ui.callbacks import StepAction, StepCB
from bot.ui.conversation import prompt
from bot.ui.markup import Keyboard, ReplyKeyboard
from bot.ui.render import Renderer
from locales.i18n import use_locale

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
ALL = list(GRAPHS.values())
EVERYTHING = frozenset({"call", "audience_value"})


def answers_for(graph: Graph) -> Iterator[dict[str, object]]:
    """Every combination of the answers the graph's conditions look at."""
    watched = {
        s.when.step: [*sorted(s.when.values), "-"]
        for s in graph.steps
        if isinstance(s.when, AnswerIn)
    }
    keys = list(watched)
    for values in itertools.product(*(watched[k] for k in keys)):
        yield dict(zip(keys, values, strict=True))


def walks(graph: Graph) -> list[list[str]]:
    """Every path from the first step to the last, over every answer that matters, with
    data-dependent steps available or not."""
    paths = []
    for answers, available in itertools.product(answers_for(graph), [frozenset(), EVERYTHING]):
        path = [graph.first]
        while (following := graph.next_step(path[-1], answers, available)) is not None:
            path.append(following)
        paths.append(path)
    return paths


@pytest.mark.parametrize("graph", ALL, ids=lambda g: g.key)
def test_every_step_is_reachable(graph: Graph) -> None:
    reached = {key for path in walks(graph) for key in path}
    on_request = {
        s.key
        for s in graph.steps
        if s.when is not None and s.when.describe().startswith("on request")
    }
    assert reached | on_request == {s.key for s in graph.steps}


@pytest.mark.parametrize("graph", ALL, ids=lambda g: g.key)
def test_every_walk_ends_at_the_last_step(graph: Graph) -> None:
    assert all(path[-1] == graph.steps[-1].key for path in walks(graph))


@pytest.mark.parametrize("graph", ALL, ids=lambda g: g.key)
def test_previous_step_mirrors_next_step(graph: Graph) -> None:
    for answers, available in itertools.product(answers_for(graph), [frozenset(), EVERYTHING]):
        path = [graph.first]
        while (following := graph.next_step(path[-1], answers, available)) is not None:
            path.append(following)
        for earlier, later in itertools.pairwise(path):
            assert graph.previous_step(later, answers, available) == earlier


def screens(graph: Graph) -> Iterator[tuple[str, Keyboard | ReplyKeyboard]]:
    render = Renderer(PROFILES[Platform.BALE])
    answers: dict[str, object] = {"persona": "company", "area": "waste", "audience": "area"}
    options = [Option("1", "فراخوان")]
    tz = ZoneInfo("Asia/Tehran")
    with use_locale("fa"):
        for step in graph.steps:
            if step.kind is Kind.REVIEW:
                continue
            draft = Draft(1, graph.key, step.key, answers)
            found = prompt(render, graph, draft, available=EVERYTHING, options=options, tz=tz)
            assert found.markup is not None
            assert isinstance(found.markup, Keyboard | ReplyKeyboard), step.key
            yield step.key, found.markup


@pytest.mark.parametrize("graph", ALL, ids=lambda g: g.key)
def test_every_step_has_a_way_forward_and_a_way_out(graph: Graph) -> None:
    """On every screen: something that moves on (an answer the step takes, or a button
    that answers), and cancel."""
    for key, markup in screens(graph):
        step = graph.step(key)
        if isinstance(markup, ReplyKeyboard):
            labels = [b.text for b in markup.buttons()]
            assert "✖️ انصراف" in labels, key
            assert step.kind in TYPED_KINDS, key
            continue
        actions = [StepCB.unpack(b.data) for b in markup.buttons() if b.data]
        assert all(a is not None and a.flow == graph.key for a in actions), key
        kinds = {a.action for a in actions if a is not None}
        assert StepAction.CANCEL in kinds, key
        forward = {StepAction.PICK, StepAction.SUBMIT, StepAction.SKIP}
        assert step.kind in TYPED_KINDS or forward & kinds, key


@pytest.mark.parametrize("graph", ALL, ids=lambda g: g.key)
@pytest.mark.parametrize("locale", ["fa", "en"])
def test_every_prompt_and_option_has_text(graph: Graph, locale: str) -> None:
    with use_locale(locale):
        for step in graph.steps:
            texts = [step.label, *(o.label for o in step.options)]
            if step.prompt is not None:
                texts.append(step.prompt)
            if step.prompt_by is not None:
                texts.extend(step.prompt_by[1].values())
            for found in texts:
                text = str(found)
                assert text.strip(), step.key
                if locale == "fa":
                    assert PERSIAN_LETTERS.search(text), (step.key, text)
                else:
                    assert not PERSIAN_LETTERS.search(text), (step.key, text)


def test_affiliation_depends_on_persona() -> None:
    asked = INTAKE.step("affiliation")
    assert isinstance(asked.when, AnswerIn)
    assert "citizen" not in asked.when.values
    assert set(asked.when.values) == {o.key for o in PERSONAS} - {"citizen"}


def test_the_intakes_steps() -> None:
    assert [s.key for s in INTAKE.steps] == [
        "persona",
        "affiliation",
        "area",
        "call",
        "title",
        "problem",
        "solution",
        "impact",
        "stage",
        "team_size",
        "attachments",
        "location",
        "full_name",
        "phone",
        "consent",
        "review",
    ]
    step = INTAKE.step
    assert (step("title").min_length, step("title").max_length) == (5, 120)
    assert (step("problem").min_length, step("problem").max_length) == (30, 2000)
    assert (step("solution").min_length, step("solution").max_length) == (30, 3000)
    assert step("impact").optional and step("impact").max_length == 1500
    assert (step("team_size").min_value, step("team_size").max_value) == (1, 50)
    assert step("attachments").max_files == 5
    assert step("attachments").max_file_bytes == 20 * 1024 * 1024
    assert len(step("persona").options) == 7 and len(step("area").options) == 5


def test_a_call_closes_after_it_opens_and_in_the_future() -> None:
    closes = GRAPHS["call"].step("closes_at")
    assert closes.after == "opens_at" and closes.future


def test_ideabot_flow_prints_mermaid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "flow"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = result.stdout
    assert out.startswith("flowchart TD")
    assert "persona -->|not persona in" in out and "area -->|calls open for the area| call" in out
    assert "consent --> review" in out
    forms = subprocess.run(
        [sys.executable, "-m", "bot", "flow", "call"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "opens_at --> closes_at" in forms


def test_readme_shows_the_current_graph() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    expected = INTAKE.mermaid("tracking code")
    assert f"```mermaid\n{expected}\n```" in readme, "paste `ideabot flow` into README.md"
