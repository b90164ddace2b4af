"""The two ways a shell starts the command, ``influencers-club`` (the console script of
pyproject.toml) and ``python -m toolkit.cli``, run the same ``main`` with the same exit codes."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from toolkit._version import __version__
from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("influencers-club")


def test_the_console_script_names_the_command_lines_main() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["influencers-club"].partition(":")

    assert getattr(importlib.import_module(module), name) is main


@pytest.mark.parametrize(
    "command",
    [[str(SCRIPT)], [sys.executable, "-m", "toolkit.cli"]],
    ids=["console script", "python -m toolkit.cli"],
)
def test_both_entry_points_run_the_command(command: list[str]) -> None:
    shown = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert (shown.returncode, shown.stdout.strip()) == (0, f"influencers-club {__version__}")
    wrong = subprocess.run([*command, "jobs"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2  # usage: argparse's exit code, the table's "usage"
    assert "usage: influencers-club jobs" in wrong.stderr
