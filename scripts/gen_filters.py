"""Generate toolkit/filters/_fields.py from the API contract (contract/endpoints.json).

Run: python scripts/gen_filters.py [path/to/endpoints.json]
The output is committed; tests/test_filters.py checks it is still in step with the contract
when the contract is available beside the checkout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONTRACT = ROOT / "contract" / "endpoints.json"  # the repo's copy (contract/README.md)
OUT = ROOT / "toolkit" / "filters" / "_fields.py"
DOC = ROOT / "docs" / "filters.md"

# Which dictionary endpoint feeds a list filter.
DICTIONARIES = {
    "location": "locations",
    "profile_language": "languages",
    "brands": "brands",
    "topics": "yt_topics",
    "games_played": "games",
    "audience.location": "audience_locations",
    "audience.interests": "audience_interests",
    "audience.brands": "audience_brand_names",
    "audience.brand_categories": "audience_brand_categories",
    "audience.language": "languages",
}

# The values an audience item's key takes where no dictionary lists them: the age bands are
# the enrichment's age codes (``audience_ages[].code`` in a full enrichment), the genders
# the top-level ``gender`` filter's. The check and docs/filters.md both read them from the
# generated rows (``FilterSpec.enum``).
ITEM_ENUMS = {
    "audience.age": ("13-17", "18-24", "25-34", "35-44", "45-64", "65-"),
    "audience.gender": ("male", "female"),
}

DAYS = {
    "last_post",
    "last_upload_long_video",
    "last_upload_short_video",
    "last_stream_upload",
    "most_recent_stream_date",
    "last_active",
}


def kind_of(name: str, typ: str) -> str:
    if name in DAYS:
        return "days"
    if typ.startswith("object{min"):
        return "range"
    if typ.startswith("object{growth"):
        return "growth"
    if typ == "string[]":
        return "string_list"
    if typ == "integer[]":
        return "integer_list"
    if typ == "boolean":
        return "boolean"
    if typ == "object<string,boolean>":
        return "flags"
    if typ == "number":
        return "number"
    if typ == "integer":
        return "integer"
    if typ == "string":
        return "string"
    if typ == "object":
        return "object"
    if typ.startswith("array<{"):
        return "weighted_list"
    raise SystemExit(f"unknown filter type {typ!r} for {name}")


COLUMNS = (
    "key",
    "kind",
    "platforms",
    "enum",
    "dictionary",
    "min_length",
    "max_length",
    "max_items",
    "item_fields",
    "source",
    "notes",
)


def check_platforms(ops: dict[str, dict]) -> tuple[str, ...]:
    """The contract's discovery platforms, refused unless ``toolkit._facts`` says the same."""
    sys.path.insert(0, str(ROOT))
    from toolkit import _facts

    for op, ours in (
        ("discovery_search", _facts.DISCOVERY_PLATFORMS),
        ("discovery_similar_creators", _facts.SIMILAR_PLATFORMS),
    ):
        theirs = tuple(ops[op]["request_fields"][0]["enum"])
        if theirs != ours:
            raise SystemExit(f"{op}: the contract lists {theirs}, toolkit/_facts.py {ours}")
    return _facts.DISCOVERY_PLATFORMS


def cite_by_name(note: str, ops: dict[str, dict]) -> str:
    """``note`` with each "METHOD /path/" it cites named by its operation: a path is written
    only in toolkit/_operations.py."""
    for op in ops.values():
        note = note.replace(f"{op['method']} {op['path']}", f"the {op['name']} operation")
    return note


def literal(value: object) -> str:
    """A Python literal as ``ruff format`` writes it (double quotes), for str/int/None/tuples."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def row_source(row: dict, all_platforms: tuple[str, ...]) -> str:
    """One filter as a tuple literal in ``COLUMNS`` order (``PLATFORMS`` for all of them)."""
    cells = [
        "PLATFORMS" if k == "platforms" and row[k] == all_platforms else literal(row[k])
        for k in COLUMNS
    ]
    return f"    ({', '.join(cells)}),"


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CONTRACT
    ops = {op["name"]: op for op in json.loads(src.read_text())}
    all_platforms = check_platforms(ops)
    rows = []
    for f in ops["discovery_search"]["request_fields"]:
        name = f["name"]
        if not name.startswith("filters.") or name == "filters":
            continue
        key = name.removeprefix("filters.")
        limits = f.get("limits") or ""
        min_len = max_len = max_items = None
        if limits.endswith("chars"):
            lo, hi = limits.split()[0].split("-")
            min_len, max_len = int(lo), int(hi)
        if limits.startswith("max ") and limits.endswith("items"):
            max_items = int(limits.split()[1])
        item_fields: tuple[str, ...] = ()
        typ = f["type"]
        if typ.startswith("array<{"):
            inner = typ[len("array<{") : -2]
            item_fields = tuple(p.split(":")[0] for p in inner.split(","))
        elif typ.startswith("object{") and not typ.startswith(("object{min", "object{growth")):
            inner = typ[len("object{") : -1]
            item_fields = tuple(p.split(":")[0] for p in inner.split(","))
        rows.append(
            dict(
                key=key,
                kind=kind_of(key, typ) if key != "audience.gender" else "weighted_object",
                platforms=tuple(f.get("platforms") or ()),
                enum=tuple(f.get("enum") or ()) or ITEM_ENUMS.get(key, ()),
                dictionary=DICTIONARIES.get(key),
                min_length=min_len,
                max_length=max_len,
                max_items=max_items,
                item_fields=item_fields,
                source=f.get("source", ""),
                notes=cite_by_name(f.get("notes", ""), ops),
            )
        )
    sort_field = next(
        x for x in ops["discovery_search"]["request_fields"] if x["name"] == "sort.sort_by"
    )
    lines = [
        '"""GENERATED by scripts/gen_filters.py from contract/endpoints.json. Do not edit.',
        "",
        "Every discovery filter of the contract, one row each in ``COLUMNS`` order; ``PLATFORMS``",
        "(all the discovery platforms) is ``toolkit._facts``', which the generator checks the",
        'contract agrees with."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        "from toolkit._facts import DISCOVERY_PLATFORMS as PLATFORMS",
        "",
        f"SORT_BY: tuple[str, ...] = {literal(tuple(sort_field['enum']))}",
        "",
        "# fmt: off",
        f"COLUMNS: tuple[str, ...] = {literal(COLUMNS)}",
        "_ROWS: tuple[tuple[Any, ...], ...] = (",
    ]
    lines += [row_source(r, all_platforms) for r in rows]
    lines += [
        ")",
        "# fmt: on",
        "",
        "FIELDS: tuple[dict[str, Any], ...] = tuple(dict(zip(COLUMNS, row, strict=True)) for row in _ROWS)",
    ]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(rows)} filters to {OUT.relative_to(ROOT)}")
    # the schema module was just rewritten: load the fresh one before rendering the docs
    import importlib

    sys.path.insert(0, str(ROOT))
    import toolkit.filters._fields as fields

    importlib.reload(fields)
    import toolkit.filters as filters

    importlib.reload(filters)
    DOC.write_text(filters_doc())
    print(f"wrote {DOC.relative_to(ROOT)}")


