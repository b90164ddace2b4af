"""The dashboard in a real browser: Voila on loopback, Debian's headless Chromium.

One analyst's path: switch platform, type part of a location and pick a suggestion, set a
follower range, see the cost, search, see rows, fetch the next page, export. Screenshots
of each step go to tests/browser/screenshots/ (gitignored) to be looked at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, voila

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI must run it
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)

LOOPBACK = re.compile(r"^(https?|wss?)://127\.0\.0\.1[:/]")
WAIT = 60_000  # ms: the first page starts a kernel and builds the sandbox world


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with voila() as url, playwright.sync_playwright() as p:
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
