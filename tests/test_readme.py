"""Every Python snippet in the README runs as written, in order, on the sandbox.

The snippets share one namespace, as they would in one notebook, and run in a temporary
folder so files they write (exports, Parquet) land there. No key is set: ``connect()``
gives the sandbox.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def test_the_readme_has_snippets() -> None:
    assert len(BLOCKS) >= 4


def test_every_readme_snippet_runs_on_the_sandbox(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for number, block in enumerate(BLOCKS, 1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except TimeoutError:
            assert "timeout=0" in block  # documented: stops waiting, the job kept
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README python block {number} failed: {exc!r}\n{block}")


def test_the_layout_names_every_module_a_reader_meets() -> None:
    """Each module and subpackage of toolkit/ is named in the README's layout section."""
    text = (ROOT / "README.md").read_text()
    layout = text[text.index("## Layout") :]
    layout = layout[: layout.index("```", layout.index("```") + 3)]
    toolkit = ROOT / "toolkit"
    names = [p.name for p in toolkit.glob("*.py")]
    names += [f"{p.name}/" for p in toolkit.iterdir() if (p / "__init__.py").exists()]
    assert [n for n in sorted(names) if n not in layout] == []
