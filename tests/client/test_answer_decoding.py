"""Answers are decoded by msgspec with the stdlib behind it: the same values as
``json.loads`` for everything the stdlib accepts, the same refusal for what it does not."""

from __future__ import annotations

import json

import pytest

from toolkit import _core

SAME = [
    b'{"result": {"id": 123456789012345678901234567890}}',  # beyond 64 bits: exact
    b'{"a": 1, "a": 2}',  # a repeated key: the last wins
    b'{"x": 0.1, "y": -2.5e-308, "z": 1e16, "s": "caf\\u00e9 \\ud83d\\ude00"}',
    b'\xef\xbb\xbf{"bom": true}',  # msgspec refuses a BOM; the stdlib skips it
    b'{"n": NaN, "i": -Infinity}',  # not JSON, but the stdlib took it before
    b'{"huge": 1e400}',  # beyond a double: inf, as before
    '{"utf16": "ü"}'.encode("utf-16"),
    b'  [1, "two", null, false]  ',
]


@pytest.mark.parametrize("content", SAME)
def test_values_are_what_json_loads_gives(content: bytes) -> None:
    got, want = _core._loads(content), json.loads(content)
    assert repr(got) == repr(want)  # repr: NaN compares unequal to itself


@pytest.mark.parametrize(
    "content", [b'{"result": {"id": 1', b'{"a": 1} trailing', b"<html>Bad Gateway</html>", b"\xff"]
)
def test_what_the_stdlib_refuses_still_raises(content: bytes) -> None:
    with pytest.raises((ValueError, UnicodeDecodeError)):
        json.loads(content)
    with pytest.raises((ValueError, UnicodeDecodeError)):
        _core._loads(content)
