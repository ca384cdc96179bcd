"""The intake graph: reachable, always a way forward and a way out, texts in both languages."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.i18n import make_i18n
from bot.intake import graph
from bot.intake.engine import CallView, DraftView
from bot.intake.graph import STEPS, AnswerIn, Kind
from bot.intake.screens import IntakeAction, IntakeCB, prompt
from bot.platforms import PROFILES, Platform
from bot.render import Renderer

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")


def walks() -> list[list[str]]:
    """Every path from the first step to the review, over every persona and calls open or not."""
    paths = []
    personas = [o.key for o in graph.step("persona").options]
    for persona, calls_open in itertools.product(personas, [False, True]):
        answers = {"persona": persona}
        path = [graph.FIRST_STEP]
        while (following := graph.next_step(path[-1], answers, calls_open)) is not None:
            path.append(following)
        paths.append(path)
    return paths


def test_every_step_is_reachable() -> None:
    reached = {key for path in walks() for key in path}
    assert reached == {s.key for s in STEPS}


def test_every_walk_ends_at_the_review() -> None:
    assert all(path[-1] == graph.REVIEW for path in walks())


TYPED_ANSWERS = {Kind.TEXT, Kind.NUMBER, Kind.NAME, Kind.PHONE, Kind.LOCATION, Kind.MEDIA}


def test_every_step_has_a_way_forward_and_a_way_out() -> None:
    """On every screen: something that moves on (an answer the step takes, or a button
    that answers), and cancel."""
    i18n = make_i18n("fa")
    render = Renderer(PROFILES[Platform.BALE])
    answers = {"persona": "company", "area": "waste", "title": "x", "attachments": []}
    calls = [CallView(1, "فراخوان")]
    with i18n.context():
        for step in STEPS:
            draft = DraftView(1, step.key, answers, False)
            markup = prompt(render, draft, calls_open=True, calls=calls).markup
            if isinstance(markup, ReplyKeyboardMarkup):
                labels = [b.text for row in markup.keyboard for b in row]
                assert "✖️ انصراف" in labels, step.key
                assert step.kind in TYPED_ANSWERS, step.key
                continue
            assert isinstance(markup, InlineKeyboardMarkup), step.key
            actions = [
                IntakeCB.unpack(b.callback_data).action
                for row in markup.inline_keyboard
                for b in row
                if b.callback_data
            ]
            assert IntakeAction.CANCEL in actions, step.key
            forward = {IntakeAction.PICK, IntakeAction.SUBMIT, IntakeAction.SKIP}
            assert step.kind in TYPED_ANSWERS or forward & set(actions), step.key


def test_previous_step_mirrors_next_step() -> None:
    for path in walks():
        answers = {"persona": path and ("company" if "affiliation" in path else "citizen")}
        calls_open = "call" in path
        for earlier, later in itertools.pairwise(path):
            assert graph.previous_step(later, answers, calls_open) == earlier


def test_affiliation_depends_on_persona() -> None:
    asked = graph.step("affiliation")
    assert isinstance(asked.when, AnswerIn)
    assert "citizen" not in asked.when.values
    assert set(asked.when.values) == {o.key for o in graph.PERSONAS} - {"citizen"}


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_every_prompt_and_option_has_text(locale: str) -> None:
    i18n = make_i18n("fa")
    with i18n.context(), i18n.use_locale(locale):
        for step in STEPS:
            proxies = [step.label, *(o.label for o in step.options)]
            if step.prompt is not None:
                proxies.append(step.prompt)
            if step.prompt_by is not None:
                proxies.extend(step.prompt_by[1].values())
            for proxy in proxies:
                text = str(proxy)
                assert text.strip(), step.key
                if locale == "fa":
                    assert PERSIAN_LETTERS.search(text), (step.key, text)
                else:
                    assert not PERSIAN_LETTERS.search(text), (step.key, text)


def test_the_steps_the_issue_names() -> None:
    assert [s.key for s in STEPS] == [
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
    assert (graph.step("title").min_length, graph.step("title").max_length) == (5, 120)
    assert (graph.step("problem").min_length, graph.step("problem").max_length) == (30, 2000)
    assert (graph.step("solution").min_length, graph.step("solution").max_length) == (30, 3000)
    assert graph.step("impact").optional and graph.step("impact").max_length == 1500
    assert (graph.step("team_size").min_value, graph.step("team_size").max_value) == (1, 50)
    assert graph.step("attachments").max_files == 5
    assert graph.step("attachments").max_file_bytes == 20 * 1024 * 1024
    assert len(graph.step("persona").options) == 7 and len(graph.step("area").options) == 5


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


def test_readme_shows_the_current_graph() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert f"```mermaid\n{graph.mermaid()}\n```" in readme, "paste `ideabot flow` into README.md"
