"""The jurisdiction pages in a real browser: find a county, open it, reschedule it."""

from __future__ import annotations

import re

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser


def test_editor_filters_opens_a_county_and_reschedules_it(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto("/jurisdictions")
    assert axe_violations(page) == []

    # Planned New York counties on the demo's story date.
    page.select_option("#state", "NY")
    page.select_option("#status", "planned")
    page.fill("#as_of", "2010-08-31")
    page.select_option("#sort", "fips")
    page.click("button:has-text('Apply')")
    page.wait_for_url(re.compile(r".*status=planned.*"))
    summary = page.locator("#result-count").inner_text()
    assert "status as of 31 August 2010" in summary
    rows = page.locator("table tbody tr")
    assert page.locator("input.row-select").count() == rows.count() >= 1
    assert all(
        text.startswith("Planned") for text in rows.locator("td:nth-child(5)").all_inner_texts()
    )
    # The "select all" box appears with scripts on and ticks every row.
    page.check("#select-all")
    assert page.locator("input.row-select:checked").count() == rows.count()
    page.uncheck("#select-all")
    assert axe_violations(page) == []

    first = rows.first.locator("th a")
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r".*/jurisdictions/36\d{3}\?as_of=2010-08-31"))
    assert name in page.locator("h1").inner_text()
    assert page.locator("#status-as-of").inner_text().startswith("As of 31 August 2010: Planned")
    assert axe_violations(page) == []

    page.fill("#reschedule-scheduled_on", "2010-12-07")
    assert page.input_value("#reschedule-decided_on") == "2010-08-31"
    page.fill("#reschedule-reason", "Browser test: wave moved to December")
    page.click("button:has-text('Save the new date')")
    page.wait_for_load_state()
    assert "Schedule changed." in page.content()
    assert page.locator("#status-as-of").inner_text() == (
        "As of 31 August 2010: Planned, scheduled for 7 December 2010"
    )
    assert (
        page.locator("#timeline").get_by_text("Browser test: wave moved to December").count() == 1
    )
    assert axe_violations(page) == []
    assert page.foreign_requests == [] and page.console_errors == []


def test_a_reschedule_without_a_reason_is_refused_accessibly(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto("/jurisdictions/48001?as_of=2009-01-01")
    page.fill("#reschedule-scheduled_on", "2009-06-02")
    page.click("button:has-text('Save the new date')")
    page.wait_for_load_state()
    assert (
        page.locator(".alert-danger").get_by_text("Give the reason for this change.").count() == 1
    )
    assert axe_violations(page) == []
