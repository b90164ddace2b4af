"""The dashboard in a real browser: Voila on loopback, Debian's headless Chromium, and the
sandbox served on loopback (its request log says what reached it).

One analyst's path: switch platform, type part of a location and pick a suggestion, set a
follower range, see the cost, search, see rows, fetch the next page, export. Then the
journey across tabs: search, pick two, compare their audiences, see the chart; and a typed
location that matches nothing sends nothing. Screenshots of each step, and of every tab at
1,024 and 1,400 px wide, go to tests/browser/screenshots/ (gitignored) to be looked at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, served_sandbox, voila

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI must run it
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)

LOOPBACK = re.compile(r"^(https?|wss?)://127\.0\.0\.1[:/]")
WAIT = 60_000  # ms: the first page starts a kernel and builds the sandbox world


DISCOVERY = "/public/v1/discovery/"
OVERLAP = "/public/v1/creators/audience/overlap/"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[object]:
    with served_sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def page(sandbox) -> Iterator[object]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with voila(sandbox=sandbox) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 1000}, accept_downloads=True
        )
        blocked: list[str] = []

        def only_loopback(route) -> None:  # the page may name CDNs; nothing leaves the box
            if LOOPBACK.match(route.request.url) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        pg = context.new_page()
        pg.goto(url)
        pg.wait_for_selector(".ic-discovery", timeout=WAIT)
        yield pg
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_page_and_export_in_the_browser(page) -> None:
    form = page.locator(".ic-discovery")
    shot(page, "01-loaded")
    # an unset choice reads "any", not a blank box
    gender = page.locator(".ic-field-gender select")
    assert gender.evaluate("s => s.options[s.selectedIndex]?.text") == "any"

    # switch platform: the fields are rebuilt for TikTok
    form.locator("select").first.select_option("tiktok")
    page.wait_for_selector(".ic-field-video_count", state="attached", timeout=WAIT)  # under "More"
    assert page.locator(".ic-field-reels_percent").count() == 0

    # type part of a location, pick a suggestion
    page.locator(".ic-field-location .ic-typeahead-input input").fill("united")
    options = page.locator(".ic-field-location .ic-typeahead-choices select option")
    options.first.wait_for(timeout=WAIT)
    assert 0 < options.count() <= 20
    labels = [x.replace("\xa0", " ") for x in options.all_inner_texts()]  # ipywidgets uses nbsp
    assert "United States" in labels and all("united" in x.lower() for x in labels)
    shot(page, "02-location-suggestions")
    page.locator(".ic-field-location .ic-typeahead-choices select").select_option(
        index=labels.index("United States")
    )
    tag = page.locator(".ic-field-location .jupyter-widget-tag")
    tag.first.wait_for(timeout=WAIT)
    assert tag.first.inner_text().strip() == "United States"

    # a follower range, and the cost it shows before anything is spent
    page.locator(".ic-field-number_of_followers .ic-min input").fill("10k")
    page.locator(".ic-field-number_of_followers .ic-max input").fill("5M")
    page.locator(".ic-field-number_of_followers .ic-max input").press("Enter")
    cost = page.locator(".ic-cost")
    assert "Worst case 0.25 credits for 25 creators" in cost.inner_text()
    assert "balance 1,000.00 credits" in cost.inner_text()
    shot(page, "03-filled")

    # search: rows appear, the balance moves by what was charged
    page.locator(".ic-search button, button.ic-search").first.click()
    rows = page.locator(".ic-results tbody tr")
    rows.first.wait_for(timeout=WAIT)
    first_page = rows.count()
    status = page.locator(".ic-status").inner_text()
    shown, total = map(int, re.search(r"(\d+) of (\d+) creators", status).groups())
    assert shown == first_page and 0 < first_page <= 25
    assert "@" in rows.first.inner_text()
    shot(page, "04-results")

    # the next page
    assert total > first_page, "the filters should match more than one page"
    page.locator("button.ic-more").first.click()
    page.wait_for_function(
        f"document.querySelectorAll('.ic-results tbody tr').length > {first_page}",
        timeout=WAIT,
    )
    assert rows.count() == min(total, first_page + 25)
    shot(page, "05-next-page")

    # export: the download is the table shown
    page.locator("button.ic-export-csv").first.click()
    link = page.locator("a.ic-download")
    link.wait_for(timeout=WAIT)
    with page.expect_download() as dl:
        link.click()
    path = dl.value.path()
    table = list(csv.DictReader(io.StringIO(Path(path).read_text())))
    assert len(table) == rows.count()
    assert table[0]["username"] in rows.first.inner_text()
    name = dl.value.suggested_filename  # named after the search it holds
    assert name.startswith("tiktok-location-") and name.endswith(f"-{len(table)}-creators.csv")
    shot(page, "06-exported")


def tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).first.click()


def wait_for_status_change(page, before: str, timeout: float = WAIT) -> str:
    """The form's status line once it no longer reads ``before`` (nor "searching…")."""
    page.wait_for_function(
        "([before]) => { const s = document.querySelector('.ic-status')?.innerText ?? '';"
        " return s !== before && !s.includes('searching'); }",
        arg=[before],
        timeout=timeout,
    )
    return page.locator(".ic-status").inner_text()


