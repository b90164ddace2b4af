"""The sandbox's layout keeps its promises: every route module registered explicitly, a
broken module fails loudly, no import cycles, modules of a few hundred lines, and the map
in docs/sandbox.md names the module that really serves each API path."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

from contract import operations
from toolkit.sandbox import Sandbox, routes

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "toolkit" / "sandbox"


def _runtime_imports(path: Path, package: str) -> set[str]:
    """Modules ``path`` imports when it runs (``TYPE_CHECKING`` blocks left out)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                found.add(target)
                for alias in node.names:  # ``from . import x`` imports the submodule x
                    found.add(f"{target}.{alias.name}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                pass
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit([child])

    visit(tree.body)
    return found


def _modules() -> dict[str, Path]:
    out = {}
    for path in SANDBOX.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def test_every_route_module_is_registered_by_name() -> None:
    public = {
        name for _f, name, _p in pkgutil.iter_modules(routes.__path__) if not name.startswith("_")
    }
    assert {m.__name__.rsplit(".", 1)[1] for m in routes.MODULES} == public
    source = "\n".join(p.read_text() for p in SANDBOX.rglob("*.py"))
    assert "importlib" not in source  # nothing is loaded by a name computed at run time


def test_a_route_module_that_fails_to_import_fails_the_sandbox() -> None:
    code = (
        "import sys, importlib.abc\n"
        "class Broken(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'toolkit.sandbox.routes.accounts':\n"
        "            raise ImportError('simulated breakage')\n"
        "sys.meta_path.insert(0, Broken())\n"
        "try:\n"
        "    import toolkit.sandbox\n"
        "except ImportError as exc:\n"
        "    print('failed:', exc)\n"
        "else:\n"
        "    print('imported; routes:', len(toolkit.sandbox.Sandbox(creators=50).router.routes))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "failed: simulated breakage"


def test_no_import_cycles_inside_the_sandbox() -> None:
    mods = _modules()
    graph = {
        name: {
            dep
            for dep in _runtime_imports(
                path, name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
            )
            if dep in mods and dep != name
        }
        for name, path in mods.items()
    }
    # a package's __init__ importing its own submodules is how packages work, not a cycle
    for name in graph:
        graph[name] = {d for d in graph[name] if not (name.startswith(d + ".") and d in mods)}
    cycles = []

    def walk(node: str, stack: list[str], done: set[str]) -> None:
        if node in stack:
            cycles.append([*stack[stack.index(node) :], node])
            return
        if node in done:
            return
        for dep in sorted(graph[node]):
            walk(dep, [*stack, node], done)
        done.add(node)

    finished: set[str] = set()
    for name in sorted(graph):
        walk(name, [], finished)
    assert cycles == []
    assert "toolkit.sandbox._app" not in graph["toolkit.sandbox._faults"]


def test_modules_stay_a_few_hundred_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in SANDBOX.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert long == {}


def _doc_map() -> list[tuple[str, str]]:
    """(path pattern, module) rows of the map in docs/sandbox.md."""
    text = (ROOT / "docs" / "sandbox.md").read_text()
    rows = re.findall(r"^\| `([A-Z]+ /[^`]+)` \| `routes/(\w+)\.py` \|", text, re.M)
    return rows


def test_docs_map_names_the_module_serving_each_endpoint() -> None:
    sb = Sandbox(creators=50)
    served = {
        f"{r.method} {r.template}": r.handler.__module__.rsplit(".", 1)[1] for r in sb.router.routes
    }
    documented = dict(_doc_map())
    for op in operations():
        key = f"{op['method']} {op['path']}"
        assert key in served, f"the sandbox does not serve {key}"
        assert documented.get(key) == served[key], key
    assert set(documented) <= set(served)
