"""What happens to the creators picked in a ``DiscoveryForm``: find similar, enrich,
compare audiences. Each button says what it would cost before it is clicked."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import List, observe

import toolkit as ic
from toolkit.filters import SIMILAR_PLATFORMS

if TYPE_CHECKING:
    from ._discovery import DiscoveryForm

__all__ = ["PickActions", "similar_blocked"]

ENRICH_MODES = ("profile", "full", "analytics", "raw")


def similar_blocked(picked: int, platform: str) -> str:
    """Why "Find similar" cannot run now (``""`` when it can)."""
    if platform not in SIMILAR_PLATFORMS:
        return f"Find similar is not available on {platform} (only {', '.join(SIMILAR_PLATFORMS)})"
    if picked != 1:
        return f"Find similar takes exactly one creator; {picked} picked"
    return ""


class PickActions(W.VBox):
    """The row picker under a form's results and the three hand-offs.

    ``picked`` are the chosen usernames; ``enriched`` maps each enriched username to its
    tables; ``compare`` is set to the picked handles when "Compare audiences" is clicked
    (an ``OverlapExplorer`` given ``form=`` follows it).
    """

    picked = List[Any]()
    compare = List[Any]()
    enriched = AnyTrait(None)

    def __init__(self, form: DiscoveryForm) -> None:
        self._form = form
        self._pick = W.SelectMultiple(options=[], rows=6, layout=W.Layout(width="28em"))
        self._pick.add_class("ic-pick")
        self._similar = W.Button(description="Find similar", icon="users", disabled=True)
        self._mode = W.Dropdown(options=ENRICH_MODES, value="profile", layout=W.Layout(width="8em"))
        self._enrich = W.Button(description="Enrich", icon="id-card", disabled=True)
        self._compare_button = W.Button(
            description="Compare audiences", icon="pie-chart", disabled=True
        )
        for button in (self._similar, self._enrich, self._compare_button):
            button.layout.width = "16em"
        self._note = W.HTML("")
        self._why = W.HTML("")
        self._table = W.HTML("")
        buttons = W.VBox(
            [
                self._similar,
                self._why,
                W.HBox([self._enrich, self._mode]),
                self._compare_button,
                self._note,
            ]
        )
        super().__init__(
            [W.HTML("<b>Pick creators</b> (ctrl/shift-click)"), W.HBox([self._pick, buttons])],
            layout=W.Layout(display="none"),
        )
        self.add_class("ic-actions")
        self._pick.observe(lambda c: setattr(self, "picked", list(c["new"])), "value")
        self._mode.observe(lambda _c: self._update(), "value")
        self._similar.on_click(lambda _b: self.find_similar())
        self._enrich.on_click(lambda _b: self.enrich())
        self._compare_button.on_click(lambda _b: self.compare_audiences())

    def refresh(self, frame: Any) -> None:
        """New results: offer their rows for picking."""
        if frame is None or len(frame) == 0:
            self._pick.options = []
            self.layout.display = "none"
            return
        from ._results import handle, human

        options = [
            (f"{handle(r['username'])} · {human(r.get('followers'))}", r["username"])
            for r in frame.to_dict("records")
        ]
        kept = [v for v in self._pick.value if v in {v for _l, v in options}]
        self._pick.options = options
        self._pick.value = tuple(kept)
        self.layout.display = ""
        self._update()

    @observe("picked")
    def _on_picked(self, _change: Any) -> None:
        if tuple(self.picked) != tuple(self._pick.value):
            self._pick.value = tuple(self.picked)
        self._update()

    def _update(self) -> None:
        n = len(self.picked)
        form = self._form
        self._similar.disabled = n != 1 or form.platform not in SIMILAR_PLATFORMS
        self._similar.description = (
            f"Find similar (≤ {ic.estimate('discovery_similar_creators', limit=form.limit):g} cr)"
        )
        # a greyed-out button says why (the tooltip) and so does the note under it
        why = similar_blocked(n, form.platform)
        self._similar.tooltip = why or "Lookalikes of the creator picked"
        self._why.value = f"<small class='ic-why'>{html.escape(why)}</small>" if why else ""
        per = ic.estimate(f"enrich_handle_{self._mode.value}")
        self._enrich.disabled = n == 0
        self._enrich.description = f"Enrich {n} (≤ {n * per:g} credits)" if n else "Enrich"
        self._compare_button.disabled = not 2 <= n <= 10
        self._compare_button.description = (
            f"Compare audiences ({ic.estimate('audience_overlap'):g} cr)"
        )

    def find_similar(self) -> Any:
        """Replace the results with creators similar to the one picked."""
        if len(self.picked) != 1:
            raise ValueError("pick exactly one creator to find similar ones")
        handle = self.picked[0]
        frame = self._form.find_similar(handle)
        if frame is not None:
            shown = html.escape(str(handle).lstrip("@"))
            self._note.value = f"Showing creators similar to @{shown}."
        return frame

    def enrich(self) -> dict[str, Any]:
        """Enrich every picked creator with the chosen mode; tables by username."""
        form, mode = self._form, self._mode.value
        out: dict[str, Any] = dict(self.enriched or {})
        errors = []
        for handle in self.picked:
            try:
                result = form.client.creators.enrich_handle(handle, form.platform, mode=mode)
            except ic.InfluencersClubError as err:
                errors.append(f"@{handle}: {err}")
                continue
            out[handle] = result.to_pandas()
        self.enriched = out
        if errors:
            form.out.append_stdout("\n".join(errors) + "\n")
        return out

    @observe("enriched")
    def _on_enriched(self, change: dict[str, Any]) -> None:
        import pandas as pd

        tables = change["new"] or {}
        creators = [
            t["creator"] for t in tables.values() if isinstance(t, Mapping) and "creator" in t
        ]
        if not creators:
            return
        frame = pd.concat(creators, ignore_index=True)
        cols = [
            c for c in ("username", "full_name", "followers", "email", "location") if c in frame
        ]
        self._note.value = f"Enriched {len(tables)}: see <code>form.actions.enriched</code>."
        out = self._form.out
        if out.outputs:
            out.clear_output()
        out.append_display_data(frame[cols])  # works without a running kernel too

    def compare_audiences(self) -> list[str]:
        """Hand the picked creators (2-10) to the overlap explorer (``compare``)."""
        if not 2 <= len(self.picked) <= 10:
            raise ValueError("pick 2 to 10 creators to compare their audiences")
        self.compare = list(self.picked)
        self._note.value = (
            f"Sent {len(self.compare)} creators to the overlap explorer "
            f"({ic.estimate('audience_overlap'):g} credit to run it there)."
        )
        return self.compare
