"""The sandbox ``ic.connect()`` gives without a key is one a real brief can use.

A brief finds a few dozen creators, audiences overlap the way real ones do (one niche and
country shares far more than strangers, and pairs spread over a wide range), the shared
audience of a pair is one number both ways, and likers are not the followers again.
The world is built once and kept in the user's cache folder, so only the first run waits.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit.sandbox.world import DEFAULT_SIZE

ROOT = Path(__file__).resolve().parents[2]

BRIEF = {
    "location": ["United States"],
    "number_of_followers": {"min": 50_000, "max": 500_000},
    "engagement_percent": {"min": 2},
    "profile_language": ["en"],
    "ai_search": "fitness",
}


@pytest.fixture(scope="module")
def client() -> Iterator[ic.Client]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)
        client = ic.connect(quiet=True, cache="off")
    assert isinstance(client, ic.Client) and client.sandbox is not None
    with client:
        yield client


@pytest.fixture(scope="module")
def brief(client: ic.Client) -> Any:
    return client.discovery.search("instagram", filters=BRIEF, limit=50)


def test_the_default_world_is_the_documented_size(client: ic.Client) -> None:
    assert client.sandbox is not None and client.sandbox.size == DEFAULT_SIZE
    assert len(client.sandbox.world.creators) == DEFAULT_SIZE
    documented = (ROOT / "docs" / "sandbox.md").read_text()
    assert f"{DEFAULT_SIZE:,} creators of seed 7 (`world.DEFAULT_SIZE`)" in documented


def test_a_real_brief_finds_at_least_20_creators_that_fit_it(client: ic.Client, brief: Any) -> None:
    rows = brief.to_polars()
    assert brief.data["total"] >= 20 and rows.height >= 20
    assert rows["followers"].is_between(50_000, 500_000).all()
    assert (rows["engagement_percent"] > 2).all()
    world = client.sandbox.world  # type: ignore[union-attr]
    people = [world.lookup("instagram", u) for u in rows["username"]]
    assert all(p is not None and p.location == "United States" for p in people)
    assert all(p is not None and p.language == "en" for p in people)


def _fitness_creators(client: ic.Client, brief: Any, n: int) -> list[str]:
    world = client.sandbox.world  # type: ignore[union-attr]
    names = [
        u
        for u in brief.to_polars()["username"]
        if world.lookup("instagram", u).niche.name == "Fitness"
    ]
    assert len(names) >= n
    return names[:n]


def test_pairwise_shares_of_one_niche_spread_over_a_factor_of_5(
    client: ic.Client, brief: Any
) -> None:
    matrix = client.creators.overlap_matrix(
        "instagram", _fitness_creators(client, brief, 10), confirm=True
    )
    rows = matrix.to_polars()
    shares = rows["shared_share"].to_list()
    assert len(shares) == 90 and min(shares) > 0
    assert max(shares) / min(shares) >= 5
    # and not only because the partners differ in size: shared people per pair, relative
    # to what the two sizes alone would predict, spread as widely ("least overlap" means
    # something, and the reach planner does more than take the biggest)
    per_size = (
        rows["shared_followers"] / (rows["creator_followers"] * rows["other_followers"])
    ).to_list()
    assert max(per_size) / min(per_size) >= 5


def test_one_niche_and_country_share_far_more_than_strangers(client: ic.Client, brief: Any) -> None:
    world = client.sandbox.world  # type: ignore[union-attr]
    fit = _fitness_creators(client, brief, 6)
    strangers = [
        c.username
        for c in world.on("instagram")
        if 50_000 <= c.followers <= 500_000
        and c.niche.name != "Fitness"
        and (c.person.niche2 is None or c.person.niche2.name != "Fitness")
        and c.location != "United States"
    ][:6]

    def share(a: str, b: str) -> float:
        rows = client.creators.overlap("instagram", [a, b]).to_polars()["creators"]
        return float(rows["overlapping_percentage"][0])

    kin = statistics.median(share(a, b) for a, b in combinations(fit, 2))
    far = statistics.median(share(a, b) for a, b in zip(fit, strangers, strict=True))
    assert kin > 10 * far


def test_the_shared_audience_of_a_pair_is_the_same_both_ways(client: ic.Client, brief: Any) -> None:
    names = _fitness_creators(client, brief, 4)
    rows = client.creators.overlap_matrix("instagram", names, confirm=True).to_polars()
    shared = {(r["creator"], r["other"]): r["shared_followers"] for r in rows.to_dicts()}
    for a, b in combinations(names, 2):
        assert shared[a, b] == shared[b, a] > 0
    # and the sandbox's own answer agrees with itself to its six rounded places
    answer = client.creators.overlap("instagram", names[:2]).data
    fa, fb = (d["followers"] for d in answer["details"])
    oa, ob = (d["overlapping_percentage"] for d in answer["details"])
    union = answer["basics"]["total_unique_followers"]
    assert abs(fa * oa - fb * ob) <= (fa + fb) * 1e-6 + 1
    assert abs(fa * oa - (fa + fb - union)) <= fa * 1e-6 + 1


def test_likers_are_not_the_followers_again(client: ic.Client, brief: Any) -> None:
    handle = _fitness_creators(client, brief, 1)[0]
    audience = client.creators.enrich_handle(handle, "instagram", mode="full").data["result"][
        "instagram"
    ]["audience"]
    followers = audience["audience_followers"]["data"]
    likers = audience["audience_likers"]["data"]
    for key in ("audience_ages", "audience_genders", "audience_geo", "audience_interests"):
        assert likers[key] != followers[key], key
    young = {"13-17", "18-24"}
    assert sum(a["weight"] for a in likers["audience_ages"] if a["code"] in young) > sum(
        a["weight"] for a in followers["audience_ages"] if a["code"] in young
    )
    assert likers["audience_credibility"] > followers["audience_credibility"]
