"""The top-level modules of ``toolkit/`` (the sandbox aside) import one another without a cycle.

A reader follows imports to understand a module, type-only ones included (``if
TYPE_CHECKING:`` names the types a signature speaks of), so the request core must read as a
stack: ``_call`` below the cache, results and reconciler, those below ``_lifecycle``, that
below ``_core``, that below ``_client``, that below ``_login``.

The nodes are ``toolkit`` itself, each ``toolkit/*.py``, and each subpackage but the sandbox
as one node (``toolkit.frames``, ``toolkit.store`` ...): importing any module of a package
runs its ``__init__``, so an import of ``toolkit.store._claims`` is an arrow to
``toolkit.store``, and every file of the package speaks for it. The sandbox has its own test
(``tests/sandbox/test_structure.py``) and imports nothing of the client (``test_layout.py``).

What counts: every import of a module of ``toolkit`` a module runs or declares, wherever it
is: at the top level, in ``if`` and ``try`` blocks (``TYPE_CHECKING`` included), in class
bodies and inside functions. A function-local import runs later (the toolkit uses them to
keep what is heavy or optional out of ``import toolkit``), but its arrow is still one a
reader follows, and a cycle through it is a knot all the same. Imports of other packages
(polars, pandas, plotly, a store's driver) are not nodes and do not count, however lazy.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: subpackages that are not nodes of the graph (and whose imports are not followed)
LEFT_OUT = frozenset({"sandbox"})


def _nodes(package: Path) -> dict[str, list[Path]]:
    """Each node of ``package`` (a directory) and the files that speak for it."""
    name = package.name
    nodes: dict[str, list[Path]] = {name: [package / "__init__.py"]}
    for path in sorted(package.glob("*.py")):
        if path.name != "__init__.py":
            nodes[f"{name}.{path.stem}"] = [path]
    for sub in sorted(p for p in package.iterdir() if (p / "__init__.py").is_file()):
        if sub.name not in LEFT_OUT:
            nodes[f"{name}.{sub.name}"] = sorted(sub.rglob("*.py"))
    return nodes


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, at its top level or inside a function, in order."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """What an import statement reaches, as absolute dotted names (``from a import b``:
    ``a.b``, a module of ``a`` or a name ``a`` defines)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: from the module's package, up one per extra dot
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{alias.name}" for alias in node.names]


def _node_of(name: str, nodes: dict[str, list[Path]]) -> str | None:
    """The node a dotted name lies in: a module, the subpackage holding it, or the package
    itself (``toolkit.connect``, a name its ``__init__`` defines); None outside it."""
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in LEFT_OUT:
        return None
    for end in (2, 1):
        if ".".join(parts[:end]) in nodes:
            return ".".join(parts[:end])
    return None


def import_graph(package: Path) -> dict[str, dict[str, str]]:
    """``{node: {imported node: "file:line" of its first import}}`` for ``package``.

    Importing ``toolkit.x`` runs ``toolkit/__init__.py`` first, as for any package: that
    implicit arrow is not drawn (it would make every module a cycle with the package);
    ``import toolkit`` or a name of its ``__init__`` is.
    """
    nodes = _nodes(package)
    graph: dict[str, dict[str, str]] = {}
    for node, files in nodes.items():
        edges = graph.setdefault(node, {})
        for path in files:
            module = _module_name(path, package)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for stmt in _imports(tree):
                for name in _imported(stmt, module, path.name == "__init__.py"):
                    target = _node_of(name, nodes)
                    if target is not None and target != node and target not in edges:
                        edges[target] = f"{path.relative_to(package.parent)}:{stmt.lineno}"
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """One cycle of ``graph`` as readable lines (``a -> b  (file:line)``), or None."""
    try:
        graphlib.TopologicalSorter({n: set(e) for n, e in graph.items()}).prepare()
    except graphlib.CycleError as err:
        cycle: list[str] = err.args[1]  # [a, ..., a], each node imported by the one after it
        return [
            f"{cycle[i + 1]} -> {cycle[i]}  ({graph[cycle[i + 1]][cycle[i]]})"
            for i in range(len(cycle) - 1)
        ]
    return None


def test_toolkit_modules_import_without_a_cycle() -> None:
    graph = import_graph(ROOT / "toolkit")
    assert {"toolkit._call", "toolkit._core", "toolkit._lifecycle", "toolkit.store"} <= set(graph)
    assert "toolkit._call" in graph["toolkit.cache"]  # type-only arrows are followed
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle:\n" + "\n".join(cycle or [])


def test_the_request_core_is_a_stack() -> None:
    """Each layer imports only what is below it: the order a reader meets them in."""
    graph = import_graph(ROOT / "toolkit")
    stack = ["toolkit._login", "toolkit._client", "toolkit._core", "toolkit._lifecycle"]
    below = {"toolkit.cache", "toolkit._reconcile", "toolkit._results", "toolkit._call"}
    for i, upper in enumerate(stack):
        for lower in [*stack[i + 1 :], *below]:
            assert upper not in graph[lower], f"{lower} imports {upper} ({graph[lower][upper]})"
    assert not {"toolkit._core", "toolkit._lifecycle", "toolkit._client"} & set(
        graph["toolkit._call"]
    )


def _package(tmp: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp / "pkg"


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        pytest.param(
            {
                "__init__.py": "",
                "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
                "b.py": "from pkg import a\n",
            },
            {"pkg.a", "pkg.b"},
            id="a type-only import closes it",
        ),
        pytest.param(
            {
                "__init__.py": "",
                "a.py": "from pkg.sub._x import X\n",
                "sub/__init__.py": "",
                "sub/_x.py": "from .. import a\n",
            },
            {"pkg.a", "pkg.sub"},
            id="through a subpackage's module, imported relatively",
        ),
        pytest.param(
            {
                "__init__.py": "from pkg.a import A\n",
                "a.py": "from pkg import A_NAME_OF_INIT\n",
            },
            {"pkg", "pkg.a"},
            id="a name of the package __init__",
        ),
        pytest.param(
            {
                "__init__.py": "from pkg.a import A\n",
                "a.py": "from pkg import b\n\ndef f():\n    from pkg import a\n",
                "b.py": "import os\n\ndef g():\n    from pkg.a import A\n",
            },
            {"pkg.a", "pkg.b"},
            id="a function-local import closes it too",
        ),
        pytest.param(
            {
                "__init__.py": "",
                "a.py": "import json\n\ndef f():\n    import polars\n    from pkg import b\n",
                "b.py": "def g():\n    import pandas\n",
            },
            None,
            id="lazy imports of other packages are no arrows",
        ),
    ],
)
def test_the_check_finds_a_cycle_where_there_is_one(
    tmp_path: Path, files: dict[str, str], cycle: set[str] | None
) -> None:
    found = find_cycle(import_graph(_package(tmp_path, files)))
    if cycle is None:
        assert found is None
    else:
        assert found is not None
        assert {line.split(" ")[0] for line in found} == cycle, found
