"""The import contracts in pyproject.toml hold, and they can fail: a copy of the tree with
forbidden imports added breaks exactly the contracts that forbid them. `scheduler.py` is a
module, which import-linter cannot take as a root, so its imports are checked here."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        check=False,  # the exit code is what is tested
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "500"},  # the copy; one line each
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_forbidden_imports_break_their_contracts(tmp_path: Path) -> None:
    for package in ("bot", "handlers", "storage", "locales"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    untouched = lint_imports(tmp_path)
    assert untouched.returncode == 0, untouched.stdout + untouched.stderr

    def append(path: str, line: str) -> None:
        with (tmp_path / path).open("a") as module:
            module.write(f"\n{line}\n")

    append("bot/core/text.py", "import telegram  # the framework, in the core")
    append("handlers/intake.py", "import handlers.applicant  # one feature using another")
    append("bot/services/ideas.py", "import bot.ui.review  # a service drawing a screen")
    broken = lint_imports(tmp_path)
    report = broken.stdout
    assert broken.returncode == 1, report + broken.stderr
    for contract in (
        "The core imports no messenger framework, no database and no storage BROKEN",
        "The messenger framework is imported only by the platform layer and the handlers BROKEN",
        "Feature handlers are independent of each other BROKEN",
        "Services import neither handlers nor what people see nor the wire nor the framework "
        "BROKEN",
        "Layers: ",
    ):
        assert contract in report, report
    assert "Storage knows nothing of the bot or of chats KEPT" in report


def test_the_clock_calls_into_services_and_knows_nothing_else() -> None:
    """scheduler.py takes its duties as callables from the composition root: it imports
    the settings and nothing else of ours (no handlers, storage, wire or framework)."""
    tree = ast.parse((ROOT / "scheduler.py").read_text())
    ours = {"bot", "handlers", "storage", "locales", "telegram", "sqlalchemy"}
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert {name for name in imported if name.split(".")[0] in ours} == {"bot.config"}
