"""Public surface of toolkit.frames: exported names and the generated docs being current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import toolkit.frames as frames

ROOT = Path(__file__).resolve().parents[2]


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(frames) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(frames, n)).__name__ == "module"}
    assert set(frames.__all__) == public - modules


def test_generated_docs_are_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_frames_doc", ROOT / "scripts" / "gen_frames_doc.py"
    )
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    on_disk = (ROOT / "docs" / "frames.md").read_text(encoding="utf-8")
    assert on_disk == gen.render(), "run python scripts/gen_frames_doc.py"
    for name in frames.TABLES:
        assert f"`{name}`" in on_disk
