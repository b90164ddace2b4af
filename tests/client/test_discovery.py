"""Discovery: validation before sending, the wire body, and page crawls with their bounds."""

from __future__ import annotations

import pytest

from toolkit import BudgetExceededError, Client, CostNotConfirmedError, FilterError, Result
from toolkit._results import next_discovery_page
from toolkit.sandbox import Sandbox, Settings

from .client_support import Recorder, make_async_client, make_client, requires, top_creator


@pytest.fixture(autouse=True)
def _routed(sb: Sandbox) -> None:
    requires(sb, "discovery_search", "discovery_similar_creators")


def test_search_sends_platform_paging_sort_and_filters(client: Client, recorder: Recorder) -> None:
    result = client.discovery.search(
        "instagram",
        filters={"number_of_followers": {"min": 5000}, "last_post": "30d"},
        sort_by="number_of_followers",
        limit=7,
    )
    assert recorder.last.json() == {
        "platform": "instagram",
        "paging": {"limit": 7, "page": 0},
        "sort": {"sort_by": "number_of_followers", "sort_order": "desc"},
        "filters": {"number_of_followers": {"min": 5000}, "last_post": 30},
    }
    assert result.operation == "discovery_search"
    assert len(result.data["accounts"]) <= 7
    assert result.credits_cost == pytest.approx(0.01 * len(result.data["accounts"]))


def test_no_sort_and_no_filters_are_left_out(client: Client, recorder: Recorder) -> None:
    client.discovery.search("youtube", limit=2)
    assert recorder.last.json() == {"platform": "youtube", "paging": {"limit": 2, "page": 0}}


@pytest.mark.parametrize(
    "filters",
    [
        {"number_of_follower": {"min": 10}},  # typo: the API would ignore it and charge
        {"number_of_subscribers": {"min": 10}},  # a YouTube key on Instagram
        {"engagement_percent": {"min": 5, "max": 1}},
    ],
)
def test_bad_filters_cost_nothing(client: Client, recorder: Recorder, filters) -> None:
    with pytest.raises(FilterError):
        client.discovery.search("instagram", filters=filters)
    assert recorder.sent == []


def test_bad_sort_and_limits_are_refused_before_sending(client: Client, recorder: Recorder) -> None:
    with pytest.raises(ValueError, match="relevancy"):
        client.discovery.search("instagram", sort_by="relevancy", sort_order="asc")
    with pytest.raises(ValueError, match="10000"):
        client.discovery.search("instagram", limit=50, page=200)
    assert recorder.sent == []


