"""``DiscoveryForm``: the discovery filter form, built from ``toolkit.filters``.

Fields come from the schema of the chosen platform (one control per filter kind, labels
and help from the schema); dictionary-backed fields read the dictionary endpoints once
per session through ``toolkit.filters.DictionaryLookup``. Before anything is sent the
form checks its filters with the same ``validate_filters`` the client uses and shows the
worst-case cost (``toolkit.estimate``) next to the balance.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import Dict, Float, Int, List, Unicode, observe

import toolkit as ic
from toolkit._facts import MAX_REACHABLE
from toolkit.filters import (
    FOLLOWER_FILTER,
    PLATFORMS,
    SOURCES,
    DictionaryLookup,
    FilterError,
    filters_for,
    lookup_for,
    sorts_for,
    validate_filters,
)

from ._actions import PickActions
from ._controls import FilterControl, make_control
from ._results import download_link, export_frame, results_html, styles

__all__ = ["DiscoveryForm"]

#: Shown first on every platform; the rest go under "More filters".
PRIMARY = (
    "ai_search",
    "location",
    "number_of_followers",
    "number_of_subscribers",
    "followers",
    "engagement_percent",
    "gender",
    "profile_language",
    "topics",
    "games_played",
    "last_post",
    "is_verified",
)
PAGE_SIZES = (10, 25, 50)


class DiscoveryForm(W.VBox):
    """Search creators with a form: pick a platform, fill filters, see the cost, search.

    ``results`` (pandas) and ``request`` (the exact body sent) are set by each search;
    ``to_dict()`` is a saved search that ``DiscoveryForm(client, filters=...)`` or
    :meth:`load` restores, and :meth:`search` runs it without clicking.

    >>> import toolkit as ic
    >>> form = DiscoveryForm(ic.connect(quiet=True), filters={"platform": "youtube",
    ...     "filters": {"number_of_subscribers": {"min": 100_000}}, "limit": 10})
    >>> form.search().shape[0]
    10
    """

    platform = Unicode("instagram")
    sort_by = Unicode("relevancy")
    sort_order = Unicode("desc")
    limit = Int(25)
    cost = Float(0.0)
    balance = AnyTrait(None)
    request = Dict()
    results = AnyTrait(None)
    total = AnyTrait(None)
    dropped = List[Any]()
    selected = List[Any]()

    def __init__(
        self,
        client: ic.Client,
        *,
        filters: Mapping[str, Any] | None = None,
        platform: str | None = None,
        debounce: float = 0.3,
        export_dir: str | Path = "exports",
    ) -> None:
        self.client = client
        self.lookup = lookup_for(client)  # the same cache the search's value check reads
        self.export_dir = Path(export_dir)
        self.controls: dict[str, FilterControl] = {}
        self._debounce = debounce
        self._page: int | None = None
        self._query: tuple[str, dict[str, Any]] | None = None
        saved = _saved(filters, platform)

        self._platform = W.Dropdown(description="Platform", options=PLATFORMS)
        self._sort_by = W.Dropdown(description="Sort by")
        self._sort_order = W.ToggleButtons(options=["desc", "asc"], style={"button_width": "4em"})
        self._limit = W.Dropdown(description="Page size", options=PAGE_SIZES, value=25)
        self._notice = W.HTML("")
        self._primary = W.GridBox(layout=W.Layout(grid_template_columns="repeat(3, 1fr)"))
        self._more = W.Accordion()
        self._cost = W.HTML("")
        self._cost.add_class("ic-cost")
        self._search = W.Button(description="Search", button_style="primary", icon="search")
        self._next = W.Button(description="More", icon="plus", disabled=True)
        self._csv = W.Button(description="Export CSV", icon="download", disabled=True)
        self._parquet = W.Button(description="Export Parquet", icon="download", disabled=True)
        self._status = W.HTML("")
        self._status.add_class("ic-status")
        self._table = W.HTML("", layout=W.Layout(max_height="34em", overflow="auto"))
        self._table.add_class("ic-table")
        self._downloads = W.HTML("")
        self.out = W.Output()
        self.actions = PickActions(self)
        for w, name in ((self._search, "search"), (self._next, "more")):
            w.add_class(f"ic-{name}")
        self._csv.add_class("ic-export-csv")
        self._parquet.add_class("ic-export-parquet")

        super().__init__(
            [
                W.HBox([self._platform, self._sort_by, self._sort_order, self._limit]),
                self._notice,
                self._primary,
                self._more,
                self._cost,
                W.HBox([self._search, self._next, self._csv, self._parquet, self._status]),
                self._table,
                self._downloads,
                self.actions,
                self.out,
                W.HTML(styles()),
            ]
        )
        self.add_class("ic-discovery")
        self._platform.observe(lambda c: setattr(self, "platform", c["new"]), "value")
        self._sort_by.observe(lambda c: setattr(self, "sort_by", c["new"] or "relevancy"), "value")
        self._sort_order.observe(lambda c: setattr(self, "sort_order", c["new"]), "value")
        self._limit.observe(lambda c: setattr(self, "limit", c["new"]), "value")
        self._search.on_click(lambda _b: self.search())
        self._next.on_click(lambda _b: self.more())
        self._csv.on_click(lambda _b: self._export("csv"))
        self._parquet.on_click(lambda _b: self._export("parquet"))

        self.platform = saved.get("platform", "instagram")
        self._build(self.platform, {})
        self.set_filters(saved.get("filters", {}))
        self.sort_by = saved.get("sort_by", "relevancy")
        self.sort_order = saved.get("sort_order", "desc")
        self.limit = int(saved.get("limit", 25))
        self._refresh_balance()
        self._update_cost()

    # ------------------------------------------------------------------ fields
    def _build(self, platform: str, keep: Mapping[str, Any]) -> None:
        self._platform.value = platform
        specs = [s for s in filters_for(platform) if s.kind != "object"]
        context = {"lookup": self.lookup, "platform": platform, "debounce": self._debounce}
        self.controls = {s.key: make_control(s, **context) for s in specs}
        for key, control in self.controls.items():
            if key in keep:
                control.value = keep[key]
            control.observe(self._on_field, "value")
        primary = [c for k, c in self.controls.items() if k in PRIMARY]
        more = [c for k, c in self.controls.items() if k not in PRIMARY and "." not in k]
        audience = [c for k, c in self.controls.items() if k.startswith("audience.")]
        grid = W.Layout(grid_template_columns="repeat(3, 1fr)", grid_gap="4px 16px")
        self._primary.children = primary
        sections = [W.GridBox(more, layout=grid)]
        titles = [f"More filters ({len(more)})"]
        if audience:
            sections.append(W.GridBox(audience, layout=grid))
            titles.append("Audience (Instagram creators with 10k+ followers)")
        self._more.children = sections
        for i, title in enumerate(titles):
            self._more.set_title(i, title)
        self._more.selected_index = None
        sorts = sorts_for(platform)
        self._sort_by.options = sorts
        if self.sort_by not in sorts:
            self.sort_by = "relevancy"
        self._sort_by.value = self.sort_by

    @observe("platform")
    def _on_platform(self, change: dict[str, Any]) -> None:
        old, new = change["old"], change["new"]
        if not self.controls or old == new:
            return
        values = self.filters(nested=False)
        keep, dropped = _carry_over(values, old, new, self.lookup)
        self._build(new, keep)
        self.dropped = dropped
        self._notice.value = (
            f"<div class='ic-dropped'>Switched to {new}: dropped "
            + ", ".join(f"<b>{html.escape(k)}</b> ({html.escape(why)})" for k, why in dropped)
            + "</div>"
            if dropped
            else ""
        )
        self._update_cost()

    @observe("sort_by", "sort_order", "limit")
    def _on_sort(self, change: dict[str, Any]) -> None:
        self._sort_by.value = self.sort_by if self.sort_by in self._sort_by.options else None
        if self.sort_by == "relevancy":  # the API sorts by relevancy descending only
            self.sort_order = "desc"
        self._sort_order.value = self.sort_order
        self._sort_order.disabled = self.sort_by == "relevancy"
        self._limit.value = self.limit
        self._update_cost()

    def _on_field(self, _change: Any) -> None:
        self._update_cost()

    def filters(self, *, nested: bool = True) -> dict[str, Any]:
        """The filters the form holds, in wire form (``audience.*`` nested unless not)."""
        flat = {k: c.value for k, c in self.controls.items() if c.value is not None}
        if not nested:
            return flat
        out: dict[str, Any] = {}
        for key, value in flat.items():
            parent, _, child = key.partition(".")
            if child:
                out.setdefault(parent, {})[child] = value
            else:
                out[key] = value
        return out

    def set_filters(self, filters: Mapping[str, Any]) -> None:
        """Fill the form from wire-form filters (nested ``audience`` included)."""
        for key, value in filters.items():
            if isinstance(value, Mapping) and f"{key}." in " ".join(self.controls):
                for sub, subval in value.items():
                    if f"{key}.{sub}" in self.controls:
                        self.controls[f"{key}.{sub}"].value = subval
            elif key in self.controls:
                self.controls[key].value = value

    # ------------------------------------------------------------------ checks and cost
    def validate(self) -> dict[str, Any] | None:
        """Check the filters with the schema; show each problem under its field.

        Returns the wire filters, or ``None`` when something must be fixed first."""
        for control in self.controls.values():
            control.error = ""
        try:
            return validate_filters(
                self.platform, self.filters(), dictionary_lookup=self._known_value
            )
        except FilterError as err:
            for path, message in err.problems.items():
                if path in self.controls:
                    self.controls[path].error = message
            self._status.value = _warn("Fix the marked fields; nothing was sent.")
            return None

    def _known_value(self, spec: Any, value: str) -> bool:
        source = SOURCES[spec.dictionary]
        return self.lookup.contains(source.name, value, platform=self.platform)

    def _update_cost(self) -> None:
        self.cost = ic.estimate("discovery_search", limit=self.limit)
        balance = "–" if self.balance is None else f"{self.balance:,.2f}"
        self._cost.value = (
            f"Worst case <b>{self.cost:g} credits</b> for {self.limit} creators "
            f"({ic.estimate('discovery_search', limit=1):g} each, charged only for creators "
            f"returned) · balance <b class='ic-balance'>{balance}</b> credits"
        )

    def _refresh_balance(self) -> None:
        try:
            self.balance = float(self.client.account.credits().data["credits_available"])
        except ic.InfluencersClubError as err:  # free call; the form still works without it
            self._status.value = _warn(f"balance unavailable: {err}")

    @observe("balance")
    def _on_balance(self, _change: Any) -> None:
        self._update_cost()

    # ------------------------------------------------------------------ searching
    def search(self) -> Any:
        """Run the search (page 1) and show it; returns ``results`` (``None`` if invalid)."""
        wire = self.validate()
        if wire is None:
            return None
        kwargs = {
            "filters": wire,
            "sort_by": self.sort_by,
            "sort_order": self.sort_order,
            "limit": self.limit,
        }
        return self._run("search", kwargs, first=True)

    def find_similar(self, handle: str) -> Any:
        """Creators similar to ``handle`` (a new result set that "More" pages on)."""
        kwargs = {"username": handle, "limit": self.limit}
        return self._run("similar", kwargs, first=True)

    def more(self) -> Any:
        """Fetch the next page of the last search and append it to ``results``."""
        if self._query is None or self._next.disabled:
            return None  # nothing searched yet, or every result is shown already
        kind, kwargs = self._query
        return self._run(kind, kwargs, first=False)

    def _run(self, kind: str, kwargs: dict[str, Any], *, first: bool) -> Any:
        import pandas as pd

        base = self.client.config.page_base
        page = base if first else (self._page or base) + 1
        call = self.client.discovery.search if kind == "search" else self.client.discovery.similar
        if self.out.outputs:
            self.out.clear_output()
        self._status.value = "searching…"
        try:
            result = call(self.platform, page=page, **kwargs)
        except (ic.InfluencersClubError, ValueError) as err:
            self._status.value = _warn(str(err))
            self.out.append_stdout(f"{type(err).__name__}: {err}\n")
            return None
        frame = result.to_pandas()
        self._query, self._page = (kind, kwargs), page
        self.request = dict(result.params)
        self.total = result.data.get("total") if isinstance(result.data, dict) else None
        if not first and self.results is not None:
            frame = pd.concat([self.results, frame], ignore_index=True)
        self.results = frame
        if result.credits_left is not None:
            self.balance = float(result.credits_left)
        spent = result.credits_cost or 0
        cost = (
            f"answered from the cache (saved {result.credits_saved:g} credits)"
            if result.cached
            else f"this page cost {spent:g} credits"
        )
        self._status.value = (
            f"<span class='ic-shown'>{len(frame)} of {self.total if self.total is not None else '?'}"
            f" creators</span> · {cost}"
        )
        more_left = self.total is None or len(frame) < min(self.total, MAX_REACHABLE)
        self._next.disabled = not more_left or len(result.data.get("accounts", [])) == 0
        self._csv.disabled = self._parquet.disabled = len(frame) == 0
        return frame

    @observe("results")
    def _on_results(self, change: dict[str, Any]) -> None:
        self._table.value = results_html(change["new"], self.platform)
        self._downloads.value = ""
        self.actions.refresh(change["new"])

    # ------------------------------------------------------------------ export, saving
    def export(self, path: str | Path) -> Path:
        """Write ``results`` to ``path`` (``.csv`` or ``.parquet``)."""
        if self.results is None:
            raise ValueError("nothing to export yet: run a search first")
        return export_frame(self.results, path)

    def _export(self, fmt: str) -> None:
        name = f"discovery-{self.platform}-{len(self.results)}.{fmt}"
        path = self.export(self.export_dir / name)
        self._downloads.value = (
            f"Saved <code>{html.escape(str(path))}</code> · {download_link(self.results, name)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The search as plain data (JSON-ready): platform, filters, sort, page size."""
        return {
            "platform": self.platform,
            "filters": self.filters(),
            "sort_by": self.sort_by,
            "sort_order": self.sort_order,
            "limit": self.limit,
        }

    def save(self, path: str | Path) -> Path:
        """Save the search as a JSON file that :meth:`load` reads back."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, client: ic.Client, path: str | Path, **kwargs: Any) -> DiscoveryForm:
        """A form filled from a JSON file written by :meth:`save`."""
        return cls(client, filters=json.loads(Path(path).read_text(encoding="utf-8")), **kwargs)


def _saved(filters: Mapping[str, Any] | None, platform: str | None) -> dict[str, Any]:
    """A saved search (``to_dict()``) or bare filters, with ``platform`` winning."""
    saved = dict(filters or {})
    if "filters" not in saved and "platform" not in saved:
        saved = {"filters": saved}
    if platform is not None:
        saved["platform"] = platform
    return saved


def _carry_over(
    values: Mapping[str, Any], old: str, new: str, lookup: DictionaryLookup
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Which field values still apply on ``new``: same key and kind (the follower range
    moves to the new platform's follower key), dictionary values the new platform lists."""
    specs = {s.key: s for s in filters_for(new)}
    keep: dict[str, Any] = {}
    dropped: list[tuple[str, str]] = []
    follower_old, follower_new = FOLLOWER_FILTER[old], FOLLOWER_FILTER[new]
    for key, value in values.items():
        target = follower_new if key == follower_old and follower_new else key
        spec = specs.get(target)
        if spec is None:
            dropped.append((key, f"not a filter on {new}"))
            continue
        if spec.dictionary and SOURCES[spec.dictionary].per_platform and isinstance(value, list):
            ok = [v for v in value if lookup.contains(spec.dictionary, v, platform=new)]
            if len(ok) < len(value):
                gone = ", ".join(v for v in value if v not in ok)
                dropped.append((key, f"{gone} not listed for {new}"))
            value = ok or None
        if value is not None:
            keep[target] = value
    return keep, dropped


def _warn(text: str) -> str:
    return f"<span style='color:#b00020'>{html.escape(text)}</span>"
