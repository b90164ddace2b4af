"""Filter kinds are data read by both the validator and the form: every kind has an entry,
every control a class, and what a control holds is what the validator accepts."""

from __future__ import annotations

import pytest

from toolkit.filters import (
    FILTERS,
    KINDS,
    PLATFORMS,
    SOURCES,
    DictionaryLookup,
    filters_for,
    range_bounds,
    validate_filters,
)
from widgets import CONTROLS, TypeaheadTags
from widgets._controls import make_control, parse_number
from widgets._typeahead import Debouncer

#: A valid value per control, as a user would leave it (dictionary values come from the
#: sandbox, so they are real dictionary values).
SAMPLES = {
    "range": {"min": 1_000, "max": 50_000},
    "growth": {"growth_percentage": 5, "time_range_months": 6},
    "tags": ["fitness", "travel"],
    "integers": [3, 7],
    "tristate": False,
    "flags": {"has_youtube": True},
    "number": 2.5,
    "days": 30,
    "text": "vegan recipes",
    "weighted_one": {"type": "female", "min_pct": 40},
}


def test_every_kind_and_control_is_declared() -> None:
    assert {f.kind for f in FILTERS} <= set(KINDS)
    assert {f.control for f in FILTERS if f.kind != "object"} <= set(CONTROLS)
    assert {f.dictionary for f in FILTERS if f.dictionary} <= set(SOURCES)


def test_an_unknown_kind_is_reported_not_crashed() -> None:
    from dataclasses import replace

    from toolkit.filters import _validate_value

    spec = replace(FILTERS[0], kind="colour")  # type: ignore[arg-type]
    problems: dict[str, str] = {}
    _validate_value(spec, "red", problems, spec.key)
    assert problems == {spec.key: "unsupported filter kind colour"}


def _sample(spec, lookup: DictionaryLookup, platform: str):
    if spec.control == "choice":
        return spec.enum[-1]
    if spec.dictionary:
        source = SOURCES[spec.dictionary]
        values = [v for _l, v in lookup.options(source.name, platform=platform)][:2]
        if spec.kind == "weighted_list":
            return [{spec.item_fields[0]: v, "min_pct": 10} for v in values]
        return values
    if spec.kind == "weighted_list":
        return [{spec.item_fields[0]: "18-24", "min_pct": 10}]
    if spec.control == "range" and range_bounds(spec)[1] == 100:
        return {"min": 1, "max": 50}  # a share, in percent
    return SAMPLES[spec.control]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_control_round_trips_a_value_the_validator_accepts(wired, platform) -> None:
    client, _rec = wired
    lookup = DictionaryLookup(client)
    for spec in filters_for(platform):
        if spec.kind == "object":
            continue
        control = make_control(spec, lookup=lookup, platform=platform, debounce=0)
        value = _sample(spec, lookup, platform)
        control.value = value
        assert control._read() == value, spec.key  # the inputs show it and give it back
        parent, _, child = spec.key.partition(".")
        wire = {parent: {child: value}} if child else {spec.key: value}
        assert validate_filters(platform, wire), spec.key
        control.value = None
        assert control._read() is None, spec.key


def test_the_label_and_help_come_from_the_schema() -> None:
    spec = next(f for f in FILTERS if f.key == "ai_search")
    control = make_control(spec)
    assert "AI search" in control._label.value
    assert "3-150 characters" in control._label.value  # the help text, as a tooltip


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("50k", 50_000),
        ("1.5M", 1_500_000),
        ("12,000", 12_000),
        ("2.5", 2.5),
        ("abc", "abc"),  # left for the schema to name in its message
    ],
)
def test_typed_numbers(text, value) -> None:
    assert parse_number(text) == value


def test_typeahead_asks_once_the_typing_settles() -> None:
    asked: list[str] = []

    def suggest(text: str) -> list[tuple[str, str]]:
        asked.append(text)
        return [(f"{text} city", f"{text}-city")]

    box = TypeaheadTags(suggest, debounce=60)  # a long pause: nothing fires by itself
    for text in ("p", "pa", "par", "pari"):
        box._text.value = text
    assert asked == []
    box._debouncer.flush()
    assert asked == ["pari"]
    assert box.options == [("pari city", "pari-city")]
    box._choices.value = "pari-city"
    assert box.value == ["pari-city"]
    assert box._text.value == "" and box.options == []


def test_debouncer_cancel_drops_the_call() -> None:
    calls: list[int] = []
    d = Debouncer(60, calls.append)
    d(1)
    assert d.pending
    d.cancel()
    d.flush()
    assert calls == [] and not d.pending
