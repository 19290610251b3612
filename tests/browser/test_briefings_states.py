"""Briefings, states and readiness in a real browser: logging a briefing, reading a state."""

from __future__ import annotations

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser

PAGES = [
    "/briefings",
    "/briefings/new",
    "/briefings/1",
    "/briefings/1/edit",
    "/states",
    "/states/TX",
    "/states/TX/edit",
    "/readiness?as_of=2010-08-31",
    "/readiness/data-quality?as_of=2010-08-31",
]


def test_editor_logs_a_briefing_and_reads_a_state_page(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto("/briefings")
    page.click("main a:has-text('Log a briefing')")
    page.fill("#held_on", "2010-08-20")
    page.select_option("#kind", "advance_notice")
    page.fill("#jurisdictions", "48001\nAndrews County, TX")
    page.select_option("#every_jurisdiction_in", ["DE"])
    page.fill("#presenter", "Browser test presenter")
    page.click("main button[type=submit]")
    page.wait_for_url("**/briefings/*")
    assert "Briefing logged." in page.content()
    assert page.locator("h2", has_text="Jurisdictions covered (5)").count() == 1
    assert page.get_by_text("Anderson County, TX").count() == 1

    page.goto("/states/TX?as_of=2010-08-31")
    assert page.locator("h1").inner_text().startswith("Texas")
    assert page.get_by_text("Browser test presenter").count() >= 1
    progress = page.locator("table", has_text="Jurisdictions briefed")
    assert progress.count() == 1
    assert page.foreign_requests == [] and page.console_errors == []


def test_pages_pass_axe(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    assert page.foreign_requests == [] and page.console_errors == []
