"""The typed public surface: the README's five lines pass ``mypy --strict`` with the types a
reader expects, the public names and the subpackages are attributes from the first touch in
a fresh interpreter, ``import toolkit`` loads the standard library and the exceptions only
(its time against pandas, polars and plotly is in benchmarks/import_bench.py, not here),
``dir(toolkit)`` does not depend on what ran before, and the command line uses public names
only."""

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


def test_import_toolkit_loads_the_standard_library_and_the_exceptions_only() -> None:
    """No httpx, polars, pandas, plotly (nor any other installed package), and none of the
    toolkit modules that define a name loaded on first touch, until a name is touched."""
    out = _fresh(
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import toolkit\n"
        "new = set(sys.modules) - before\n"
        "print(json.dumps([sorted(new), sorted(set(toolkit._LAZY_NAMES.values()))]))"
    )
    new, lazy_modules = json.loads(out)
    others = sorted({m.split(".")[0] for m in new} - set(sys.stdlib_module_names) - {"toolkit"})
    assert others == []
    loaded = {m for m in new if m.split(".")[0] == "toolkit"}
    subpackages = {m for m in loaded if m.split(".")[1:2] and not m.split(".")[1].startswith("_")}
    assert subpackages == set()  # ic.frames, ic.filters, ic.store ... only when touched
    assert loaded & set(lazy_modules) == set()
    assert {"toolkit._exceptions", "toolkit._version"} <= loaded


def test_touching_a_name_loads_what_it_needs_and_no_more() -> None:
    """``ic.connect`` brings httpx and the client, still without tables, plots or sandbox;
    ``ic.frames`` brings polars without the client."""
    out = _fresh(
        "import json, sys, toolkit as ic\n"
        "ic.connect\n"
        "after_connect = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print(json.dumps([after_connect, 'toolkit.sandbox' in sys.modules]))"
    )
    top, sandbox = json.loads(out)
    assert "httpx" in top and not {"polars", "pandas", "plotly"} & set(top) and not sandbox
    out = _fresh(
        "import json, sys, toolkit as ic\n"
        "ic.frames\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('httpx', 'polars')))))"
    )
    assert "polars" in json.loads(out) and "httpx" not in json.loads(out)


def _type_checking_imports() -> dict[str, str]:
    """The names ``toolkit/__init__.py`` imports for the type checker, by module."""
    tree = ast.parse((ROOT / "toolkit" / "__init__.py").read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "toolkit"
        for alias in node.names
    }


def test_every_lazy_name_is_typed_exported_and_resolves_in_a_fresh_interpreter() -> None:
    """The first-touch table, the type checker's imports and ``__all__`` say the same
    thing; each name, touched first in a fresh interpreter, is the object its module
    defines."""
    import toolkit

    assert _type_checking_imports() == toolkit._LAZY_NAMES
    assert set(toolkit._LAZY_NAMES) <= set(toolkit.__all__)
    out = _fresh(
        "import importlib, json, toolkit\n"
        "print(json.dumps({name: getattr(toolkit, name) is "
        "getattr(importlib.import_module(module), name) "
        "for name, module in toolkit._LAZY_NAMES.items()}))"
    )
    assert json.loads(out) == dict.fromkeys(toolkit._LAZY_NAMES, True)
    out = _fresh("from toolkit import *\nprint(Client.__name__, connect.__name__)")
    assert out.split() == ["Client", "connect"]


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
    files = sorted((ROOT / "toolkit" / "cli").glob("*.py"))
    assert files, "the command line's package toolkit/cli/ has no modules"
    private = sorted(
        f"{node.module}.{alias.name}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
        if (alias.name.startswith("_") and alias.name != "__version__")
        or (node.module.startswith("toolkit.jobs."))
    )
    assert private == []
