"""The creator-data handlers on the synthetic world, called through their router with a
small fake ``Ctx`` (tests/sandbox/_fakectx.py)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from _fakectx import FakeCtx, FakeList, FakeSettings, call

from toolkit.filters import filters_for
from toolkit.sandbox.world import World

DISCOVERY = "/public/v1/discovery/"
SIMILAR = "/public/v1/discovery/creators/similar/"
OVERLAP = "/public/v1/creators/audience/overlap/"
POSTS = "/public/v1/creators/content/posts/"
DETAILS = "/public/v1/creators/content/details/"
ENRICH = "/public/v1/creators/enrich/handle/{}/"


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=7, size=3000)


@pytest.fixture
def ctx(world: World) -> FakeCtx:
    world.memory.clear()
    return FakeCtx(world)


def search(
    ctx: FakeCtx,
    platform: str = "instagram",
    filters: Any = None,
    limit: int = 50,
    page: int = 0,
    sort: dict | None = None,
) -> tuple[int, Any]:
    body: dict[str, Any] = {"platform": platform, "paging": {"limit": limit, "page": page}}
    if filters is not None:
        body["filters"] = filters
    if sort is not None:
        body["sort"] = sort
    status, data, _raw = call(ctx, "POST", DISCOVERY, body)
    return status, data


# ----------------------------------------------------------------------------- discovery
def test_discovery_shape_and_price(ctx: FakeCtx) -> None:
    status, data = search(ctx, limit=7)
    assert status == 200
    assert list(data)[:3] == ["total", "limit", "accounts"]
    assert data["limit"] == 7 and len(data["accounts"]) == 7
    assert data["total"] == len(ctx.world.on("instagram"))
    acct = data["accounts"][0]
    assert acct["user_id"].startswith("uc_")
    assert set(acct["profile"]) == {
        "full_name",
        "username",
        "picture",
        "followers",
        "engagement_percent",
    }
    assert "Expires=" in acct["profile"]["picture"] and "Signature=" in acct["profile"]["picture"]
    assert data["credits_cost"] == pytest.approx(0.07)
    assert ctx.charges == [pytest.approx(0.07)]
    assert data["credits_left"] == pytest.approx(1000 - 0.07)


def test_youtube_rows_have_channel_id_and_at_username(ctx: FakeCtx) -> None:
    _s, data = search(ctx, "youtube", limit=3)
    profile = data["accounts"][0]["profile"]
    assert profile["username"].startswith("@") and profile["id"].startswith("UC")
    assert ctx.world.lookup("youtube", profile["id"]).username == profile["username"][1:]


def test_empty_result_costs_nothing(ctx: FakeCtx) -> None:
    status, data = search(
        ctx, filters={"number_of_followers": {"min": 99_999_998, "max": 99_999_999}}, limit=1
    )
    assert status == 200 and data["accounts"] == [] and data["total"] == 0
    assert data["credits_cost"] == 0 and ctx.charges == []
    assert data["credits_left"] == pytest.approx(1000)


def test_filters_narrow_and_unknown_or_foreign_keys_are_ignored(ctx: FakeCtx) -> None:
    _s, base = search(ctx)
    _s, narrowed = search(ctx, filters={"number_of_followers": {"min": 100_000}})
    assert 0 < narrowed["total"] < base["total"]
    assert all(a["profile"]["followers"] >= 100_000 for a in narrowed["accounts"])
    # an unknown key and a YouTube-only key change nothing on Instagram
    _s, ignored = search(ctx, filters={"no_such_filter": 1, "number_of_subscribers": {"min": 1e9}})
    assert ignored["total"] == base["total"]


@pytest.mark.parametrize(
    ("filters", "path", "message"),
    [
        (
            {"engagement_percent": {"min": "lots"}},
            ["filters", "engagement_percent"],
            "A valid number is required.",
        ),
        ({"is_verified": "yes"}, ["filters", "is_verified"], "Must be a valid boolean."),
        (
            {"location": "United States"},
            ["filters", "location"],
            'Expected a list of items but got type "str".',
        ),
        ({"gender": "robot"}, ["filters", "gender"], '"robot" is not a valid choice.'),
        ({"last_post": "soon"}, ["filters", "last_post"], "A valid integer is required."),
    ],
)
def test_known_filters_with_wrong_types_are_drf_400s(
    ctx: FakeCtx, filters: dict, path: list[str], message: str
) -> None:
    status, data = search(ctx, filters=filters)
    assert status == 400
    node = data["error"]
    for key in path:
        node = node[key]
    assert node == [message]
    assert ctx.charges == []


# values to try per filter kind; the test looks for one that narrows the result
_CANDIDATES: dict[str, list[Any]] = {
    "range": [{"min": x} for x in (1, 5, 20, 100, 1000, 10_000, 100_000, 1_000_000)]
    + [{"max": x} for x in (1, 5, 20, 100, 1000)],
    "number": [0.5, 1, 3, 7, 20],
    "days": [1, 3, 7, 30],
    "growth": [{"growth_percentage": g, "time_range_months": 3} for g in (-5, 0, 5, 20)],
    "boolean": [True, False],
    "string": ["creator", "business", "female", "male", "fitness gym workout"],
    "flags": [{"has_instagram": True}, {"has_linktree": True}, {"has_youtube": False}],
    "string_list": [
        ["United States"],
        ["es"],
        ["nike"],
        ["gaming"],
        ["Gaming"],
        ["makeup"],
        ["Minecraft"],
        ["linktr.ee"],
        ["x.com"],
        ["Just Chatting"],
        ["fitness"],
    ],
    "object": [
        {"credibility": "good"},
        {"gender": {"type": "male", "min_pct": 60}},
        {"age": [{"range": "18-24", "min_pct": 30}]},
        {"location": [{"name": "United States", "type": "country", "min_pct": 30}]},
    ],
}
_NEEDS_STATE = {
    "exclude_list",
    "exclude_default_list",
    "exclude_all_lists",
    "exclude_previous",
    "exclude_handles",
    "similar_to",
}


@pytest.mark.parametrize(
    "platform", ["instagram", "youtube", "tiktok", "twitch", "twitter", "onlyfans"]
)
def test_every_schema_filter_has_an_effect(ctx: FakeCtx, platform: str) -> None:
    _s, base = search(ctx, platform, limit=1)
    no_effect = []
    for spec in filters_for(platform, top_level=True):
        if spec.key in _NEEDS_STATE:
            continue
        totals = []
        for value in _CANDIDATES.get(spec.kind, []):
            status, data = search(ctx, platform, {spec.key: value}, limit=1)
            if status == 200:
                totals.append(data["total"])
        if not any(t < base["total"] for t in totals):
            no_effect.append(spec.key)
    assert no_effect == []


def test_exclusions_remove_creators(ctx: FakeCtx) -> None:
    _s, first = search(ctx, limit=3)
    names = [a["profile"]["username"] for a in first["accounts"]]
    _s, data = search(ctx, filters={"exclude_handles": ["@" + names[0].upper()]}, limit=3)
    assert data["total"] == first["total"] - 1 and names[0] not in str(data["accounts"])
    ctx.account.exclusion_lists = {
        11: FakeList(11, "mine", "instagram", handles={names[1]}),
        12: FakeList(12, "default", "instagram", is_default=True, handles={names[2]}),
        13: FakeList(13, "tiktok", "tiktok", handles={names[0]}),
    }
    _s, by_id = search(ctx, filters={"exclude_list": [11, 13, 999]})
    assert by_id["total"] == first["total"] - 1  # 13 is TikTok's, 999 not owned: ignored
    _s, default = search(ctx, filters={"exclude_default_list": True})
    assert default["total"] == first["total"] - 1
    _s, everything = search(ctx, filters={"exclude_all_lists": True})
    assert everything["total"] == first["total"] - 2
    _s, again = search(ctx, filters={"exclude_previous": True})
    assert again["total"] < first["total"]


def test_similar_to_inside_discovery(ctx: FakeCtx) -> None:
    ref = ctx.world.on("instagram")[0]
    _s, data = search(ctx, filters={"similar_to": [ref.username]}, limit=5)
    assert 0 < data["total"] < len(ctx.world.on("instagram"))
    names = [a["profile"]["username"] for a in data["accounts"]]
    assert ref.username not in names
    assert all(
        ctx.world.lookup("instagram", n).niche is ref.niche or ref.person.niche2 is not None
        for n in names
    )


def test_ai_search_ranks_matching_niche_first(ctx: FakeCtx) -> None:
    _s, data = search(ctx, filters={"ai_search": "fitness workout gym"}, limit=10)
    assert data["total"] > 0
    niches = [
        ctx.world.lookup("instagram", a["profile"]["username"]).niche.name for a in data["accounts"]
    ]
    assert niches.count("Fitness") >= 8


@pytest.mark.parametrize(
    ("sort_by", "key"),
    [
        ("number_of_followers", lambda c: c.followers),
        ("engagement_rate", lambda c: c.engagement_percent),
        ("growth_rate", lambda c: c.growth(3)),
    ],
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sort_orders(ctx: FakeCtx, sort_by: str, key, order: str) -> None:
    _s, data = search(ctx, sort={"sort_by": sort_by, "sort_order": order}, limit=50)
    values = [
        key(ctx.world.lookup("instagram", a["profile"]["username"])) for a in data["accounts"]
    ]
    assert values == sorted(values, reverse=order == "desc")


@pytest.mark.parametrize(
    ("platform", "sort"),
    [
        ("instagram", {"sort_by": "relevancy", "sort_order": "asc"}),
        ("onlyfans", {"sort_by": "number_of_followers", "sort_order": "desc"}),
        ("twitch", {"sort_by": "growth_rate", "sort_order": "desc"}),
        ("instagram", {"sort_by": "loudness", "sort_order": "desc"}),
    ],
)
def test_documented_sort_refusals(ctx: FakeCtx, platform: str, sort: dict) -> None:
    status, data = search(ctx, platform, sort=sort)
    assert status == 400 and "sort" in data["error"]


@pytest.mark.parametrize("limit", [0, 51, "ten"])
def test_limit_outside_1_to_50_is_refused(ctx: FakeCtx, limit: Any) -> None:
    status, data = search(ctx, limit=limit)
    assert status == 400 and list(data["error"]["paging"]) == ["limit"]


def test_page_base_and_the_10k_cap(world: World) -> None:
    zero = FakeCtx(world)
    one = FakeCtx(world, settings=FakeSettings(page_base=1))
    _s, a = search(zero, page=1, limit=5)
    _s, b = search(one, page=2, limit=5)
    assert a["accounts"] == b["accounts"]
    status, data = search(one, page=0)
    assert status == 400 and "page" in data["error"]["paging"]
    status, data = search(zero, page=200, limit=50)  # first row 10,001
    assert status == 400 and "page" in data["error"]["paging"]
    capped = FakeCtx(world, settings=FakeSettings(max_results=25))
    _s, last = search(capped, page=2, limit=10)
    assert len(last["accounts"]) == 5 and last["total"] > 25
    status, _d = search(capped, page=3, limit=10)
    assert status == 400


def test_pages_do_not_overlap(ctx: FakeCtx) -> None:
    seen: list[str] = []
    for page in range(4):
        _s, data = search(
            ctx, filters={"number_of_followers": {"min": 20_000}}, limit=10, page=page
        )
        seen += [a["user_id"] for a in data["accounts"]]
    assert len(seen) == len(set(seen)) == 40


def test_short_balance_is_402_and_nothing_billed(world: World) -> None:
    poor = FakeCtx(world)
    poor.account.balance = 0.05
    status, _d = search(poor, limit=10)
    assert status == 402 and poor.charges == [] and poor.account.balance == 0.05


# ----------------------------------------------------------------------------- similar
def test_similar_creators(ctx: FakeCtx) -> None:
    ref = max(ctx.world.on("instagram"), key=lambda c: c.followers)
    body = {
        "platform": "instagram",
        "filter_key": "url",
        "filter_value": ref.url,
        "paging": {"limit": 10, "page": 0},
    }
    status, data, _raw = call(ctx, "POST", SIMILAR, body)
    assert status == 200 and data["total"] > 0
    scores = [a["similarity_score"] for a in data["accounts"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert ref.username not in [a["profile"]["username"] for a in data["accounts"]]
    assert data["credits_cost"] == pytest.approx(0.01 * len(scores))
    body["filter_value"] = "nobody-at-all"
    assert call(ctx, "POST", SIMILAR, body)[0] == 404
    body["platform"] = "twitter"
    assert call(ctx, "POST", SIMILAR, body)[0] == 400


# ----------------------------------------------------------------------------- overlap
def test_overlap_sums_and_price(ctx: FakeCtx) -> None:
    ig = sorted(ctx.world.on("instagram"), key=lambda c: -c.followers)
    same = [c for c in ig if c.niche is ig[0].niche][:3]
    status, data, _raw = call(
        ctx,
        "POST",
        OVERLAP,
        {
            "platform": "instagram",
            "creators": [same[0].username, "@" + same[1].username, same[2].url],
        },
    )
    assert status == 200 and data["status"] is True and data["success"] is True
    basics = data["basics"]
    assert basics["total_followers"] == sum(c.followers for c in same)
    assert (
        max(c.followers for c in same)
        <= basics["total_unique_followers"]
        <= basics["total_followers"]
    )
    for d in data["details"]:
        assert d["unique_percentage"] + d["overlapping_percentage"] == pytest.approx(1.0)
        assert d["user"]["user_id"] == d["user_id"]
    assert data["credits_cost"] == 1.0 and ctx.charges == [1.0]


def test_overlap_same_niche_shares_more_than_strangers(ctx: FakeCtx) -> None:
    ig = sorted(ctx.world.on("instagram"), key=lambda c: -c.followers)[:200]
    a = ig[0]
    same = next(c for c in ig[1:] if c.niche is a.niche and c.person.country is a.person.country)
    other = next(
        c
        for c in ig[1:]
        if c.niche is not a.niche
        and c.person.niche2 is not a.niche
        and a.person.niche2 is not c.niche
    )

    def shared(b):
        _s, data, _r = call(
            ctx, "POST", OVERLAP, {"platform": "instagram", "creators": [a.username, b.username]}
        )
        return data["details"][1]["overlapping_percentage"]

    assert shared(same) > shared(other)


@pytest.mark.parametrize("creators", [["one"], [f"c{i}" for i in range(11)], "abc"])
def test_overlap_needs_2_to_10_creators(ctx: FakeCtx, creators: Any) -> None:
    status, data, _r = call(ctx, "POST", OVERLAP, {"platform": "instagram", "creators": creators})
    assert status == 400 and "creators" in data["error"] and ctx.charges == []


def test_overlap_platforms(ctx: FakeCtx) -> None:
    status, data, _r = call(ctx, "POST", OVERLAP, {"platform": "twitch", "creators": ["a", "b"]})
    assert status == 400 and "platform" in data["error"]


# ----------------------------------------------------------------------------- dictionaries
def test_dictionaries_search_offset_and_free(ctx: FakeCtx) -> None:
    base = "/public/v1/discovery/classifier/"
    s, langs, _ = call(ctx, "GET", base + "languages/")
    assert s == 200 and langs[:2] == [
        {"language": "English", "abbreviation": "en"},
        {"language": "Spanish", "abbreviation": "es"},
    ]
    s, london, _ = call(ctx, "GET", base + "locations/instagram/", query="search=LONDON&limit=1")
    assert s == 200 and len(london) == 1 and "london" in london[0].lower()
    assert call(ctx, "GET", base + "locations/myspace/")[0] == 404
    _s, names, _ = call(ctx, "GET", base + "audience-brand-names/")
    _s, later, _ = call(ctx, "GET", base + "audience-brand-names/", query="offset=10")
    assert names[10] == later[0] and len(names) == 50
    _s, nike, _ = call(ctx, "GET", base + "brands/", query="search=nik")
    assert {"full_name": "Nike", "cleaned": "nike", "username": "nike"} in nike
    assert call(ctx, "GET", base + "audience-interests/", query="offset=x")[0] == 400
    _s, topics, _ = call(ctx, "GET", base + "yt-topics/")
    assert all(set(t) == {"topic_details", "sub_topic_details"} for t in topics)
    _s, games, _ = call(ctx, "GET", base + "games/")
    assert all(isinstance(g, str) for g in games)
    _s, aud, _ = call(ctx, "GET", base + "audience-locations/", query="search=cal")
    assert {"name": "California", "type": "state"} in aud
    assert ctx.charges == []


def test_dictionary_values_filter_something(ctx: FakeCtx) -> None:
    _s, locations, _ = call(ctx, "GET", "/public/v1/discovery/classifier/locations/tiktok/")
    _s, data = search(ctx, "tiktok", {"location": [locations[0]]})
    assert data["total"] > 0


# ----------------------------------------------------------------------------- one person
def test_same_person_across_endpoints(ctx: FakeCtx) -> None:
    _s, found = search(ctx, filters={"number_of_followers": {"min": 50_000}}, limit=50)
    row = next(
        a
        for a in found["accounts"]
        if len(ctx.world.lookup("instagram", a["profile"]["username"]).person.accounts) > 1
    )
    handle = row["profile"]["username"]
    s, full, _ = call(
        ctx, "POST", ENRICH.format("full"), {"platform": "instagram", "handle": handle}
    )
    ig = full["result"]["instagram"]
    assert s == 200 and ig["username"] == handle
    assert ig["follower_count"] == row["profile"]["followers"]
    assert ig["full_name"] == row["profile"]["full_name"]
    s, socials, _ = call(
        ctx, "POST", "/public/v1/creators/socials/", {"platform": "instagram", "handle": handle}
    )
    platforms = [x["platform"] for x in socials["result"]]
    assert platforms[0] == "instagram" and len(platforms) > 1
    assert set(full["result"]["creator_has"]) == set(platforms)
    s, posts, _ = call(ctx, "POST", POSTS, {"platform": "instagram", "handle": handle})
    assert {i["user"]["username"] for i in posts["result"]["items"]} <= {handle}
    creator = ctx.world.lookup("instagram", handle)
    if creator.email:
        _s, by_mail, _ = call(
            ctx, "POST", "/public/v1/creators/enrich/email/", {"email": creator.email}
        )
        assert by_mail["result"]["fullname"] == creator.full_name


# ----------------------------------------------------------------------------- enrichment
def _enrich(ctx: FakeCtx, mode: str, **body: Any) -> tuple[int, Any]:
    status, data, _raw = call(ctx, "POST", ENRICH.format(mode), body)
    return status, data


def test_enrichment_tiers_split_the_full_block(ctx: FakeCtx) -> None:
    c = max(ctx.world.on("instagram"), key=lambda x: x.followers)
    _s, full = _enrich(ctx, "full", platform="instagram", handle=c.username)
    _s, prof = _enrich(ctx, "profile", platform="instagram", handle=c.username)
    _s, anal = _enrich(ctx, "analytics", platform="instagram", handle=c.username)
    f, p, a = (x["result"]["instagram"] for x in (full, prof, anal))
    assert set(p) | set(a) | {"post_data", "has_paid_partnership"} == set(f)
    assert not set(p) & set(a)
    assert "email" in prof["result"] and "email" not in anal["result"]
    assert [full["credits_cost"], prof["credits_cost"], anal["credits_cost"]] == [1.0, 0.2, 0.8]
    assert "credits_left" not in full  # the captures carry no balance on enrichment
    aud = f["audience"]
    assert aud["audience_followers"]["success"] is True
    assert aud["audience_commenters"].get("error") in (None, "empty_audience")
    assert len(aud["audience_credibility_followers_histogram"]) == 20
    assert isinstance(f["likes_median"], float)


def test_raw_enrichment_and_platform_quirks(ctx: FakeCtx) -> None:
    c = ctx.world.on("instagram")[0]
    _s, raw = _enrich(ctx, "raw", platform="instagram", handle=c.username)
    assert raw["credits_cost"] == 0.03
    assert "user" in raw["result"]["instagram"]["post_data"][0]
    tw = max(ctx.world.on("twitch"), key=lambda x: x.followers)
    _s, twitch = _enrich(ctx, "full", platform="twitch", handle=tw.username)
    assert {"displayName", "isPartner", "profileImageURL"} <= set(twitch["result"]["twitch"])
    yt = max(ctx.world.on("youtube"), key=lambda x: x.posts_per_week)
    _s, youtube = _enrich(ctx, "full", platform="youtube", handle=yt.id)
    eng = youtube["result"]["youtube"]["post_data"][0]["engagement"]
    assert all(isinstance(v, str) for v in eng.values())


def test_enrichment_options_and_errors(ctx: FakeCtx) -> None:
    c = max(ctx.world.on("tiktok"), key=lambda x: x.followers)
    _s, plain = _enrich(
        ctx, "full", platform="tiktok", handle=c.username, include_audience_data=False
    )
    assert "audience" not in plain["result"]["tiktok"] and "lookalikes" not in plain["result"]
    _s, more = _enrich(ctx, "full", platform="tiktok", handle=c.username, include_lookalikes=True)
    assert more["result"]["lookalikes"] and more["result"]["tiktok"]["audience"]
    assert more["result"]["tiktok"]["audience"]["audience_likers"] == {
        "success": False,
        "error": "empty_audience",
    }
    before = list(ctx.charges)
    assert _enrich(ctx, "full", platform="tiktok", handle="nobody-here")[0] == 404
    assert _enrich(ctx, "analytics", platform="snapchat", handle=c.username)[0] == 400
    assert ctx.charges == before


def test_must_have_email_without_email_returns_nothing_for_free(ctx: FakeCtx) -> None:
    c = next(x for x in ctx.world.on("instagram") if not x.email)
    status, data = _enrich(
        ctx, "full", platform="instagram", handle=c.username, email_required="must_have"
    )
    assert status == 200 and data["result"] == {} and data["credits_cost"] == 0
    assert ctx.charges == []
    with_email = next(x for x in ctx.world.on("instagram") if x.email)
    _s, ok = _enrich(
        ctx, "profile", platform="instagram", handle=with_email.username, email_required="must_have"
    )
    assert ok["result"]["email"] == with_email.email


def test_email_enrichment(ctx: FakeCtx) -> None:
    c = next(x for x in ctx.world.creators if x.email and len(x.person.accounts) > 1)
    s, data, _r = call(ctx, "POST", "/public/v1/creators/enrich/email/", {"email": c.email})
    assert s == 200 and set(data["result"]) == {
        "platform",
        "userId",
        "url",
        "username",
        "fullname",
        "picture",
        "followers",
    }
    assert data["result"]["followers"] == max(a.followers for a in c.person.accounts)
    assert data["credits_cost"] == 0.05
    assert (
        call(ctx, "POST", "/public/v1/creators/enrich/email/", {"email": "ghost@example.invalid"})[
            0
        ]
        == 404
    )
    assert call(ctx, "POST", "/public/v1/creators/enrich/email/", {"email": "nope"})[0] == 400
    assert ctx.charges == [0.05]


# ----------------------------------------------------------------------------- content
def test_posts_paging_newest_first_without_repeats(ctx: FakeCtx) -> None:
    c = max(ctx.world.on("tiktok"), key=lambda x: x.posts_per_week)
    now = ctx.clock.now()
    body: dict[str, Any] = {"platform": "tiktok", "handle": c.username, "count": 10}
    seen: list[int] = []
    ids: list[str] = []
    for _ in range(3):
        s, data, _r = call(ctx, "POST", POSTS, body)
        result = data["result"]
        assert s == 200 and result["status"] == "ok" and result["num_results"] == 10
        seen += [i["taken_at"] for i in result["items"]]
        ids += [i["pk"] for i in result["items"]]
        body["pagination_token"] = result["next_token"]
    assert seen == sorted(seen, reverse=True) and seen[0] <= now.timestamp()
    assert len(ids) == len(set(ids))
    assert ctx.charges == [0.03, 0.03, 0.03]
    body["pagination_token"] = "bm90LWEtdG9rZW4"
    assert call(ctx, "POST", POSTS, body)[0] == 400


@pytest.mark.parametrize(
    ("platform", "count"), [("instagram", 10), ("tiktok", 36), ("youtube", 51), ("youtube", 0)]
)
def test_posts_count_rules(ctx: FakeCtx, platform: str, count: int) -> None:
    c = ctx.world.on(platform)[0]
    status, data, _r = call(
        ctx, "POST", POSTS, {"platform": platform, "handle": c.username, "count": count}
    )
    assert status == 400 and "count" in data["error"]


def test_posts_follow_the_clock(world: World) -> None:
    c = max(world.on("instagram"), key=lambda x: x.posts_per_week)
    early, late = FakeCtx(world), FakeCtx(world)
    late.clock.advance(days=30)
    _s, a, _r = call(early, "POST", POSTS, {"platform": "instagram", "handle": c.username})
    _s, b, _r = call(late, "POST", POSTS, {"platform": "instagram", "handle": c.username})
    assert b["result"]["items"][0]["taken_at"] > a["result"]["items"][0]["taken_at"]
    assert len(a["result"]["items"]) == 12


def test_post_details(ctx: FakeCtx) -> None:
    c = max(ctx.world.on("instagram"), key=lambda x: x.followers)
    _s, page, _r = call(ctx, "POST", POSTS, {"platform": "instagram", "handle": c.username})
    item = page["result"]["items"][0]
    s, data, _r = call(
        ctx, "POST", DETAILS, {"platform": "instagram", "post_id": f"{item['pk']}_{c.id}"}
    )
    assert s == 200 and data["result"]["pk"] == item["pk"] and data["credits_cost"] == 0.03
    assert data["result"]["caption"]["text"] == item["caption"]
    assert data["result"]["metrics"]["like_count"] == item["engagement"]["likes"]
    s, comments, _r = call(
        ctx,
        "POST",
        DETAILS,
        {"platform": "instagram", "post_id": item["pk"], "content_type": "comments"},
    )
    assert s == 200 and comments["result"]["comments"]
    token = comments["result"]["next_token"]
    if token:
        _s, more, _r = call(
            ctx,
            "POST",
            DETAILS,
            {
                "platform": "instagram",
                "post_id": item["pk"],
                "content_type": "comments",
                "pagination_token": token,
            },
        )
        assert more["result"]["comments"][0]["id"] != comments["result"]["comments"][0]["id"]
    assert call(ctx, "POST", DETAILS, {"platform": "instagram", "post_id": "1234"})[0] == 404
    yt = ctx.world.on("youtube")[0]
    assert (
        call(
            ctx, "POST", DETAILS, {"platform": "youtube", "post_id": yt.id, "content_type": "audio"}
        )[0]
        == 400
    )


def test_future_posts_are_not_found_yet(ctx: FakeCtx) -> None:
    c = max(ctx.world.on("instagram"), key=lambda x: x.posts_per_week)
    now = ctx.clock.now()
    future = ctx.world.posts(c, now + timedelta(days=2), now + timedelta(days=20))[0]
    assert (
        call(ctx, "POST", DETAILS, {"platform": "instagram", "post_id": future.post_id})[0] == 404
    )


# ----------------------------------------------------------------------------- determinism
def test_same_seed_clock_and_request_give_identical_bytes() -> None:
    requests = [
        (
            "POST",
            DISCOVERY,
            {
                "platform": "tiktok",
                "paging": {"limit": 20, "page": 1},
                "filters": {"ai_search": "comedy sketches"},
            },
        ),
        ("POST", ENRICH.format("full"), None),
        ("POST", POSTS, None),
    ]
    outputs = []
    for _ in range(2):
        w = World(seed=11, size=1200)
        ctx = FakeCtx(w)
        big = max(w.on("tiktok"), key=lambda c: c.followers)
        raw = []
        for method, path, body in requests:
            body = body or {"platform": "tiktok", "handle": big.username}
            raw.append(call(ctx, method, path, body)[2])
        outputs.append(raw)
    assert outputs[0] == outputs[1]


def test_settings_dataclass_matches_what_handlers_read() -> None:
    names = {f.name for f in dataclasses.fields(FakeSettings)}
    assert {"page_base", "max_results", "email_price", "posts_price"} <= names
