"""Paid helpers over the audience overlap endpoint: a pairwise matrix and a reach planner.

Both spend credits (one overlap call costs ``client.prices.overlap``, 1 credit, whatever the
number of creators), so both refuse to start until the caller confirms the estimated cost
(``confirm=True``, or a client ``budget=`` that covers it). Their work is written once, as
generators that yield the handles of the next overlap call and receive its result; the sync
and async clients only drive them (``client.creators.overlap_matrix`` / ``.plan_reach``).
A call that fails part way raises with what was already paid for kept on ``exc.partial``.

>>> from toolkit.planning import matrix_estimate, reach_estimate
>>> matrix_estimate(10)     # one call per pair: 10 * 9 / 2
45.0
>>> reach_estimate(12, 3)   # 2 seeding calls, then 11 + 10 candidate calls
23.0
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit._exceptions import CostNotConfirmedError, InfluencersClubError, caller_stacklevel

if TYPE_CHECKING:  # polars is imported when a table is asked for, not with toolkit
    import polars as pl

__all__ = [
    "CostNotConfirmedError",
    "OverlapMatrix",
    "ReachPlan",
    "matrix_estimate",
    "reach_estimate",
]

#: The overlap endpoint compares 2 to 10 creators per call (docs/api.md, creators).
MAX_GROUP = 10

T = TypeVar("T")
#: A paid helper as a flow: yields the handles of each overlap call, is sent its result,
#: returns what it built (an OverlapMatrix or a ReachPlan).
Flow = Generator[list[str], Any, T]


def matrix_estimate(n: int, price: float = 1.0) -> float:
    """Credits of a pairwise matrix of ``n`` creators: one overlap call per pair."""
    return round(n * (n - 1) / 2 * price, 4)


def _seed_groups(handles: Sequence[str]) -> list[list[str]]:
    """Groups of 2-10 covering every handle once (a last single one borrows a neighbour)."""
    groups = [list(handles[i : i + MAX_GROUP]) for i in range(0, len(handles), MAX_GROUP)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-1].insert(0, groups[-2][-1])
    return groups


def reach_estimate(n: int, k: int, price: float = 1.0) -> float:
    """Worst-case credits of ``plan_reach`` over ``n`` candidates for ``k`` picks.

    Seeding reads every candidate's followers in groups of up to 10 (``ceil(n / 10)``
    calls); each later step then tries every remaining candidate with the chosen set.
    """
    k = min(k, n)
    if n < 2 or k < 1:
        return 0.0
    seed = math.ceil(n / MAX_GROUP)
    steps = sum(n - s for s in range(1, k))
    return round((seed + steps) * price, 4)


def _check_confirmed(what: str, estimate: float, budget_left: float | None, confirm: bool) -> None:
    if confirm or estimate == 0:
        return
    if budget_left is not None and budget_left + 1e-9 >= estimate:
        return
    raise CostNotConfirmedError(what, estimate, budget_left)


def _cost(result: Any) -> float:
    return float(getattr(result, "credits_cost", None) or 0.0)


def _from_cache(result: Any) -> int:
    """1 when the response cache answered the call (it cost nothing), else 0."""
    return int(bool(getattr(result, "cached", False)))


# ----------------------------------------------------------------------------- the matrix
@dataclass
class OverlapMatrix:
    """Shared audience of every pair of creators, from one overlap call per pair.

    ``shared_share`` of (creator, other) is the share of ``creator``'s followers who also
    follow ``other`` (the API's ``overlapping_percentage`` of that pair, a fraction 0-1), so
    the matrix is not symmetric: a small creator can share most of a big one's audience.
    ``shared_followers`` (people) is the same both ways: the pair's followers less its
    deduplicated reach.
    """

    platform: str
    handles: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    cost: float = 0.0
    estimate: float = 0.0
    #: overlap calls made, and how many of them the response cache answered (at no cost)
    calls: int = 0
    cached: int = 0

    def to_polars(self) -> pl.DataFrame:
        """Long form: one row per ordered pair (creator, other), both directions."""
        import polars as pl

        schema = {
            "platform": pl.String,
            "creator": pl.String,
            "other": pl.String,
            "creator_followers": pl.Int64,
            "other_followers": pl.Int64,
            "shared_share": pl.Float64,
            "shared_followers": pl.Int64,
            "pair_unique_followers": pl.Int64,
        }
        return pl.DataFrame(self.rows, schema=schema, orient="row")

    def to_pandas(self) -> Any:
        """:meth:`to_polars` in pandas (through Arrow, like every toolkit table)."""
        from toolkit.frames import to_pandas

        return to_pandas(self.to_polars())

    def __repr__(self) -> str:
        return f"OverlapMatrix({self.platform}, {len(self.handles)} creators, cost={self.cost:g})"


def _pair_rows(platform: str, result: Any) -> list[dict[str, Any]]:
    tables = result.to_polars()
    creators = tables["creators"].to_dicts()
    totals = tables["totals"].to_dicts()
    union = totals[0]["total_unique_followers"] if totals else None
    both = _shared_of_pair(creators, union)
    rows = []
    for me, other in ((0, 1), (1, 0)):
        a, b = creators[me], creators[other]
        share = a["overlapping_percentage"]
        if both is not None:
            shared = both
        else:
            shared = round(a["followers"] * share) if a["followers"] is not None and share else 0
        rows.append(
            {
                "platform": platform,
                "creator": a["username"],
                "other": b["username"],
                "creator_followers": a["followers"],
                "other_followers": b["followers"],
                "shared_share": share,
                "shared_followers": shared,
                "pair_unique_followers": union,
            }
        )
    return rows


def _shared_of_pair(creators: list[dict[str, Any]], union: int | None) -> int | None:
    """The pair's shared followers, one number for both directions: ``f_a + f_b - union``.

    Each creator's ``overlapping_percentage`` is rounded to six places, so ``f_a * share_a``
    and ``f_b * share_b`` differ by up to tens of people on big accounts (the captured
    nasa/spacex answer: 7,989,720 vs 7,989,676); the exact counts give one answer. None
    when they are missing or do not fit (then each direction uses its own share).
    """
    fa, fb = creators[0]["followers"], creators[1]["followers"]
    if union is None or fa is None or fb is None:
        return None
    shared = fa + fb - union
    return shared if 0 <= shared <= min(fa, fb) else None


def matrix_flow(platform: str, handles: Sequence[str], price: float) -> Flow[OverlapMatrix]:
    """Yield each pair's handles, receive its result; return the :class:`OverlapMatrix`."""
    matrix = OverlapMatrix(platform, list(handles), estimate=matrix_estimate(len(handles), price))
    try:
        for a, b in combinations(handles, 2):
            result = yield [a, b]
            matrix.cost = round(matrix.cost + _cost(result), 4)
            matrix.calls += 1
            matrix.cached += _from_cache(result)
            matrix.rows.extend(_pair_rows(platform, result))
    except InfluencersClubError as exc:
        exc.partial = matrix
        raise
    return matrix


# ----------------------------------------------------------------------------- the planner
@dataclass
class ReachPlan:
    """The creators a greedy search picked for the most unique reach, step by step.

    ``curve`` has one row per pick: ``step``, ``handle``, ``unique_reach`` (deduplicated
    followers of the set so far, from the overlap endpoint's ``total_unique_followers``),
    ``gain`` (what that pick added) and ``credits_spent`` (cumulative). ``stopped`` says
    why it ended: ``"k"`` (all picks made), ``"budget"`` or ``"candidates"``; ``reason``
    says it in a sentence (a plan that stopped short also warns with it).
    """

    platform: str
    candidates: list[str]
    k: int
    budget: float
    estimate: float
    steps: list[dict[str, Any]] = field(default_factory=list)
    spent: float = 0.0
    stopped: str = ""
    #: overlap calls made, and how many of them the response cache answered (at no cost)
    calls: int = 0
    cached: int = 0
    next_cost: float = 0.0  # worst case of the step the budget did not allow
    needed: float = 0.0  # worst case of all k picks, whatever the budget

    @property
    def reason(self) -> str:
        """Why the plan ended, in a sentence (what it picked, and what stopped it)."""
        picked = f"{len(self.steps)} of {self.k} creators"
        if self.stopped == "k":
            return f"picked {picked} for {self.spent:g} credits"
        if self.stopped == "budget":
            left = round(self.budget - self.spent, 4)
            return (
                f"stopped after {picked}: the next step costs up to {self.next_cost:g} "
                f"credits and {left:g} of the {self.budget:g}-credit budget is left "
                f"(all {self.k} need up to {self.needed:g})"
            )
        if self.stopped == "candidates":
            return f"stopped after {picked}: no candidates left to try"
        return "not run"

    @property
    def chosen(self) -> list[str]:
        """Handles in the order they were picked."""
        return [s["handle"] for s in self.steps]

    @property
    def curve(self) -> pl.DataFrame:
        """Unique reach after each pick (see the class docstring)."""
        import polars as pl

        schema = {
            "step": pl.Int64,
            "handle": pl.String,
            "unique_reach": pl.Int64,
            "gain": pl.Int64,
            "credits_spent": pl.Float64,
        }
        return pl.DataFrame(self.steps, schema=schema, orient="row")

    def to_polars(self) -> pl.DataFrame:
        """The curve (so charts and widgets can take the plan like any table)."""
        return self.curve

    def to_pandas(self) -> Any:
        """The curve in pandas."""
        from toolkit.frames import to_pandas

        return to_pandas(self.curve)

    def __repr__(self) -> str:
        return (
            f"ReachPlan({self.platform}, chosen={self.chosen}, spent={self.spent:g}, "
            f"estimate={self.estimate:g}, stopped={self.stopped!r})"
        )


def _followers(result: Any) -> dict[str, int]:
    df = result.to_polars()["creators"]
    return {r["username"]: r["followers"] or 0 for r in df.to_dicts()}


def _union(result: Any) -> int:
    totals = result.to_polars()["totals"].to_dicts()
    return int(totals[0]["total_unique_followers"] or 0) if totals else 0


def reach_flow(
    platform: str, candidates: Sequence[str], k: int, budget: float, price: float
) -> Flow[ReachPlan]:
    """Greedy maximum coverage over the overlap endpoint (see :class:`ReachPlan`)."""
    pool = list(dict.fromkeys(candidates))
    k = min(k, len(pool), MAX_GROUP)
    needed = reach_estimate(len(pool), k, price)
    plan = ReachPlan(platform, pool, k, budget, estimate=min(needed, budget), needed=needed)

    def pay(result: Any) -> None:
        plan.spent = round(plan.spent + _cost(result), 4)
        plan.calls += 1
        plan.cached += _from_cache(result)

    def record(handle: str, reach: int) -> None:
        prev = plan.steps[-1]["unique_reach"] if plan.steps else 0
        step = len(plan.steps) + 1
        plan.steps.append(
            {
                "step": step,
                "handle": handle,
                "unique_reach": reach,
                "gain": reach - prev,
                "credits_spent": plan.spent,
            }
        )

    try:
        groups = _seed_groups(pool)
        if k < 1 or len(pool) < 2 or plan.spent + len(groups) * price > budget + 1e-9:
            plan.stopped = "budget" if len(pool) >= 2 and k >= 1 else "candidates"
            plan.next_cost = len(groups) * price
            return _said(plan)
        followers: dict[str, int] = {}
        for group in groups:
            result = yield group
            pay(result)
            followers.update(_followers(result))
        first = max(pool, key=lambda h: (followers.get(h, 0), -pool.index(h)))
        record(first, followers.get(first, 0))
        while len(plan.steps) < k:
            rest = [h for h in pool if h not in plan.chosen]
            if not rest:
                plan.stopped = "candidates"
                return _said(plan)
            if plan.spent + len(rest) * price > budget + 1e-9:
                plan.stopped = "budget"
                plan.next_cost = round(len(rest) * price, 4)
                return _said(plan)
            best: tuple[int, str] | None = None
            for handle in rest:
                result = yield [*plan.chosen, handle]
                pay(result)
                reach = _union(result)
                if best is None or reach > best[0]:
                    best = (reach, handle)
            assert best is not None
            record(best[1], best[0])
        plan.stopped = "k"
        return plan
    except InfluencersClubError as exc:
        exc.partial = plan
        raise


def _said(plan: ReachPlan) -> ReachPlan:
    """A plan that stopped short of ``k`` says why (a warning naming the caller's line):
    otherwise a plan of 1 creator for a 3-creator question reads like an answer."""
    warnings.warn(f"plan_reach {plan.reason}", stacklevel=caller_stacklevel())
    return plan


# ----------------------------------------------------------------------------- drivers
def run(flow: Flow[T], overlap: Callable[[list[str]], Any]) -> T:
    """Drive a flow with a sync ``overlap(handles)``; return what the flow returns."""
    try:
        handles = next(flow)
        while True:
            handles = flow.send(overlap(handles))
    except StopIteration as stop:
        done: T = stop.value
        return done


async def arun(flow: Flow[T], overlap: Callable[[list[str]], Awaitable[Any]]) -> T:
    """:func:`run` for the async client."""
    try:
        handles = next(flow)
        while True:
            handles = flow.send(await overlap(handles))
    except StopIteration as stop:
        done: T = stop.value
        return done


def prepare_matrix(
    client: Any, platform: str, handles: Sequence[str], confirm: bool
) -> tuple[Flow[OverlapMatrix], float]:
    """Check the handles and the confirmation; the flow to drive and its estimate."""
    if isinstance(handles, str) or len(set(handles)) != len(handles) or len(handles) < 2:
        raise ValueError("overlap_matrix needs a list of at least 2 distinct handles")
    price = client.prices.overlap
    est = matrix_estimate(len(handles), price)
    _check_confirmed(
        f"overlap_matrix of {len(handles)} creators ({len(handles) * (len(handles) - 1) // 2} "
        "overlap calls)",
        est,
        client.budget_left,
        confirm,
    )
    return matrix_flow(platform, list(handles), price), est


def prepare_plan(
    client: Any, platform: str, candidates: Sequence[str], k: int, budget: float, confirm: bool
) -> Flow[ReachPlan]:
    """Check the inputs and the confirmation; the planner flow to drive."""
    if isinstance(candidates, str) or len(candidates) < 2:
        raise ValueError("plan_reach needs a list of at least 2 candidate handles")
    if not 1 <= k <= MAX_GROUP:
        raise ValueError(f"k must be 1 to {MAX_GROUP}: one overlap call compares at most 10")
    if budget <= 0:
        raise ValueError("budget must be a positive number of credits")
    price = client.prices.overlap
    n = len(dict.fromkeys(candidates))
    est = min(reach_estimate(n, k, price), budget)
    _check_confirmed(f"plan_reach over {n} candidates for k={k}", est, client.budget_left, confirm)
    return reach_flow(platform, candidates, k, budget, price)
