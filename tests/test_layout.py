"""The arrows of the design point one way: widgets -> toolkit, client -/-> sandbox -/-> client."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_toolkit_never_imports_ipywidgets() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "toolkit").rglob("*.py")
        if any(m.split(".")[0] == "ipywidgets" for m in _imported_modules(p))
    ]
    assert offenders == []


def test_sandbox_imports_nothing_of_the_client() -> None:
    # the facts both sides of the wire share: platforms, the operation rows, the prices
    allowed = (
        "toolkit.sandbox",
        "toolkit.filters",
        "toolkit._facts",
        "toolkit._operations",
        "toolkit._prices",
    )
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            m for m in _imported_modules(p) if m.startswith("toolkit") and not m.startswith(allowed)
        )
        for p in (ROOT / "toolkit" / "sandbox").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_client_code_paths_do_not_load_the_sandbox() -> None:
    code = (
        "import sys, toolkit, toolkit.frames\n"
        "c = toolkit.Client(api_key='sk_test_not_real', base_url='https://example.invalid')\n"
        "c.close()\n"
        "bad = sorted(m for m in sys.modules if m.startswith('toolkit.sandbox') or m == 'ipywidgets')\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_charts_import_frames_and_plotly_only() -> None:
    """charts -> frames (design arrow): never the client, the resources or ipywidgets
    (``toolkit._format``, how numbers are written, imports nothing of the toolkit)."""
    allowed = ("toolkit.charts", "toolkit.frames", "toolkit._format")
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            m
            for m in _imported_modules(p)
            if (m.startswith("toolkit") and not m.startswith(allowed)) or m == "ipywidgets"
        )
        for p in (ROOT / "toolkit" / "charts").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_core_imports_no_name_from_the_package_init() -> None:
    """``from toolkit import X`` in the core must name a submodule, never something the
    package ``__init__`` defines (that would make the core depend on the whole package)."""
    offenders = []
    for name in ("_core.py", "_lifecycle.py", "_client.py"):
        tree = ast.parse((ROOT / "toolkit" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "toolkit" and node.level == 0:
                for alias in node.names:
                    sub = ROOT / "toolkit" / alias.name
                    if not (sub.with_suffix(".py").exists() or (sub / "__init__.py").exists()):
                        offenders.append(f"{name}: {alias.name}")
    assert offenders == []
