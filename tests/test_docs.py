"""Every call the docs show names something that exists, with keywords it takes.

The README's snippets run as written (tests/test_readme.py); the other docs are reference
pages whose snippets use placeholders (``handles``, ``campaign_id``), so they cannot run.
What can be checked is what a reader copies: each ``client.…(…)``, ``ic.…``, ``frames.…``,
``charts.…`` and ``planning.…`` call, in code blocks and inline code alike, must resolve
to a real attribute, and every ``name=`` it shows must be a parameter of that callable.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import toolkit
from toolkit import charts, frames, planning
from toolkit._connect import sandbox_client
from toolkit.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# a call whose arguments hold no parentheses: ``client.batch.run(csv, mode="raw")``
CALL = re.compile(r"\b(client|aclient|ic|frames|charts|planning)((?:\.[A-Za-z_]\w*)+)\(([^()]*)\)")
KEYWORD = re.compile(r"(?<![\w=!<>.])([a-z_][a-z0-9_]*)\s*=(?!=)")


def _calls() -> Iterator[tuple[str, str, str, str]]:
    for doc in DOCS:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for m in CALL.finditer(line):
                yield f"{doc.name}:{number}", m.group(1), m.group(2)[1:], m.group(3)


CALLS = list(_calls())


@pytest.fixture(scope="module")
def roots() -> Iterator[dict[str, Any]]:
    sb = Sandbox(seed=7, creators=50)
    # as ic.connect() builds them without a key: client.sandbox (its clock) is documented too
    client = sandbox_client(sb)
    aclient = sandbox_client(sb, asynchronous=True)
    yield {
        "client": client,
        "aclient": aclient,
        "ic": toolkit,
        "frames": frames,
        "charts": charts,
        "planning": planning,
    }
    client.close()


def test_the_docs_show_calls() -> None:
    assert len(CALLS) > 100


@pytest.mark.parametrize(("where", "root", "path", "args"), CALLS, ids=[c[0] for c in CALLS])
def test_a_documented_call_exists_and_takes_its_keywords(
    roots: dict[str, Any], where: str, root: str, path: str, args: str
) -> None:
    target: Any = roots[root]
    for name in path.split("."):
        assert hasattr(target, name), f"{where}: {root}.{path} — no attribute {name!r}"
        target = getattr(target, name)
    assert callable(target), f"{where}: {root}.{path} is not callable"
    try:
        params = inspect.signature(target).parameters
    except (TypeError, ValueError):  # a builtin without a signature: nothing to check
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for keyword in KEYWORD.findall(args):
        assert keyword in params, f"{where}: {root}.{path}() takes no {keyword}="
