"""The project's documents stay true: every path they name exists, the layer diagram is
the layers contract, the Persian terms are the catalogs' own, and nothing points to a
file outside the repository."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.core.statuses import STATUSES, TRANSITIONS
from locales.i18n import gettext

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
PATH = re.compile(
    r"`((?:bot|handlers|storage|locales|tests|bench|docs|deploy)/[\w./-]*|scheduler\.py)`"
)


def section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def table(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


@pytest.mark.parametrize("document", [*DOCS, ROOT / "README.md"], ids=lambda p: p.name)
def test_every_path_named_exists(document: Path) -> None:
    named = PATH.findall(document.read_text())
    missing = [path for path in named if not (ROOT / path.split("::")[0]).exists()]
    assert not missing, f"{document.name} names what is not in the repository: {missing}"


def test_nothing_points_outside_the_repository() -> None:
    sources = [*DOCS, ROOT / "README.md", ROOT / "scheduler.py"]
    for folder in ("bot", "handlers", "storage", "locales", "tests", "bench"):
        sources += (ROOT / folder).rglob("*.py")
    outside = re.compile(r"DESIGN(?:\.md| section)|GLOSSARY|STYLE\.md|\.\./shared")
    found = [
        str(p.relative_to(ROOT))
        for p in sources
        if p != Path(__file__) and outside.search(p.read_text())
    ]
    assert found == []


def test_the_layer_diagram_is_the_layers_contract() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    where = dict(re.findall(r'^\s*(\w+)\["([^:"]+)', diagram, re.MULTILINE))
    # A node may hold independent siblings of one layer: "handlers/ | bot/console/".
    modules = {
        name: " | ".join(
            part.strip().removesuffix("/").removesuffix(".py").replace("/", ".")
            for part in path.split("|")
        )
        for name, path in where.items()
    }
    chains = [line.split("-->") for line in diagram.splitlines() if "-->" in line]
    drawn = [[modules[node.strip()] for node in chain] for chain in chains]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert drawn[0] == layers
    assert ["bot.services", "storage"] in drawn  # storage below the services
    assert len(drawn) == 2


def test_the_terms_are_the_catalogs_own() -> None:
    text = (ROOT / "docs" / "persian.md").read_text()
    terms = table(section(text, "Terms"))
    assert len(terms) > 20
    for english, persian in terms:
        assert gettext(english, "fa") == persian, english
        assert gettext(english, "en") == english


def test_the_statuses_are_the_lifecycle() -> None:
    rows = table(section((ROOT / "docs" / "persian.md").read_text(), "Statuses"))
    assert [row[0].strip("`") for row in rows] == list(STATUSES)
    for key, english, persian, kind, targets in rows:
        status = STATUSES[key.strip("`")]
        assert (english, persian) == (status.name.id, gettext(status.name.id, "fa"))
        assert kind == ("open" if status.open else "closed")
        assert set(targets.split(", ")) - {"—"} == TRANSITIONS[status.key]