def audience_rows(filters) -> list[str]:
    """One row per audience sub-filter: its item keys and where its values come from."""
    rows = []
    for s in filters.filters_for("instagram"):
        if s.parent != "audience" or not s.item_fields:
            continue
        keys = "{" + ", ".join(f"`{k}`" for k in s.item_fields) + "}"
        if s.enum:
            values = f"`{s.item_fields[0]}` one of " + ", ".join(f"`{v}`" for v in s.enum)
        else:
            values = f"`{s.item_fields[0]}` from `client.dictionary.{s.dictionary}()`"
        rows.append(f"| `{s.key}` | {keys} | {values} |")
    return rows


def filters_doc() -> str:
    """docs/filters.md: one table per platform, read from toolkit.filters (so it can't drift)."""
    sys.path.insert(0, str(ROOT))
    import toolkit.filters as filters

    parts = [
        "# Discovery filters",
        "",
        "GENERATED by scripts/gen_filters.py from toolkit/filters; do not edit by hand.",
        "",
        "Pass filters as a dict: keys from the table of the platform, values shaped as the",
        "*value* column says. The client checks them before anything is sent: an unknown key",
        "(the API would silently ignore it and still charge for the unfiltered results), a",
        "key of another platform, a wrong type, min above max, a share outside 0-100, and a",
        "dictionary-backed value (location, language, brand, topic, game, audience lists) that",
        "its free dictionary does not know (the API would match nothing and charge anyway):",
        "",
        "```python",
        'client.discovery.search("instagram", filters={',
        '    "number_of_followers": {"min": 10000, "max": 500000},',
        '    "engagement_percent": {"min": 2.5},',
        '    "location": ["United States"],',
        '    "last_post": 30,',
        "})",
        "```",
        "",
        "A dictionary-backed value must be a value its dictionary holds. Case and spacing",
        "are forgiven (`united  states` is sent as `United States`, `NIKE` as `nike`);",
        "anything else is refused before sending, with the closest values the dictionary",
        "holds: `'Untied States' is not in the locations dictionary (did you mean 'United",
        "States'?)`, `'US'` and `'USA'` point to `'United States'`, `'fitness'` to",
        "`'Fitness & Yoga'`, `'Nkie'` to `'nike'`. A value the dictionary's search finds only",
        "inside longer names (`New York` in `New York, New York, United States`) is refused",
        "too: the API would match nothing. `client.dictionary.<name>()` lists every value,",
        "and the discovery form offers them as you type (text typed and not picked is taken",
        "when it is a value, and otherwise stops the search). A filter of another platform",
        "is pointed to its name on this one (`number_of_followers` on YouTube:",
        "`number_of_subscribers`). A dictionary that cannot be fetched (an outage that",
        "outlasts the client's retries on 429 and 5xx) refuses the search with",
        "`toolkit.filters.DictionaryUnreachableError` and sends nothing (the form shows it",
        "under the field): retry, or set `ClientConfig(check_filter_values=False)`, which",
        "skips the dictionary check and sends the values unchecked.",
        "",
        "## Audience filters (Instagram)",
        "",
        "Each audience list takes objects with the keys below; `min_pct` (0-100, optional)",
        "is the least share of the audience:",
        "",
        "```python",
        'client.discovery.search("instagram", filters={"audience": {',
        '    "location": [{"name": "United States", "min_pct": 20}],',
        '    "age": [{"range": "18-24", "min_pct": 30}],',
        '    "language": [{"language_abbr": "en", "min_pct": 50}],',
        '    "interests": [{"name": "Fitness & Yoga", "min_pct": 10}],',
        '    "gender": {"type": "female", "min_pct": 60},',
        "}})",
        "```",
        "",
        "| audience filter | each item | values |",
        "|---|---|---|",
        *audience_rows(filters),
        "",
        f"Days-since filters (`last_post`, ...) take 0-{filters.MAX_DAYS:,} days.",
        "",
    ]
    for platform in filters.PLATFORMS:
        follower = filters.FOLLOWER_FILTER[platform] or "none"
        parts += [f"## {platform}", "", f"Follower-count filter: `{follower}`.", ""]
        parts += [filters.markdown_table(platform), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    main()
