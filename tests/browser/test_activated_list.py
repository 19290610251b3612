"""What a visitor sees on /activated and the releases pages: filters, grouping, the export
links, and no accessibility violations."""

from __future__ import annotations

import re

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser


def test_visitor_picks_30_september_2010_filters_and_finds_every_export(page):
    page.goto("/activated")
    page.fill("#as_of", "2010-09-30")
    page.select_option("#state", "AZ")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2010-09-30.*state=AZ"))
    assert page.locator("h1").inner_text() == "Activated jurisdictions as of 30 September 2010"
    total = int(page.locator("#list-total").inner_text().replace(",", ""))
    rows = page.locator("tr[id^=fips-04]")
    assert total == rows.count() > 0
    assert page.locator("section[id^=state-]").count() == 1
    links = page.locator(".export-links a[download]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for fmt in ("csv", "xlsx", "pdf", "json", "geojson"):
        assert f"/exports/activated.{fmt}?as_of=2010-09-30&state=AZ" in hrefs
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click(".export-links a:text('CSV')")
    assert download.value.suggested_filename == "activated-2010-09-30-AZ.csv"
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_map_style_anchor_lands_on_the_row(page):
    page.goto("/activated?as_of=2010-09-30")
    first = page.locator("tr[id^=fips-]").first.get_attribute("id")
    page.goto(f"/activated?as_of=2010-09-30#{first}")
    assert page.locator(f"#{first}").is_visible()


def test_planned_and_release_pages_are_accessible(page, live_server):
    for path in ("/planned?as_of=2010-08-31", "/releases"):
        assert page.goto(path).status == 200
        assert axe_violations(page) == [], path
    browser_sign_in(page, live_server["users"]["admin"])
    page.goto("/releases/new")
    assert axe_violations(page) == []
    page.fill("#as_of", "2010-09-30")
    page.fill("#notes", "Browser test release")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/releases/\d+$"))
    assert "SHA-256" in page.content()
    assert axe_violations(page) == []
    page.goto("/exports/log")
    assert axe_violations(page) == []
    assert page.foreign_requests == []
