"""Correcting an activation from a jurisdiction's timeline in a real browser: the preview line
follows what is typed, the corrected entry stays struck through with its reason, and the page
shows what was known before the correction."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser

EL_PASO = "48141"  # a border county, activated early in the demo rollout


def test_editor_corrects_an_activation_from_the_timeline(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto(f"/jurisdictions/{EL_PASO}")
    activation = page.locator("#timeline tr.timeline-activated").first
    recorded = activation.locator("time").get_attribute("datetime")
    corrected = (dt.date.fromisoformat(recorded) + dt.timedelta(days=1)).isoformat()
    activation.locator("summary", has_text="Correct this entry").click()
    preview = activation.locator("#activation-correct-form output.correction-preview")
    assert preview.inner_text() == (
        f"Activation {recorded} → the date you enter for El Paso County, TX"
    )
    page.fill("#activation-correct-activated_on", corrected)
    assert preview.inner_text() == f"Activation {recorded} → {corrected} for El Paso County, TX"
    assert axe_violations(page) == []
    before = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    page.fill("#activation-correct-reason", "Browser test: the SIB log says a day later")
    page.click("#activation-correct-form button:has-text('Save the correction')")
    page.wait_for_load_state()
    assert "Activation corrected." in page.content()
    struck = page.locator("#timeline tr.timeline-superseded")
    assert struck.count() == 1
    assert "Browser test: the SIB log says a day later" in struck.inner_text()
    assert (
        page.locator(
            f"#timeline tr.timeline-activated:not(.timeline-superseded) time[datetime='{corrected}']"
        ).count()
        == 1
    )
    assert axe_violations(page) == []

    # What was known before the correction: the old date, in force, under the banner.
    page.fill("#timeline-known-at", before)
    page.click("form[aria-label='Show what was known at a moment'] button")
    page.wait_for_url(re.compile(r".*known_at=.*"))
    assert page.locator("#known-at-banner").is_visible()
    assert page.locator("#timeline tr.timeline-superseded").count() == 0
    assert page.locator(f"#timeline tr.timeline-activated time[datetime='{recorded}']").count() == 1
    assert axe_violations(page) == []
    assert page.foreign_requests == [] and page.console_errors == []
