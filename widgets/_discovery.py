"""``DiscoveryForm``: the discovery filter form, built from ``toolkit.filters``.

Fields come from the schema of the chosen platform (one control per filter kind, labels
and help from the schema); dictionary-backed fields read the dictionary endpoints once
per session through ``toolkit.filters.DictionaryLookup``. Before anything is sent the
form checks its filters with the same ``validate_filters`` and dictionary value check
(``resolve_values``) the client uses and shows the worst-case cost (``toolkit.estimate``)
next to the balance. It sends what it shows: text typed into a type-ahead is taken when the
dictionary holds it and blocks the search (with the closest values) when it does not.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import Dict, Float, List, observe, validate

import toolkit as ic
from toolkit._exceptions import ArgumentTypeError
from toolkit._facts import MAX_REACHABLE
from toolkit.filters import (
    PLATFORMS,
    SORT_BY,
    DictionaryUnreachableError,
    FilterError,
    filters_for,
    lookup_for,
    resolve_values,
    sorts_for,
    validate_filters,
)

from . import _settings as settings
from ._actions import PickActions
from ._controls import DictionaryControl, FilterControl, make_control, unreachable_text
from ._exports import default_export_dir, default_export_place, export_name, free_path
from ._results import download_link, export_frame, frame_bytes, results_html, styles

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


class _Setting(AnyTrait):
    """A form setting of any type, checked by the form's validators (``None`` included:
    ``Any`` lets ``None`` past them)."""

    allow_none = False


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

    # checked by the validators below (a wrong value set in code is a toolkit error)
    platform = _Setting("instagram")
    sort_by = _Setting("relevancy")
    sort_order = _Setting("desc")
    limit = _Setting(25)
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
        export_dir: str | Path | None = None,
    ) -> None:
        self.client = client
        self.lookup = lookup_for(client)  # the same cache the search's value check reads
        self.controls: dict[str, FilterControl] = {}
        self._debounce = debounce
        self._page: int | None = None
        self._query: tuple[str, dict[str, Any]] | None = None
        self._shown: dict[str, Any] | None = None  # what the table holds (platform, query)
        self._before_similar: dict[str, Any] | None = None  # the search "Back" returns to
        saved = settings.saved_search(filters, platform)

        # fixed widths, and a toggle that never shrinks: the row wraps between controls
        # on a narrow page (1,024 px, or JupyterLab with its sidebar open), never inside one
        self._platform = W.Dropdown(
            description="Platform", options=PLATFORMS, layout=W.Layout(width="15em")
        )
        self._sort_by = W.Dropdown(description="Sort by", layout=W.Layout(width="18em"))
        self._sort_order = W.ToggleButtons(
            options=["desc", "asc"],
            style={"button_width": "4em"},
            layout=W.Layout(width="auto", min_width="9.5em", flex="0 0 auto"),
        )
        self._sort_order.add_class("ic-sort-order")
        self._limit = W.Dropdown(
            description="Page size", options=PAGE_SIZES, value=25, layout=W.Layout(width="11em")
        )
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
        self._showing = W.HTML("")
        self._showing.add_class("ic-showing")
        self._back = W.Button(description="Back to search results", icon="arrow-left")
        self._back.add_class("ic-back")
        self._similar_bar = W.HBox(
            [self._showing, self._back], layout=W.Layout(display="none", align_items="center")
        )
        default, why = default_export_place()
        self._folder = W.Text(
            description="Save to",
            value=str(default if export_dir is None else Path(export_dir)),
            layout=W.Layout(width="28em"),
        )
        self._folder.add_class("ic-export-dir")
        self._downloads = W.HTML("")
        # why the default folder is not the working directory's exports/ (installed packages)
        self._folder_note = why if export_dir is None else ""
        self.out = W.Output()
        self.actions = PickActions(self)
        for w, name in ((self._search, "search"), (self._next, "more")):
            w.add_class(f"ic-{name}")
        self._csv.add_class("ic-export-csv")
        self._parquet.add_class("ic-export-parquet")

        super().__init__(
            [
                W.HBox(
                    [self._platform, self._sort_by, self._sort_order, self._limit],
                    layout=W.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self._notice,
                self._primary,
                self._more,
                self._cost,
                W.HBox(
                    [self._search, self._next, self._csv, self._parquet, self._status],
                    layout=W.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self._similar_bar,
                self._table,
                W.HBox([self._folder, self._downloads], layout=W.Layout(flex_flow="row wrap")),
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
        self._back.on_click(lambda _b: self.back_to_search())

        self.platform = saved.get("platform", "instagram")
        self._build(self.platform, {})
        self.set_filters(saved.get("filters") or {})
        self.sort_by = saved.get("sort_by", "relevancy")
        self.sort_order = saved.get("sort_order", "desc")
        self.limit = saved.get("limit", 25)
        if self._folder_note:
            self._status.value = html.escape(f"Exports: {self._folder_note}.")
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

    # ------------------------------------------------------------------ values set in code
    @validate("platform")
    def _valid_platform(self, proposal: dict[str, Any]) -> str:
        return settings.platform(proposal["value"])

    @validate("limit")
    def _valid_limit(self, proposal: dict[str, Any]) -> int:
        return settings.page_size(proposal["value"], PAGE_SIZES)

    @validate("sort_by")
    def _valid_sort_by(self, proposal: dict[str, Any]) -> str:
        return settings.choice("sort_by", proposal["value"], SORT_BY)

    @validate("sort_order")
    def _valid_sort_order(self, proposal: dict[str, Any]) -> str:
        return settings.choice("sort_order", proposal["value"], ("asc", "desc"))

    @observe("platform")
    def _on_platform(self, change: dict[str, Any]) -> None:
        old, new = change["old"], change["new"]
        if not self.controls or old == new:
            return
        values = self.filters(nested=False)
        keep, dropped = settings.carry_over(values, old, new, self.lookup)
        self._build(new, keep)
        self.dropped = dropped
        self._notice.value = (
            f"<div class='ic-dropped'>Switched to {new}: dropped "
            + ", ".join(f"<b>{html.escape(k)}</b> ({html.escape(why)})" for k, why in dropped)
            + "</div>"
            if dropped
            else ""
        )
        self._clear_results(f"Switched to {new}: search again to see {new} creators.")
        self._update_cost()

    def _clear_results(self, why: str) -> None:
        """Forget the shown results (they no longer match the form); Export and More wait
        for the next search."""
        self._query = self._page = self._shown = self._before_similar = None
        self.total = None
        self.request = {}
        self.results = None
        self._next.disabled = self._csv.disabled = self._parquet.disabled = True
        self._similar_bar.layout.display = "none"
        self._status.value = html.escape(why)

    @observe("sort_by", "sort_order", "limit")
    def _on_sort(self, change: dict[str, Any]) -> None:
        self._sort_by.value = self.sort_by if self.sort_by in self._sort_by.options else None
        if self.sort_by == "relevancy":  # the API sorts by relevancy descending only
            self.sort_order = "desc"
        self._sort_order.value = self.sort_order
        self._sort_order.disabled = self.sort_by == "relevancy"
        self._limit.value = self.limit
        self._update_cost()
        self._sync_stale()

    def _on_field(self, _change: Any) -> None:
        self._update_cost()
        self._sync_stale()

    def _form_state(self) -> tuple[Any, ...]:
        """What a search would send now (compared with what the table holds)."""
        return (self.platform, self.filters(), self.sort_by, self.sort_order, self.limit)

    def _sync_stale(self) -> None:
        """Once a field changes after a search, the table says it holds the last search and
        "More" waits for Search (it would page on, and pay for, the old filters); changed
        back, both are as they were. Lookalikes say so already and page on as shown."""
        shown = self._shown
        if shown is None or "more" not in shown:
            return
        stale = shown["kind"] == "search" and shown["form"] != self._form_state()
        self._next.disabled = stale or not shown["more"]
        note = (
            " · " + _warn(f"the table shows the last search ({_describe(shown)}); press Search")
            if stale
            else ""
        )
        self._status.value = shown["status"] + note

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
        """Fill the form from wire-form filters (nested ``audience`` included).

        Raises :class:`~toolkit.FilterError` (the form unchanged) for filters this platform
        does not take or values of the wrong shape, as a search would.
        """
        if not isinstance(filters, Mapping):
            raise ArgumentTypeError(f"filters must be a mapping, got {type(filters).__name__}")
        validate_filters(self.platform, filters)
        for key, value in filters.items():
            if isinstance(value, Mapping) and f"{key}." in " ".join(self.controls):
                for sub, subval in value.items():
                    if f"{key}.{sub}" in self.controls:
                        self.controls[f"{key}.{sub}"].value = subval
            elif key in self.controls:
                self.controls[key].value = value

    # ------------------------------------------------------------------ checks and cost
    def validate(self) -> dict[str, Any] | None:
        """Check the filters as a search would; show each problem under its field.

        Text typed into a type-ahead and not picked is taken when its dictionary holds it
        (case and spacing forgiven) and otherwise marks the field; dictionary values are
        checked (and shown in the dictionary's spelling). Returns the wire filters, or
        ``None`` when something must be fixed first (nothing is sent)."""
        problems: dict[str, str] = {}
        status = "Fix the marked fields; nothing was sent."
        for key, control in self.controls.items():
            control.error = ""
            if isinstance(control, DictionaryControl):
                typed = control.take_typed()
                if typed:
                    problems[key] = typed
        try:
            wire = validate_filters(self.platform, self.filters())
            if not problems:
                wire = resolve_values(self.client, self.platform, wire)
        except FilterError as err:
            problems = {**err.problems, **problems}
        except DictionaryUnreachableError as err:
            problems = {path: unreachable_text(err) for path in err.paths}
            status = str(err)
        if problems:
            for path, message in problems.items():
                if path in self.controls:
                    self.controls[path].error = message
            self._status.value = _warn(status)
            return None
        if wire != self.filters():
            self.set_filters(wire)  # show the dictionaries' spellings that will be sent
        return wire

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
        """Creators similar to ``handle`` (a new result set that "More" pages on); the form
        says the table holds lookalikes, not its filters' results, and offers the way back."""
        before = self._snapshot() if self._shown and self._shown["kind"] == "search" else None
        kwargs = {"username": str(handle).lstrip("@"), "limit": self.limit}
        frame = self._run("similar", kwargs, first=True)
        if frame is not None:
            self._before_similar = before or self._before_similar
            self._showing.value = (
                f"<b>Lookalikes of @{html.escape(kwargs['username'])}</b>: this table holds "
                "creators similar to them, not the results of the filters above."
            )
            self._back.disabled = self._before_similar is None
            self._similar_bar.layout.display = ""
        return frame

    def back_to_search(self) -> Any:
        """Show the search results again that "Find similar" replaced (nothing is sent)."""
        if self._before_similar is None:
            return None
        state, self._before_similar = self._before_similar, None
        self._query, self._page, self._shown = state["query"], state["page"], state["shown"]
        self.total, self.request = state["total"], state["request"]
        self.results = state["results"]
        self._status.value = state["status"]
        self._next.disabled = state["next_disabled"]
        self._csv.disabled = self._parquet.disabled = len(state["results"]) == 0
        self._similar_bar.layout.display = "none"
        self._sync_stale()  # the fields may have changed since
        return self.results

    def _snapshot(self) -> dict[str, Any]:
        return {
            "query": self._query,
            "page": self._page,
            "shown": self._shown,
            "total": self.total,
            "request": dict(self.request),
            "results": self.results,
            "status": self._status.value,
            "next_disabled": self._next.disabled,
        }

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
        form = self._form_state() if first else (self._shown or {}).get("form")
        self._shown = {"platform": self.platform, "kind": kind, "kwargs": kwargs, "form": form}
        if kind == "search":
            self._before_similar = None
            self._similar_bar.layout.display = "none"
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
        more_left = more_left and len(result.data.get("accounts", [])) > 0
        self._shown.update(status=self._status.value, more=more_left)
        self._next.disabled = not more_left
        self._csv.disabled = self._parquet.disabled = len(frame) == 0
        return frame

    @observe("results")
    def _on_results(self, change: dict[str, Any]) -> None:
        if change["new"] is None:
            self._table.value = ""
        else:
            platform = (self._shown or {}).get("platform", self.platform)
            self._table.value = results_html(change["new"], platform)
        self._downloads.value = ""
        self.actions.refresh(change["new"])

    # ------------------------------------------------------------------ export, saving
    def export(self, path: str | Path) -> Path:
        """Write ``results`` to ``path`` (``.csv`` or ``.parquet``; replaced if there, as
        you named it: the Export buttons never replace a file)."""
        if self.results is None:
            raise ValueError("nothing to export yet: run a search first")
        return export_frame(self.results, path)

    @property
    def export_dir(self) -> Path:
        """The folder Export writes to (the "Save to" field; by default ``exports/`` of
        the working directory, never inside the toolkit's own folders)."""
        return Path(self._folder.value.strip() or default_export_dir()).expanduser()

    @export_dir.setter
    def export_dir(self, folder: str | Path) -> None:
        self._folder.value = str(folder)

    def export_name(self, fmt: str) -> str:
        """The file name of an export: the platform, the search the table holds (its
        filters and sort, or whose lookalikes) and the number of creators, e.g.
        ``instagram-location-united-states-followers-10k-25-creators.csv``."""
        shown = self._shown or {"platform": self.platform, "kind": "search", "kwargs": {}}
        rows = 0 if self.results is None else len(self.results)
        return export_name(shown["platform"], shown["kind"], shown["kwargs"], rows, fmt)

    def _export(self, fmt: str) -> None:
        """The Export buttons: the table saved under its name in the "Save to" folder,
        never over another file (``-2``, ``-3`` ... are added; the same table twice is
        saved once)."""
        name = self.export_name(fmt)
        try:
            if self.results is None:
                raise ValueError("nothing to export yet: run a search first")
            path, written = free_path(self.export_dir / name, frame_bytes(self.results, fmt))
        except (OSError, ValueError) as err:
            self._downloads.value = _warn(f"not saved: {err}")
            return
        self._downloads.value = (
            f"{'Saved' if written else 'Already saved as'} <code>{html.escape(str(path))}</code>"
            f" · {download_link(self.results, path.name)}"
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
        """A form filled from a JSON file written by :meth:`save`.

        Raises :class:`~toolkit.ArgumentError` for a file that is not a saved search and
        :class:`~toolkit.FilterError` for one whose filters a search would refuse."""
        saved = settings.read_saved(path)
        return cls(client, filters=saved, **kwargs)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live form, and a static picture of it for where widgets do not render (a
        notebook opened before it was run): the search it holds and how to use it."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle.update(settings.static_picture(self.platform, self.filters()))
        return bundle


def _describe(shown: Mapping[str, Any]) -> str:
    """The search a table holds, in a few words: ``instagram, location: United States,
    sorted by number_of_followers asc`` (relevancy, the default, goes unsaid)."""
    kwargs = shown["kwargs"]
    parts = [shown["platform"]]
    for key, value in (kwargs.get("filters") or {}).items():
        parts.append(f"{key}: {_brief(value)}")
    if not kwargs.get("filters"):
        parts.append("no filters")
    if kwargs.get("sort_by") not in (None, "relevancy"):
        parts.append(f"sorted by {kwargs['sort_by']} {kwargs.get('sort_order', '')}".strip())
    return ", ".join(parts)


def _brief(value: Any) -> str:
    if isinstance(value, Mapping):
        return " ".join(f"{k} {_brief(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list | tuple):
        return " / ".join(_brief(v) for v in value)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _warn(text: str) -> str:
    return f"<span style='color:#b00020'>{html.escape(text)}</span>"
