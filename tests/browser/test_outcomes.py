"""Statistics and the quarterly review in a real browser: import, the review's funnel plots by
keyboard, a disposition, the public outcomes page; every page passes axe."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser

QUARTER = "2010-Q3"  # a demo quarter with 401 reporting jurisdictions
PLANTED_HIGH = "47157"  # Shelby County, TN: planted above the national no-conviction share


def _demo_month(app, fips: str) -> dict:
    from tracker.extensions import db
    from tracker.outcomes.models import COUNT_FIELDS
    from tracker.outcomes.models import MonthlyStatistics as M

    with app.app_context():
        row = db.session.scalars(
            select(M)
            .where(M.jurisdiction_fips == fips, M.superseded_at.is_(None))
            .order_by(M.month.desc())
        ).first()
        figures = {name: getattr(row, name) for name in COUNT_FIELDS} | {"month": row.month}
        db.session.remove()
    return figures


def test_editor_imports_a_corrected_month(page, live_server, tmp_path):
    # Loving County's last demo month, its removals corrected: changes no review metric.
    month = _demo_month(live_server["app"], "48301")
    corrected = dict(month, removed=month["removed"] + 1)
    path = tmp_path / "corrections.csv"
    path.write_text(
        "Month,FIPS,Submissions,Matches,Level 1,Level 2,Level 3,Non-criminal,Removals\n"
        f"{corrected['month']:%Y-%m},48301,{corrected['submissions']},{corrected['matches']},"
        f"{corrected['level1']},{corrected['level2']},{corrected['level3']},"
        f"{corrected['non_criminal']},{corrected['removed']}\n"
    )
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto("/stats/import")
    assert page.locator("h1").inner_text() == "Import monthly statistics"
    assert axe_violations(page) == []
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_selector("#import-summary")
    assert page.locator("#import-summary").inner_text() == (
        "1 rows: 0 new, 1 changed, 0 unchanged, 0 errors"
    )
    row = page.locator("table.import-preview tbody tr").first.inner_text()
    assert (
        "Loving County, TX" in row
        and f"removed: {month['removed']} → {corrected['removed']}" in row
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import 1 new and changed rows").click()
    page.wait_for_selector(".alert-success")
    assert (
        "1 replaced (the earlier figures are kept as history)"
        in page.locator(".alert-success").inner_text()
    )
    assert axe_violations(page) == []
    assert page.foreign_requests == [] and page.console_errors == []


def test_every_funnel_point_is_a_named_stop_for_the_keyboard(page, live_server):
    browser_sign_in(page, live_server["users"]["viewer"])
    page.goto(f"/reviews/{QUARTER}")
    assert page.locator("h1").inner_text() == "Quarterly statistical review"
    assert "These are demo statistics." in page.locator("#review-summary").inner_text()
    plot = page.locator("#non_criminal_share svg.funnel-plot")
    assert plot.get_attribute("role") == "group"
    points = plot.locator("a")
    assert points.count() > 300
    # From the skip link, Tab moves into the plot, point by point, each with its name.
    skip = page.locator("#non_criminal_share a.visually-hidden-focusable")
    skip.focus()
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        assert page.evaluate("document.activeElement.closest('svg.funnel-plot') !== null")
    assert all(name and ", z " in name for name in names), names
    assert len(set(names)) == 3
    # The table alternative lists the same points.
    page.locator("#non_criminal_share summary", has_text="The plot's numbers").click()
    table = page.locator("#non_criminal_share details").nth(1).locator("tbody tr")
    assert table.count() == points.count()
    assert axe_violations(page) == []
    assert page.foreign_requests == [] and page.console_errors == []


def test_editor_records_a_disposition_of_a_planted_outlier(page, live_server):
    browser_sign_in(page, live_server["users"]["editor"])
    page.goto(f"/reviews/{QUARTER}")
    high = page.locator("#non_criminal_share-high")
    high.get_by_role("link", name="Shelby County, TN").click()
    page.wait_for_selector("#flag-summary")
    assert "above the 99.8% limit" in page.locator("#flag-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Referred for in-depth analysis").check()
    page.get_by_label("Note").fill("Share twice the national rate: referred to the field office.")
    page.get_by_role("button", name="Save the disposition").click()
    page.wait_for_selector(".alert-success")
    assert "referred to the field office" in page.locator("#dispositions").inner_text()
    assert axe_violations(page) == []


def test_the_public_outcomes_page(page):
    page.goto("/outcomes")
    assert page.locator("h1").inner_text() == "Outcomes after activation"
    assert axe_violations(page) == []
    assert page.foreign_requests == []
