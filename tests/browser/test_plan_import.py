"""An editor uploads a plan file, reviews the preview and confirms it, in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser


def _last_activation(app) -> tuple[str, dt.date]:
    """The demo jurisdiction that activated last, and the day it did."""
    from tracker.extensions import db
    from tracker.plan.models import Activation

    with app.app_context():
        row = db.session.execute(
            select(Activation.jurisdiction_fips, Activation.activated_on)
            .order_by(Activation.activated_on.desc(), Activation.jurisdiction_fips.desc())
            .limit(1)
        ).one()
        db.session.remove()
    return row[0], row[1]


def test_editor_uploads_previews_and_confirms_a_plan_file(page, live_server, tmp_path):
    # Every demo jurisdiction has activated by now, so the file records a decision taken two
    # days before the last activation: bring it forward by one day.
    fips, activated_on = _last_activation(live_server["app"])
    day = dt.timedelta(days=1)
    plan_file = tmp_path / "plan-update.csv"
    plan_file.write_text(
        "State,County FIPS,Scheduled On,Decided On,Reason\r\n"
        f",{fips},{(activated_on - day):%m/%d/%Y},{(activated_on - 2 * day):%Y-%m-%d},"
        "Moved forward a day\r\n",
        encoding="utf-8-sig",
    )

    browser_sign_in(page, live_server["users"]["editor"])
    page.goto("/plan/import")
    assert page.locator("h1").inner_text() == "Import the deployment plan"
    assert axe_violations(page) == []

    page.set_input_files("#file", str(plan_file))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector("#import-summary")
    assert page.locator("#import-summary").inner_text() == (
        "1 rows: 0 new, 1 changed, 0 unchanged, 0 errors"
    )
    row = page.locator("table.import-preview tbody tr").first
    assert fips in row.inner_text()
    assert f"{activated_on.isoformat()} → {(activated_on - day).isoformat()}" in row.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Import 1 new and changed rows").click()
    page.wait_for_selector(".alert-success")
    assert "Imported plan-update.csv" in page.locator(".alert-success").inner_text()
    assert axe_violations(page) == []

    # The same file again: every row is unchanged and there is nothing to confirm.
    page.set_input_files("#file", str(plan_file))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector("#import-summary")
    assert page.locator("#import-summary").inner_text() == (
        "1 rows: 0 new, 0 changed, 1 unchanged, 0 errors"
    )
    assert page.get_by_role("button", name="Import 1 new and changed rows").count() == 0
    assert page.foreign_requests == []
    assert page.console_errors == []
