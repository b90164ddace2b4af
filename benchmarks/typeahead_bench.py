"""Benchmark: the form's type-ahead vs a Combobox handed the full list, 50,000 values.

Run: python benchmarks/typeahead_bench.py [--values 50000]

The sandbox's locations dictionary is swapped for ``--values`` synthetic place names, so
the type-ahead asks the real sandbox endpoint (``search``, in-process transport) through
``toolkit.filters.DictionaryLookup``, exactly as the form does. Measured in one run:

- **type-ahead, per keystroke**: from the text box's value change to the suggestions set
  on the widget (debounce excluded: ``debounce=0``), for a first query (one request) and a
  repeated one (the session cache); and the bytes of widget messages that go to the
  browser for it (the comm messages, JSON-encoded, as the kernel would send them);
- **Combobox with every value**: the naive alternative. Its kernel does nothing per
  keystroke, so what it costs is paid up front: the bytes of its state sent to the browser
  and the kernel time to build and serialize it. With ``--browser``, headless Chromium
  (Debian's, via Playwright) also times filling a ``<datalist>`` with every value, which is
  what the Combobox view does on render.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

import comm

QUERIES = ("spr", "sprin", "port", "port l", "new", "new h", "san", "san j", "lake", "mount")


class RecordingComm:
    """A comm that keeps the size of every message the kernel would send to the browser."""

    sent_bytes = 0
    comm_id = "bench"
    kernel = "bench"  # truthy: ipywidgets only sends on a comm with a kernel

    def __init__(self, **kwargs: Any) -> None:
        RecordingComm.sent_bytes += len(json.dumps(kwargs.get("data") or {}, default=str))

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        RecordingComm.sent_bytes += len(json.dumps(data or {}, default=str))
        RecordingComm.sent_bytes += sum(len(b) for b in buffers or [])

    def on_msg(self, *_a: Any) -> None: ...
    def on_close(self, *_a: Any) -> None: ...
    def close(self, *_a: Any, **_k: Any) -> None: ...
    def open(self, *_a: Any, **_k: Any) -> None: ...


def place_names(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct made-up "Town, Region, Country" strings."""
    rng = random.Random(seed)
    heads = ["Spring", "Port", "New", "San", "Lake", "Mount", "East", "West", "North", "Fair"]
    tails = ["field", "land", "haven", "ford", "view", "ton", "wood", "dale", "bridge", "mouth"]
    regions = [f"Region {i}" for i in range(60)]
    countries = ["United States", "Canada", "Brazil", "India", "Spain", "Germany", "Japan"]
    out: dict[str, None] = {}
    while len(out) < n:
        town = f"{rng.choice(heads)}{rng.choice(tails)} {rng.randint(1, 999)}"
        out.setdefault(f"{town}, {rng.choice(regions)}, {rng.choice(countries)}", None)
    return list(out)


def typeahead(values: list[str]) -> dict[str, Any]:
    import toolkit as ic
    from toolkit.filters import DictionaryLookup
    from toolkit.sandbox.world import dictionaries as D
    from widgets import TypeaheadTags

    D.locations_for = lambda platform: values  # the sandbox endpoint now serves them
    client = ic.connect(quiet=True, sandbox={"creators": 200})
    lookup = DictionaryLookup(client)
    box = TypeaheadTags(
        lambda text: lookup.suggest("locations", text, platform="instagram"), debounce=0
    )
    cold, warm, sizes = [], [], []
    for rounds, times in ((1, cold), (3, warm)):
        for _ in range(rounds):
            for q in QUERIES:
                box._text.value = ""
                before = RecordingComm.sent_bytes
                t0 = time.perf_counter()
                box._text.value = q  # the browser's value change arrives
                times.append(time.perf_counter() - t0)  # suggestions are on the widget now
                sizes.append(RecordingComm.sent_bytes - before)
                assert len(box.options) <= lookup.limit
    client.close()
    return {
        "cold_ms": statistics.median(cold) * 1e3,
        "warm_ms": statistics.median(warm) * 1e3,
        "bytes_per_key": statistics.median(sizes),
        "requests": lookup.calls,
    }


def combobox(values: list[str]) -> dict[str, Any]:
    import ipywidgets as W

    before = RecordingComm.sent_bytes
    t0 = time.perf_counter()
    box = W.Combobox(options=values, ensure_option=True)
    build = time.perf_counter() - t0
    sent = RecordingComm.sent_bytes - before
    t0 = time.perf_counter()
    box.value = values[0]  # a keystroke: the kernel only echoes the value
    per_key = time.perf_counter() - t0
    return {"build_ms": build * 1e3, "bytes": sent, "kernel_per_key_ms": per_key * 1e3}


def datalist_in_chromium(values: list[str]) -> float | None:
    """Milliseconds for headless Chromium to fill a datalist with every value."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        page.set_content("<input list='dl'><datalist id='dl'></datalist>")
        ms = page.evaluate(
            """values => { const t0 = performance.now(); const dl = document.getElementById('dl');
            for (const v of values) { const o = document.createElement('option'); o.value = v;
            dl.appendChild(o); } document.body.offsetHeight; return performance.now() - t0; }""",
            values,
        )
        browser.close()
    return float(ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", type=int, default=50_000)
    parser.add_argument("--browser", action="store_true", help="also time Chromium's datalist")
    ns = parser.parse_args()
    comm.create_comm = RecordingComm  # count what would go to the browser
    values = place_names(ns.values)
    ta, cb = typeahead(values), combobox(values)
    dl = datalist_in_chromium(values) if ns.browser else None
    print(f"dictionary of {len(values):,} values ({sum(map(len, values)):,} characters)\n")
    print("| approach | per keystroke (kernel) | sent to the browser |")
    print("|---|---:|---:|")
    print(
        f"| type-ahead, first query (1 request) | {ta['cold_ms']:.2f} ms | "
        f"{ta['bytes_per_key']:,.0f} B per keystroke |"
    )
    print(f"| type-ahead, repeated query (cache) | {ta['warm_ms']:.2f} ms | same |")
    print(
        f"| Combobox with all values | {cb['kernel_per_key_ms']:.2f} ms (the browser filters) | "
        f"{cb['bytes']:,} B up front, built in {cb['build_ms']:.0f} ms |"
    )
    if dl is not None:
        print(f"| Combobox: Chromium filling its datalist | {dl:.0f} ms once per render | |")
    ratio = cb["bytes"] / max(ta["bytes_per_key"], 1)
    print(
        f"\nCombobox sends {ratio:,.0f}x the bytes of one type-ahead keystroke before the "
        f"user types anything; the type-ahead made {ta['requests']} requests for "
        f"{len(QUERIES) * 4} keystrokes."
    )


if __name__ == "__main__":
    main()
