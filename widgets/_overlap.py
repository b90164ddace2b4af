"""``OverlapExplorer``: compare the audiences of 2-10 creators, see the pairwise matrix
and plan which k of them reach the most people, each step behind its cost."""

from __future__ import annotations

import html
import warnings
from typing import Any

import ipywidgets as W
from traitlets import Any as AnyTrait
from traitlets import List, Unicode, observe

import toolkit as ic
from toolkit._facts import AUDIENCE_PLATFORMS
from toolkit.planning import matrix_estimate, reach_estimate
from widgets._figures import show_figure

__all__ = ["OverlapExplorer"]

#: Where the API answers audience overlap (``client.creators.overlap``).
OVERLAP_PLATFORMS = AUDIENCE_PLATFORMS
#: The planner's k when creators arrive (or every creator of a shorter list).
USEFUL_K = 3


class OverlapExplorer(W.VBox):
    """Audience overlap of the creators typed in, or handed over by a ``DiscoveryForm``.

    ``result`` is the overlap answer; ``matrix`` and ``plan`` the pairwise matrix and
    the reach plan, each fetched only after its cost was confirmed.

    >>> import toolkit as ic
    >>> explorer = OverlapExplorer(ic.connect(quiet=True))   # doctest: +SKIP
    """

    platform = Unicode("instagram")
    handles = List(Unicode())
    result = AnyTrait(None)
    matrix = AnyTrait(None)
    plan = AnyTrait(None)
    pending = AnyTrait(None)  # (what, worst-case credits) waiting for a confirmation

    def __init__(self, client: ic.Client, *, form: Any = None, handles: Any = ()) -> None:
        self.client = client
        self._platform = W.Dropdown(description="Platform", options=OVERLAP_PLATFORMS)
        self._handles = W.TagsInput(value=[], placeholder="handle, then Enter (2-10)")
        self._handles.add_class("ic-overlap-handles")
        self._cost = W.HTML("")
        fit = {"width": "auto", "min_width": "fit-content"}  # labels are never cut short
        self._run = W.Button(description="Compare audiences", button_style="primary", layout=fit)
        self._run.add_class("ic-overlap-run")
        self._k = W.BoundedIntText(
            value=USEFUL_K, min=1, max=10, description="pick k", layout={"width": "11em"}
        )
        self._k_chosen = False  # set once the user picks k; until then k follows the list
        self._budget = W.FloatText(value=0, description="budget", layout={"width": "12em"})
        self._matrix_btn = W.Button(description="Pairwise matrix…", layout=fit)
        self._plan_btn = W.Button(description="Plan reach…", layout=fit)
        self._matrix_btn.add_class("ic-overlap-matrix")
        self._plan_btn.add_class("ic-overlap-plan")
        self._confirm = W.HBox([], layout={"display": "none"})
        self._status = W.HTML("")
        self._chart = W.Output()
        self._table = W.Output()
        self.out = W.Output()
        super().__init__(
            [
                W.HBox([self._platform, self._handles]),
                self._cost,
                W.HBox([self._run, self._matrix_btn, self._plan_btn, self._k, self._budget]),
                self._confirm,
                self._status,
                self._chart,
                self._table,
                self.out,
            ]
        )
        self.add_class("ic-overlap")
        self._status.add_class("ic-overlap-status")
        self._platform.observe(lambda c: setattr(self, "platform", c["new"]), "value")
        self._handles.observe(lambda c: setattr(self, "handles", list(c["new"])), "value")
        self._k.observe(self._on_k, "value")
        self._run.on_click(lambda _b: self.compare())
        self._matrix_btn.on_click(lambda _b: self._ask("matrix"))
        self._plan_btn.on_click(lambda _b: self._ask("plan"))
        if form is not None:  # "Compare audiences" in the form hands its picks here
            form.actions.observe(self._from_form(form), "compare")
        self.handles = list(handles)
        self._update()

    def _from_form(self, form: Any) -> Any:
        def take(change: dict[str, Any]) -> None:
            if form.platform not in OVERLAP_PLATFORMS:
                self._status.value = _warn(
                    f"Audience overlap covers {', '.join(OVERLAP_PLATFORMS)}: "
                    f"{form.platform} creators cannot be compared."
                )
                return
            self.platform = form.platform
            self.handles = list(change["new"])
            self._status.value = (
                f"{len(self.handles)} creators from Discover: press <b>Compare audiences</b>."
            )

        return take

    @observe("platform", "handles")
    def _on_inputs(self, change: dict[str, Any]) -> None:
        self._platform.value = self.platform
        if list(self._handles.value) != self.handles:
            self._handles.value = list(self.handles)
        if change["old"] != change["new"]:
            if self.pending is not None:  # its cost was for the creators before
                self._hide_confirm()
            if any(x is not None for x in (self.result, self.matrix, self.plan)):
                # what is on screen answered other creators: clear it, not mislabel it
                self.result = self.matrix = self.plan = None
                self._chart.outputs = self._table.outputs = ()
                self._status.value = ""
        self._update()

    def _on_k(self, change: dict[str, Any]) -> None:
        if not self._setting_k:
            self._k_chosen = True

    _setting_k = False

    def _update(self) -> None:
        n = len(self.handles)
        ok = 2 <= n <= 10
        self._run.disabled = not ok
        self._matrix_btn.disabled = self._plan_btn.disabled = not ok
        self._setting_k = True
        try:  # a useful k for the list: 3, or every creator of a shorter one
            self._k.max = max(1, n)
            if not self._k_chosen and n >= 2:
                self._k.value = min(USEFUL_K, n)
        finally:
            self._setting_k = False
        self._cost.value = (
            f"Comparing {n} creators costs <b>{ic.estimate('audience_overlap'):g} credit</b> "
            "(one request, however many creators)"
            if ok
            else "Type 2 to 10 handles, or pick them in the discovery form."
        )

    def compare(self) -> Any:
        """Overlap of ``handles`` on ``platform``: the chart and the per-creator table."""
        from toolkit import charts

        try:
            result = self.client.creators.overlap(self.platform, self.handles)
        except (ic.InfluencersClubError, ValueError) as err:
            self._status.value = _warn(str(err))
            return None
        self.result = result
        self._show(charts.overlap(result), result.to_pandas().creators)
        self._status.value = _spent(result.credits_cost or 0, cached=result.cached)
        return result

    def _ask(self, what: str) -> None:
        """Show the worst-case cost of the matrix or plan and a button that confirms it."""
        n, price = len(self.handles), self.client.prices.overlap
        if what == "matrix":
            cost = matrix_estimate(n, price)
            text = f"The pairwise matrix of {n} creators makes {n * (n - 1) // 2} overlap calls"
        else:
            cost = reach_estimate(n, self._k.value, price)
            budget = self._budget.value or cost
            text = f"Planning {self._k.value} of {n} creators (budget {budget:g} credits)"
        go = W.Button(description=f"Spend ≤ {cost:g} credits", button_style="warning")
        go.add_class(f"ic-confirm-{what}")
        cancel = W.Button(description="Cancel")
        go.on_click(lambda _b: self.confirm(what))
        cancel.on_click(lambda _b: self._hide_confirm())
        self._confirm.children = [W.HTML(f"{html.escape(text)}:&nbsp;"), go, cancel]
        self._confirm.layout.display = ""
        self.pending = (what, cost)

    def _hide_confirm(self) -> None:
        self.pending = None
        self._confirm.children = []
        self._confirm.layout.display = "none"

    def _call(self, what: str, *, confirm: bool) -> Any:
        creators = self.client.creators
        if what == "matrix":
            return creators.overlap_matrix(self.platform, self.handles, confirm=confirm)
        budget = self._budget.value or reach_estimate(len(self.handles), self._k.value)
        return creators.plan_reach(
            self.platform, self.handles, self._k.value, budget=budget, confirm=confirm
        )

    def confirm(self, what: str) -> Any:
        """Fetch the matrix (``"matrix"``) or the reach plan (``"plan"``), paying for it."""
        from toolkit import charts

        self._hide_confirm()
        hits = self._cache_hits()
        try:
            with warnings.catch_warnings():  # a plan cut short says why below, not on stderr
                warnings.filterwarnings("ignore", message="plan_reach ", category=UserWarning)
                answer = self._call(what, confirm=True)
        except (ic.InfluencersClubError, ValueError) as err:
            self._status.value = _warn(str(err))
            return None
        hits = self._cache_hits() - hits
        if what == "matrix":
            self.matrix = answer
            self._show(charts.overlap_matrix(answer), answer.to_pandas())
            self._status.value = _spent(answer.cost, cached=hits)
        else:
            self.plan = answer
            self._show(charts.reach_curve(answer), answer.curve.to_pandas())
            said = html.escape(answer.reason[0].upper() + answer.reason[1:]) + "."
            if answer.stopped != "k":  # cut short: the reason is the news
                said = _warn(said)
            if hits:
                said += f" {hits} of its answers came from the cache, free."
            self._status.value = said
        return answer

    def _cache_hits(self) -> int:
        """Answers the client's cache has given so far (the ledger's cached entries)."""
        return sum(1 for entry in self.client.ledger.entries if entry["cached"])

    def _show(self, figure: Any, table: Any) -> None:
        show_figure(self._chart, figure)
        if table is not None:  # replaced in one step: a cleared-then-appended table can
            # lose the race in a served page and leave the plan's curve without its table
            from IPython.core.formatters import format_display_data

            formatted: Any = format_display_data  # untyped in IPython
            data, metadata = formatted(table)
            out = {"output_type": "display_data", "data": data, "metadata": metadata}
            self._table.outputs = (out,)


def _spent(credits: float, *, cached: int | bool) -> str:
    """What a step cost, saying why when the cache answered (0 credits is not a glitch)."""
    amount = f"{credits:g} credit{'' if credits == 1 else 's'}"
    if cached is True or (cached and not credits):
        return f"{amount}: answered from the cache."
    if cached:
        return f"Spent {amount} ({cached} answers from the cache, free)."
    return f"Spent {amount}."


def _warn(text: str) -> str:
    return f"<span style='color:#b00020'>{html.escape(text)}</span>"
