"""The synthetic world: deterministic, believable, one person across platforms, posts."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest

from toolkit.sandbox._clock import DEFAULT_EPOCH
from toolkit.sandbox.world import PLATFORMS, World
from toolkit.sandbox.world import dictionaries as D
from toolkit.sandbox.world.audiences import audience, overlap, similarity


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=7, size=5000)


def _fingerprint(c):
    return (
        c.platform,
        c.id,
        c.uc_id,
        c.username,
        c.full_name,
        c.followers,
        c.engagement_percent,
        c.email,
    )


def test_same_seed_same_world_and_other_seed_differs() -> None:
    a, b, other = World(7, 400), World(7, 400), World(8, 400)
    assert [_fingerprint(c) for c in a.creators] == [_fingerprint(c) for c in b.creators]
    assert [_fingerprint(c) for c in a.creators] != [_fingerprint(c) for c in other.creators]


def test_creator_i_does_not_depend_on_size() -> None:
    small, big = World(7, 300), World(7, 900)
    # the last person of the small world may have lost accounts to the cut
    keep = [c for c in small.creators if c.person is not small.persons[-1]]
    assert [_fingerprint(c) for c in keep] == [_fingerprint(c) for c in big.creators[: len(keep)]]


def test_size_and_platforms(world: World) -> None:
    assert len(world.creators) == 5000
    assert {c.platform for c in world.creators} == set(PLATFORMS)
    assert sum(len(world.on(p)) for p in PLATFORMS) == 5000
    assert all(c.index == i for i, c in enumerate(world.creators))


def test_usernames_unique_lowercase_and_ids_look_native(world: World) -> None:
    for platform in PLATFORMS:
        creators = world.on(platform)
        names = [c.username for c in creators]
        assert len(set(names)) == len(names)
        assert len({c.id for c in creators}) == len(creators)
        assert all(n == n.lower() and re.fullmatch(r"[a-z0-9._]+", n) for n in names)
    assert all(re.fullmatch(r"UC[A-Za-z0-9_-]{22}", c.id) for c in world.on("youtube"))
    assert all(
        c.id.isdigit() for p in ("instagram", "tiktok", "twitter", "twitch") for c in world.on(p)
    )
    assert all(len(c.username) <= 15 for c in world.on("twitter"))
    assert all(re.fullmatch(r"uc_\d+", c.uc_id) for c in world.creators)


def test_followers_heavy_tailed_and_engagement_falls_with_size(world: World) -> None:
    followers = sorted(c.followers for c in world.on("instagram"))
    median = statistics.median(followers)
    assert 3_000 < median < 100_000
    share_1k_100k = sum(1_000 <= f <= 100_000 for f in followers) / len(followers)
    assert share_1k_100k > 0.6
    assert sum(f >= 1_000_000 for f in followers) >= 5
    ig = sorted(world.on("instagram"), key=lambda c: c.followers)
    tenth = len(ig) // 10
    small = statistics.median(c.engagement_percent for c in ig[:tenth])
    large = statistics.median(c.engagement_percent for c in ig[-tenth:])
    assert large < small


def test_one_person_several_platforms_and_lookup_forms(world: World) -> None:
    multi = [p for p in world.persons if len(p.accounts) >= 3]
    assert multi, "some people should have accounts on several platforms"
    person = multi[0]
    names = {a.full_name for a in person.accounts}
    assert len(names) == 1
    for acct in person.accounts:
        for form in (acct.username, "@" + acct.username.upper(), acct.url, acct.id, acct.uc_id):
            assert world.lookup(acct.platform, form) is acct
        assert world.connected(acct)[0] is acct
    assert world.lookup("instagram", "no-such-creator-anywhere") is None
    assert world.normalize_handle("https://www.instagram.com/Some.User/") == "some.user"
    assert world.normalize_handle("@Some_User") == "some_user"


def test_emails_some_role_based_and_email_finds_the_biggest_account(world: World) -> None:
    with_email = [p for p in world.persons if p.email]
    assert 0.2 < len(with_email) / len(world.persons) < 0.8
    assert any(p.email_type == "role_based_email" for p in with_email)
    assert any(p.email_type != "role_based_email" for p in with_email)
    person = next(p for p in with_email if len(p.accounts) >= 2)
    best = world.by_email(person.email.upper())
    assert best is not None
    assert best.followers == max(a.followers for a in person.accounts)
    assert world.by_email("nobody@example.invalid") is None


def test_world_values_are_dictionary_values(world: World) -> None:
    locations = set(D.locations_for("instagram"))
    topics = {t["topic_details"] for t in D.yt_topics()}
    interests = {name for _i, name in D.AUDIENCE_INTERESTS}
    languages = {code for _n, code in D.LANGUAGES}
    for c in world.creators:
        assert c.location in locations
        assert c.city_label is None or c.city_label in locations
        assert c.niche.yt_topic in topics
        assert set(c.niche.interests) <= interests
        assert c.language in languages
        assert set(c.person.brands) <= set(D.BRAND_BY_CLEANED)
    for c in world.on("twitch"):
        assert set(c.stats["games_played"]) <= set(D.GAMES)


def test_posts_are_a_function_of_creator_and_day(world: World) -> None:
    c = max(world.on("instagram"), key=lambda x: x.posts_per_week)
    start, end = DEFAULT_EPOCH - timedelta(days=30), DEFAULT_EPOCH
    posts = world.posts(c, start, end)
    assert posts, "an active creator posts within a month"
    fresh = World(7, 5000)
    assert fresh.posts(fresh.creators[c.index], start, end) == posts
    assert all(start <= p.published_at < end for p in posts)
    assert [p.published_at for p in posts] == sorted(p.published_at for p in posts)
    assert {p.content_type for p in posts} <= {"post", "reel", "story"}
    # a sub-range gives the same posts
    mid = start + timedelta(days=10)
    assert [p.post_id for p in world.posts(c, start, mid) + world.posts(c, mid, end)] == [
        p.post_id for p in posts
    ]
    # the future has posts too (campaigns run there)
    future = world.posts(c, end + timedelta(days=365), end + timedelta(days=395))
    assert future


def test_metrics_grow_from_zero(world: World) -> None:
    c = max(world.on("tiktok"), key=lambda x: x.followers)
    post = world.posts(c, DEFAULT_EPOCH - timedelta(days=20), DEFAULT_EPOCH)[0]
    before = post.metrics_at(post.published_at - timedelta(minutes=1))
    assert before == {"views": 0, "likes": 0, "comments": 0, "shares": 0}
    hour = post.metrics_at(post.published_at + timedelta(hours=1))
    week = post.metrics_at(post.published_at + timedelta(days=7))
    assert all(hour[k] <= week[k] for k in week)
    assert week["views"] > 0 and week["likes"] > 0


@pytest.mark.parametrize("platform", ["instagram", "tiktok", "youtube", "twitter"])
def test_post_ids_decode_back_to_their_post(world: World, platform: str) -> None:
    creators = sorted(world.on(platform), key=lambda x: -x.posts_per_week)[:3]
    for c in creators:
        for post in world.posts(c, DEFAULT_EPOCH - timedelta(days=15), DEFAULT_EPOCH)[:4]:
            assert world.post_by_id(platform, post.post_id) == post
            if platform == "instagram":
                assert world.post_by_id(platform, f"{post.post_id}_{c.id}") == post
    assert world.post_by_id(platform, "12345") is None
    assert world.post_by_id(platform, "not-an-id!") is None


def test_instagram_ids_look_like_the_capture(world: World) -> None:
    c = max(world.on("instagram"), key=lambda x: x.posts_per_week)
    post = world.posts(c, DEFAULT_EPOCH - timedelta(days=10), DEFAULT_EPOCH)[0]
    # the 2026-08 capture's media pk is 3967213292204992434: 19 digits, time-ordered
    assert len(post.post_id) == 19 and post.post_id.startswith(("39", "40"))


def test_audience_weights_are_fractions(world: World) -> None:
    c = max(world.on("instagram"), key=lambda x: x.followers)
    a = audience(world, c)
    assert a is audience(world, c)  # cached
    assert abs(sum(w for _c, w in a.ages) - 1) < 1e-3
    assert abs(sum(w for _c, w in a.countries) - 1) < 0.05
    assert a.countries[0][0] is c.person.country or a.countries[0][1] > 0.2
    assert 0 < a.credibility < 1


def test_overlap_is_consistent_and_symmetric(world: World) -> None:
    ig = sorted(world.on("instagram"), key=lambda c: -c.followers)
    same = [c for c in ig if c.niche is ig[0].niche][:3]
    union, shares = overlap(world, same)
    assert max(c.followers for c in same) <= union <= sum(c.followers for c in same)
    assert all(0 <= s <= 1 for s in shares)
    union_rev, shares_rev = overlap(world, same[::-1])
    assert union_rev == union
    assert shares_rev == pytest.approx(shares[::-1])


def test_similarity_prefers_same_niche(world: World) -> None:
    c = world.on("instagram")[0]
    same = next(
        o for o in world.on("instagram")[1:] if o.niche is c.niche and o.person is not c.person
    )
    other = next(
        o
        for o in world.on("instagram")[1:]
        if o.niche is not c.niche
        and o.person.niche2 is not c.niche
        and c.person.niche2 is not o.niche
    )
    assert similarity(c, same) == similarity(same, c)
    assert similarity(c, same) > similarity(c, other)


def test_generation_time_for_100k_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    t0 = time.perf_counter()
    big = World(seed=7, size=100_000)
    elapsed = time.perf_counter() - t0
    assert len(big.creators) == 100_000
    with capsys.disabled():
        print(f"\n[world] 100,000 creators generated in {elapsed:.2f} s")


def test_remembered_lookalikes_and_notables_are_the_full_ranking_heads() -> None:
    from toolkit.sandbox.world.audiences import most_followed, most_similar, rank_similar

    w = World(seed=3, size=1500)
    for c in w.on("instagram")[:25] + w.on("youtube")[:10]:
        assert most_similar(w, c) == rank_similar(w, c)[:10]
        assert most_similar(w, c) is most_similar(w, c)  # asked again: not scanned again
        notable = sorted(
            (o for o in w.on(c.platform) if o.niche is c.niche and o is not c),
            key=lambda o: (-o.followers, o.index),
        )[:10]
        assert most_followed(w, c) == notable