def test_search_pick_two_compare_and_see_the_chart(page, sandbox) -> None:
    tab(page, "Discover")
    page.locator(".ic-discovery select").first.select_option("instagram")
    page.wait_for_selector(".ic-field-reels_percent", state="attached", timeout=WAIT)
    page.locator(".ic-field-location .ic-typeahead-input input").fill("")
    searches = sandbox.requests("POST", DISCOVERY)
    before = page.locator(".ic-status").inner_text()
    page.locator("button.ic-search").first.click()
    wait_for_status_change(page, before)
    assert sandbox.requests("POST", DISCOVERY) == searches + 1
    picker = page.locator(".ic-pick select")
    picker.locator("option").nth(1).wait_for(timeout=WAIT)
    options = [o.replace("\xa0", " ") for o in picker.locator("option").all_inner_texts()]
    handles = [o.split(" · ")[0].lstrip("@") for o in options]
    picker.select_option(index=[0, 1])
    compare = page.locator(".ic-actions button", has_text="Compare audiences")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ic-actions button')]"
        ".some(b => b.innerText.includes('Compare audiences') && !b.disabled)",
        timeout=WAIT,
    )
    shot(page, "07-picked-two")
    compare.click()

    # the Compare tab opens with the two creators loaded, nothing spent yet
    explorer = page.locator(".ic-overlap")
    explorer.wait_for(state="visible", timeout=WAIT)
    tags = explorer.locator(".ic-overlap-handles div.jupyter-widget-tag")
    page.wait_for_function(
        "() => document.querySelectorAll('.ic-overlap-handles div.jupyter-widget-tag').length == 2",
        timeout=WAIT,
    )
    assert [t.strip() for t in tags.all_inner_texts()] == handles[:2]
    assert sandbox.requests("POST", OVERLAP) == 0
    run = page.locator("button.ic-overlap-run")
    assert run.inner_text().strip() == "Compare audiences"  # whole, not "Compare audienc…"
    assert run.evaluate("b => b.scrollWidth <= b.clientWidth")
    run.click()
    explorer.locator(".js-plotly-plot").first.wait_for(timeout=WAIT)
    assert sandbox.requests("POST", OVERLAP) == 1
    assert "Spent 1 credit." in explorer.locator(".ic-overlap-status").inner_text()
    k = explorer.locator(".widget-text", has_text="pick k").locator("input")
    assert k.input_value() == "2"  # a useful k for two creators, not 1
    shot(page, "08-compared")


def test_a_typed_location_that_matches_nothing_sends_nothing(page, sandbox) -> None:
    tab(page, "Discover")
    page.locator(".ic-discovery select").first.select_option("instagram")
    page.wait_for_selector(".ic-field-reels_percent", state="attached", timeout=WAIT)
    # a follower floor no other search used: a search sent now could not come from the cache
    low = page.locator(".ic-field-number_of_followers .ic-min input")
    low.fill("12,345")
    low.press("Enter")
    page.locator(".ic-field-location .ic-typeahead-input input").fill("Untied States")
    page.wait_for_timeout(1000)  # the type-ahead's pause, and its suggestions (none)
    searches = sandbox.requests("POST", DISCOVERY)
    before = page.locator(".ic-status").inner_text()
    page.locator("button.ic-search").first.click()
    try:  # the form answers on its status line (or only under the field: then wait it out)
        status = wait_for_status_change(page, before, timeout=10_000)
    except playwright.Error:
        status = before
    page.wait_for_timeout(500)
    shot(page, "09-unmatched-location")
    assert sandbox.requests("POST", DISCOVERY) == searches, status


@pytest.mark.parametrize("width", [1024, 1400])
def test_every_tab_at_a_laptop_and_a_desktop_width(page, width: int) -> None:
    """Screenshots to look at; each tab shows its controls whole at either width."""
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for title in ("Discover", "Compare audiences", "Campaigns"):
            tab(page, title)
            page.wait_for_timeout(300)
            shot(page, f"tab-{title.split()[0].lower()}-{width}")
            clipped = page.evaluate(
                "() => [...document.querySelectorAll('.lm-TabPanel-stackedPanel:not(.lm-mod-hidden)"
                " button')].filter(b => b.offsetParent && b.scrollWidth > b.clientWidth + 1)"
                ".map(b => b.innerText)"
            )
            assert clipped == [], f"{title} at {width}px cuts short: {clipped}"
        campaigns = page.locator(".ic-campaigns-status")
        assert "No campaigns on this account yet" in campaigns.inner_text()
    finally:
        page.set_viewport_size({"width": 1280, "height": 1000})
