"""The dashboard and the overview as a person sees them: figures, chart with its table, axe."""

from __future__ import annotations

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser


def test_dashboard_for_the_demo_date_reads_and_passes_axe(page, live_server):
    browser_sign_in(page, live_server["users"]["viewer"])
    page.goto("/dashboard?as_of=2010-08-31")
    lead = page.locator("p.lead").inner_text()
    assert lead.startswith("As of 31 August 2010:")
    assert "of 3,233 county equivalents activated" in lead
    chart = page.locator("svg.progress-chart")
    assert chart.get_attribute("role") == "img"
    assert "As of 31 August 2010" in chart.locator("desc").text_content()
    page.locator("summary", has_text="month by month").click()
    assert page.locator("details table tbody tr").count() > 24
    assert "jurisdictions briefed" in page.locator("#briefings-heading + p").inner_text()
    assert axe_violations(page) == []
    assert page.foreign_requests == [] and page.console_errors == []


def test_overview_passes_axe(page):
    page.goto("/")
    assert "of 3,233 county equivalents" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert page.foreign_requests == []
