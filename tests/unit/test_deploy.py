"""The files in deploy/ stay true to the program: every unit's command is one ideabot
takes, systemd finds nothing wrong in them, and the example environment names only
settings that exist."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import parser
from bot.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALLED = "/opt/ideabot/.venv/bin/ideabot"


def exec_start(unit: Path) -> list[str]:
    [line] = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_each_unit_runs_a_command_ideabot_takes(unit: Path) -> None:
    words = exec_start(unit)
    assert words[0] == INSTALLED
    args = parser().parse_args([w.replace("%i", "8441") for w in words[1:]])
    assert callable(args.func)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_finds_nothing_wrong_in_a_unit(unit: Path, tmp_path: Path) -> None:
    # As installed, the unit's program is in /opt/ideabot; here it is this checkout's.
    program = Path(sys.executable).with_name("ideabot")
    instance = tmp_path / unit.name.replace("@", "@8441")
    instance.write_text(unit.read_text().replace(INSTALLED, str(program)))
    found = subprocess.run(
        ["systemd-analyze", "verify", str(instance)], capture_output=True, text=True, check=False
    )
    # It says what it finds wrong on stderr, and exits 0 for much of it.
    complaints = [line for line in (found.stdout + found.stderr).splitlines() if line.strip()]
    assert found.returncode == 0, complaints
    assert complaints == []


def test_the_example_environment_names_only_real_settings() -> None:
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "ideabot.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert names and set(names) <= {name.upper() for name in Settings.model_fields}
