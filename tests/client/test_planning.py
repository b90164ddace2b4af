"""overlap_matrix and plan_reach: calls made and credits charged as the sandbox saw them,
refusal before any call without confirmation, the budget stop."""

from __future__ import annotations

from itertools import combinations

import pytest

from toolkit import Client
from toolkit.planning import CostNotConfirmedError, matrix_estimate, reach_estimate
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, handles, make_async_client, make_client

OVERLAP = "/public/v1/creators/audience/overlap/"


def _sent_groups(recorder: Recorder) -> list[list[str]]:
    return [s.json()["creators"] for s in recorder.sent if s.path == OVERLAP]


def test_matrix_refuses_before_any_call(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    with pytest.raises(CostNotConfirmedError, match="up to 10 credits"):
        client.creators.overlap_matrix("instagram", handles(sb, "instagram", 5))
    assert recorder.sent == [] and sb.log.total_charged == 0


def test_matrix_one_call_per_pair_charged_as_the_sandbox_says(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    hs = handles(sb, "instagram", 5)
    m = client.creators.overlap_matrix("instagram", hs, confirm=True)
    assert _sent_groups(recorder) == [list(p) for p in combinations(hs, 2)]
    assert m.cost == sb.log.total_charged == client.ledger.total_spent == matrix_estimate(5)
    df = m.to_polars()
    assert df.height == 20 and set(df["creator"]) == set(hs)
    assert m.to_pandas().shape == df.shape


def test_matrix_runs_when_the_client_budget_covers_it(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    with make_client(sb, recorder, sleeps, budget=3) as c:
        m = c.creators.overlap_matrix("instagram", handles(sb, "instagram", 3))
    assert m.cost == 3 and len(_sent_groups(recorder)) == 3


def test_plan_reach_greedy_matches_an_independent_search(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    cands = handles(sb, "instagram", 6)
    plan = client.creators.plan_reach("instagram", cands, 3, budget=100, confirm=True)
    assert plan.estimate == reach_estimate(6, 3) == 1 + 5 + 4
    assert plan.spent == sb.log.total_charged == plan.estimate
    assert plan.stopped == "k" and len(plan.chosen) == 3
    # oracle: ask the sandbox directly for every candidate set the greedy could have taken
    oracle = Client(api_key=sb.api_key, base_url=client.base_url, transport=sb.transport())
    chosen: list[str] = [plan.chosen[0]]
    for _ in range(2):
        best = max(
            (h for h in cands if h not in chosen),
            key=lambda h: (
                oracle.creators.overlap("instagram", [*chosen, h])
                .to_polars()
                .totals["total_unique_followers"][0]
            ),
        )
        chosen.append(best)
    assert plan.chosen == chosen
    curve = plan.curve
    assert curve["step"].to_list() == [1, 2, 3]
    assert curve["credits_spent"].to_list()[-1] == plan.spent
    gains = curve["gain"].to_list()
    assert sum(gains) == curve["unique_reach"].to_list()[-1]


def test_plan_reach_refuses_without_confirm_and_stops_at_budget(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    cands = handles(sb, "instagram", 6)
    with pytest.raises(CostNotConfirmedError):
        client.creators.plan_reach("instagram", cands, 3, budget=100)
    assert recorder.sent == []
    with pytest.warns(UserWarning, match="stopped after 2 of 3 creators") as said:
        plan = client.creators.plan_reach("instagram", cands, 3, budget=7, confirm=True)
    assert plan.stopped == "budget" and len(plan.chosen) == 2
    assert plan.spent == 6 <= 7 and sb.log.total_charged == 6
    assert said[0].filename == __file__  # the warning names the analyst's line


def test_plan_reach_that_stops_after_one_creator_says_why(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    cands = handles(sb, "instagram", 12)  # seeding: 2 calls; the next step tries 11
    with pytest.warns(UserWarning) as said:
        plan = client.creators.plan_reach("instagram", cands, 3, budget=10, confirm=True)
    assert plan.chosen == plan.curve["handle"].to_list() and len(plan.chosen) == 1
    assert plan.stopped == "budget" and plan.spent == 2 == sb.log.total_charged
    assert plan.reason == (
        "stopped after 1 of 3 creators: the next step costs up to 11 credits and 8 of the "
        "10-credit budget is left (all 3 need up to 23)"
    )
    assert [str(w.message) for w in said] == [f"plan_reach {plan.reason}"]


def test_a_finished_plan_says_what_it_picked_and_does_not_warn(client: Client, sb: Sandbox) -> None:
    plan = client.creators.plan_reach(
        "instagram", handles(sb, "instagram", 4), 2, budget=10, confirm=True
    )
    assert (
        plan.stopped == "k" and plan.reason == f"picked 2 of 2 creators for {plan.spent:g} credits"
    )


@pytest.mark.anyio
async def test_async_twins(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> None:
    async with make_async_client(sb, recorder, sleeps) as ac:
        m = await ac.creators.overlap_matrix("instagram", handles(sb, "instagram", 3), confirm=True)
        plan = await ac.creators.plan_reach(
            "instagram", handles(sb, "instagram", 4), 2, budget=10, confirm=True
        )
        hits = int(ac.ledger.to_pandas()["cached"].sum())
    # the planner's pairs that the matrix already paid for come from the cache, at no cost
    assert m.cost == 3 and hits == 2 and plan.spent + hits == 1 + 3 and len(plan.chosen) == 2
