"""The typed public surface: the README's five lines pass ``mypy --strict`` with the types a
reader expects, the subpackages are attributes from the first touch in a fresh
interpreter, ``import toolkit`` stays light, ``dir(toolkit)`` does not depend on what ran
before, and the command line uses public names only."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[1]


def _five_lines() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Five lines", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert match, "README.md has no python block under '## Five lines'"
    return match.group(1)


def _mypy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> str:
    """mypy --strict (the project's configuration) on ``code``; its report."""
    path = tmp_path / "five_lines.py"
    path.write_text(code)
    monkeypatch.chdir(ROOT)  # toolkit is found from the repository, as `make test` runs it
    out, err, _ = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--strict", "--no-error-summary", str(path)]
    )
    return out + err


def test_the_readme_five_lines_pass_mypy_strict(tmp_path, monkeypatch) -> None:
    code = _five_lines()
    assert "ic.connect()" in code and "to_pandas()" in code
    reveal = [
        "client",
        "page",
        "page.to_pandas()",
        "client.ledger.to_pandas()",
        "ic.connect(asynchronous=True)",
        "ic.frames.convert",
    ]
    report = _mypy(tmp_path, monkeypatch, code + "".join(f"reveal_type({r})\n" for r in reveal))
    errors = [line for line in report.splitlines() if ": error:" in line]
    assert errors == [], report
    notes = re.findall(r'Revealed type is "(.*)"', report)
    assert len(notes) == len(reveal), report
    revealed = dict(zip(reveal, notes, strict=True))
    # the names the README promises, not Any (with Any, a wrong attribute would pass)
    assert revealed["client"] == "toolkit._client.Client"
    assert revealed["page"] == "toolkit._results.Page"
    assert revealed["page.to_pandas()"] == (
        "pandas.core.frame.DataFrame | toolkit.frames._tables.Tables[pandas.core.frame.DataFrame]"
    )
    assert revealed["client.ledger.to_pandas()"] == "pandas.core.frame.DataFrame"
    assert revealed["ic.connect(asynchronous=True)"] == "toolkit._client.AsyncClient"
    assert revealed["ic.frames.convert"].startswith("def (operation: str")  # the module, typed


def test_a_wrong_use_of_the_five_lines_is_an_error(tmp_path, monkeypatch) -> None:
    """The check above can fail: a misspelt method on the page is reported."""
    code = _five_lines().replace("page.to_pandas()", "page.to_pandsa()")
    report = _mypy(tmp_path, monkeypatch, code)
    assert 'has no attribute "to_pandsa"' in report, report


def _fresh(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_subpackages_are_attributes_on_first_touch() -> None:
    out = _fresh(
        "import toolkit as ic\n"
        "print(ic.charts.__name__, ic.frames.__name__, ic.jobs.__name__, "
        "ic.sandbox.__name__, ic.store.__name__)"
    )
    assert out.split() == [
        "toolkit.charts",
        "toolkit.frames",
        "toolkit.jobs",
        "toolkit.sandbox",
        "toolkit.store",
    ]


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    import toolkit

    with pytest.raises(AttributeError, match="no attribute 'chart'"):
        toolkit.chart  # noqa: B018


def test_import_toolkit_loads_no_plotting_nor_tables_nor_sandbox() -> None:
    out = _fresh(
        "import json, sys, toolkit\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('plotly', 'polars', 'pandas') or m.startswith('toolkit.sandbox'))))"
    )
    assert json.loads(out) == []


def test_dir_is_the_same_whatever_ran_before() -> None:
    out = _fresh(
        "import json, toolkit as ic\n"
        "before = dir(ic)\n"
        "import toolkit.frames, toolkit.jobs._batch, toolkit.sandbox\n"
        "ic.connect(quiet=True).close()\n"
        "print(json.dumps([before, dir(ic)]))"
    )
    before, after = json.loads(out)
    assert before == after
    assert {"charts", "frames", "jobs", "sandbox", "connect", "Client"} <= set(before)
    assert not [name for name in before if name.startswith("_") and name != "__version__"]


def test_the_command_line_imports_public_names_only() -> None:
    tree = ast.parse((ROOT / "toolkit" / "cli.py").read_text())
    private = sorted(
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
        if (alias.name.startswith("_") and alias.name != "__version__")
        or (node.module.startswith("toolkit.jobs."))
    )
    assert private == []