def test_similar_needs_exactly_one_identifier(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    with pytest.raises(TypeError):
        client.discovery.similar("instagram")
    with pytest.raises(TypeError):
        client.discovery.similar("instagram", username="a", url="b")
    with pytest.raises(ValueError, match="twitter"):
        client.discovery.similar("twitter", username="a")
    assert recorder.sent == []
    handle = top_creator(sb, "instagram").username
    client.discovery.similar("instagram", username=handle, limit=3)
    body = recorder.last.json()
    assert (body["filter_key"], body["filter_value"]) == ("username", handle)


def test_crawl_bounded_by_max_results(client: Client, recorder: Recorder) -> None:
    pages = list(client.discovery.iter_pages("instagram", limit=50, max_results=120))
    sent = [s.json()["paging"] for s in recorder.sent]
    assert sent == [{"limit": 40, "page": 0}, {"limit": 40, "page": 1}, {"limit": 40, "page": 2}]
    assert sum(len(p.data["accounts"]) for p in pages) == 120


def test_crawl_stops_at_total(client: Client, recorder: Recorder) -> None:
    first = client.discovery.search("twitch", filters={"followers": {"min": 1}}, limit=1)
    total = first.data["total"]
    assert 0 < total < 400
    recorder.clear()
    merged = client.discovery.search_all(
        "twitch", filters={"followers": {"min": 1}}, limit=50, confirm=True
    )
    assert len(merged.data["accounts"]) == total
    assert len(recorder.sent) == -(-total // 50)  # no request past total
    assert merged.credits_cost == pytest.approx(0.01 * total)
    assert merged.params["pages"] == len(recorder.sent)


def test_page_base_one(sb: Sandbox, recorder: Recorder, sleeps) -> None:
    one = Sandbox(seed=7, creators=400, settings=Settings(page_base=1))
    with make_client(one, recorder, sleeps, page_base=1) as c:
        pages = list(c.discovery.iter_pages("instagram", limit=50, max_results=100))
    assert [s.json()["paging"]["page"] for s in recorder.sent] == [1, 2]
    ids = [a["user_id"] for p in pages for a in p.data["accounts"]]
    assert len(ids) == len(set(ids)) == 100  # no page fetched twice


def test_crawl_is_refused_up_front_when_over_budget(
    sb: Sandbox, recorder: Recorder, sleeps
) -> None:
    with make_client(sb, recorder, sleeps, budget=1.0) as c:
        with pytest.raises(BudgetExceededError):
            list(c.discovery.iter_pages("instagram", max_results=500))
        assert recorder.sent == []


def test_a_crawl_that_could_cost_more_than_the_threshold_waits_for_consent(
    client: Client, recorder: Recorder
) -> None:
    for crawl in (
        lambda **kw: client.discovery.search_all("instagram", **kw),
        lambda **kw: client.discovery.iter_pages("instagram", **kw),
        lambda **kw: client.discovery.similar_all("instagram", username="nasa", **kw),
    ):
        with pytest.raises(CostNotConfirmedError, match=r"up to 10,000 creators .* 100 credits"):
            crawl()  # unbounded: the 10,000 reachable creators
        with pytest.raises(CostNotConfirmedError, match="max_results=5,000"):
            crawl(max_results=5000)
    assert recorder.sent == []
    # bounded under the threshold (10 credits by default), confirmed, or under a budget: sent
    assert len(client.discovery.search_all("instagram", max_results=40)) == 40
    everyone = client.discovery.search_all("instagram", max_results=1001, confirm=True)
    assert len(everyone) == min(everyone.data["total"], 1001) > 40
    with client.budget(0.5):
        pages = list(client.discovery.iter_pages("instagram", limit=25, max_results=50))
    assert sum(len(p) for p in pages) == 50
    sent = len(recorder.sent)
    with client.budget(3), pytest.raises(CostNotConfirmedError, match="Pass max_results="):
        client.discovery.search_all("instagram")  # 3 credits would stop it midway, result lost
    with client.budget(15):
        assert len(client.discovery.search_all("instagram", max_results=1200)) > 40
    assert len(recorder.sent) > sent


def test_a_budget_of_the_estimate_lets_the_whole_crawl_through(client: Client) -> None:
    """Pages are offsets, so a crawl's last page is whole: the estimate counts it."""
    from toolkit import estimate

    with client.budget(estimate("discovery_search", max_results=75)) as b:
        merged = client.discovery.search_all("instagram", max_results=75, limit=50)
    assert len(merged) == 75 and b.spent <= b.limit


def test_a_refused_crawl_sends_nothing_not_even_a_free_lookup(
    client: Client, recorder: Recorder
) -> None:
    with pytest.raises(CostNotConfirmedError):
        client.discovery.search_all("instagram", filters={"location": ["Canada"]})
    with pytest.raises(CostNotConfirmedError):
        client.discovery.similar_all("instagram", username="x", filters={"location": ["Canada"]})
    assert recorder.sent == []


@pytest.mark.anyio
async def test_the_async_crawl_waits_for_consent_too(
    sb: Sandbox, recorder: Recorder, sleeps
) -> None:
    async with make_async_client(sb, recorder, sleeps) as ac:
        with pytest.raises(CostNotConfirmedError):
            await ac.discovery.search_all("instagram")
        assert len(await ac.discovery.search_all("instagram", max_results=30)) == 30


def test_the_threshold_is_a_setting(sb: Sandbox, recorder: Recorder, sleeps) -> None:
    with (
        make_client(sb, recorder, sleeps, confirm_over=0.1) as c,
        pytest.raises(CostNotConfirmedError),
    ):
        c.discovery.search_all("instagram", max_results=11)
    with make_client(sb, recorder, sleeps, confirm_over=None) as c:
        everyone = c.discovery.search_all("instagram", max_results=1200)
        assert len(everyone) == min(everyone.data["total"], 1200) > 40


def _page(n_accounts: int, total: int) -> Result:
    return Result(
        data={"total": total, "accounts": [{}] * n_accounts}, operation="discovery_search"
    )


def test_next_page_logic_respects_the_10000_cap() -> None:
    kw = {"limit": 50, "page_base": 0, "max_results": None}
    assert next_discovery_page(_page(50, 10**6), page=0, fetched=50, **kw) == 1
    assert next_discovery_page(_page(50, 10**6), page=199, fetched=10_000, **kw) is None
    assert next_discovery_page(_page(50, 10**6), page=198, fetched=9_950, **kw) == 199
    assert next_discovery_page(_page(49, 10**6), page=0, fetched=49, **kw) is None  # short page
    assert next_discovery_page(_page(50, 100), page=1, fetched=100, **kw) is None  # total
    one_based = {**kw, "page_base": 1}
    assert next_discovery_page(_page(50, 10**6), page=200, fetched=10_000, **one_based) is None
