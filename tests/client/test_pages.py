"""Pages and tabular results behave like collections: len, iteration, indexing, total,
a table in Jupyter; every paged endpoint answers the one Page type."""

from __future__ import annotations

import pytest

from toolkit import AsyncClient, Client, Page, Result
from toolkit.sandbox import Sandbox

from .client_support import top_creator


def test_discovery_page_is_a_collection(client: Client) -> None:
    page = client.discovery.search("instagram", limit=7)
    accounts = page.data["accounts"]
    assert isinstance(page, Page)
    assert len(page) == 7 and list(page) == accounts
    assert page[0] == accounts[0] and page[-2:] == accounts[-2:]
    assert page["accounts"] is accounts  # string keys still read the body
    assert page.total == page.data["total"] and page.total >= 7
    html = page._repr_html_()
    assert html is not None and accounts[0]["profile"]["username"] in html
    assert f"7 rows of {page.total:,}" in html and "0.07 credits" in html


def test_the_html_table_writes_counts_with_thousands_separators(sb: Sandbox) -> None:
    from .client_support import Recorder, Sleeps, make_client

    with make_client(sb, Recorder(), Sleeps()) as client:
        page = client.discovery.search("youtube", limit=3, sort_by="number_of_followers")
    html = page._repr_html_() or ""
    biggest = page[0]["profile"]["followers"]
    assert biggest >= 1000 and f'<td style="text-align:right">{biggest:,}</td>' in html
    # ids are names, not quantities: never grouped
    assert page[0]["user_id"] in html and "," not in page[0]["profile"]["id"]


def test_years_timestamps_and_ids_in_html_cells_are_not_grouped() -> None:
    from toolkit._results import _cell

    assert _cell(1_700_000_000, "taken_at") == "1700000000"
    assert _cell(2024, "profile.year") == "2024" and _cell(4590464830, "user_id") == "4590464830"
    assert _cell(1_234_567, "followers") == "1,234,567"
    assert _cell(12_345_678_901.0, "views") == "12,345,678,901"  # counts sent as floats


def test_every_paged_endpoint_answers_a_page(client: Client, sb: Sandbox) -> None:
    name = top_creator(sb, "instagram").username
    similar = client.discovery.similar("instagram", username=name, limit=3)
    posts = client.creators.posts(name, "instagram")
    campaigns = client.listening.campaigns.list()
    events = client.listening.events.list()
    for page in (similar, posts, campaigns, events):
        assert isinstance(page, Page), page.operation
        assert len(page) == len(page.rows) and list(page) == page.rows
    assert posts.rows == posts.data["result"]["items"] and len(posts) > 0
    assert campaigns.total == campaigns.data["count"]
    assert posts.total is None  # the posts API gives no count


def test_crawls_yield_pages_and_merge_into_one(client: Client) -> None:
    pages = list(client.discovery.iter_pages("instagram", limit=10, max_results=25))
    assert [len(p) for p in pages] == [9, 9, 9] and all(isinstance(p, Page) for p in pages)
    merged = client.discovery.search_all("instagram", limit=10, max_results=25)
    assert isinstance(merged, Page) and len(merged) == 25
    assert merged.cached and merged.credits_cost == 0.0  # the same pages again: from the cache
    assert merged.credits_saved == pytest.approx(sum(p.credits_cost or 0 for p in pages))


def test_posts_crawl_stops_at_max_pages(client: Client, sb: Sandbox) -> None:
    name = top_creator(sb, "instagram").username
    assert list(client.creators.iter_posts(name, "instagram", max_pages=0)) == []
    two = list(client.creators.iter_posts(name, "instagram", max_pages=2))
    assert len(two) == 2 and two[0].rows != two[1].rows


def test_listening_iter_walks_every_drf_page(client: Client, sb: Sandbox) -> None:
    for i in range(3):
        client.listening.campaigns.create(
            name=f"Launch {i}",
            platforms=["instagram"],
            handles={"instagram": [top_creator(sb, "instagram").username]},
            start_date="2026-11-01",
            end_date="2026-12-31",
        )
    every = list(client.listening.campaigns.iter(page_size=2))
    first = client.listening.campaigns.list(page=1, page_size=2)
    assert len(every) == first.total == 3 and every[:2] == list(first)


def test_tabular_results_count_and_iterate(client: Client) -> None:
    languages = client.dictionary.languages()
    assert type(languages) is Result and len(languages) == len(languages.data) > 0
    assert list(languages) == languages.data and languages[0] == languages.data[0]
    empty = client.exclusion_lists.list()
    assert len(empty) == 0 and bool(empty)  # an empty answer is still an answer


def test_non_tabular_results_say_so(client: Client, sb: Sandbox) -> None:
    credits = client.account.credits()
    with pytest.raises(TypeError, match="not a list of rows"):
        len(credits)
    with pytest.raises(TypeError, match="not a list of rows"):
        list(credits)
    assert credits._repr_html_() is None  # Jupyter falls back to the repr
    assert credits["credits_available"] > 0


@pytest.mark.anyio
async def test_async_pages(aclient: AsyncClient) -> None:
    page = await aclient.discovery.search("instagram", limit=4)
    assert isinstance(page, Page) and len(page) == 4
    pages = [p async for p in aclient.discovery.iter_pages("instagram", limit=5, max_results=8)]
    assert [len(p) for p in pages] == [4, 4]
    rows = [r async for r in aclient.listening.events.iter(page_size=5)]
    assert rows == (await aclient.listening.events.list(page_size=100)).rows
