"""A member of staff logs an e-mailed letter with its PDF and takes it to a resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def a_late_county(live_server) -> tuple[str, str, dt.date]:
    """A demo county with no letter yet that activates late in the rollout, and whose plan was
    decided before the letter's resolution (a decision dated earlier than the one in force is
    refused): (fips, label, day)."""
    from tracker.deferrals.models import DeferralRequest
    from tracker.extensions import db
    from tracker.plan.models import Activation, PlanChange
    from tracker.registry.models import Jurisdiction

    with live_server["app"].app_context():
        lettered = select(DeferralRequest.jurisdiction_fips)
        changed = (
            select(PlanChange.jurisdiction_fips)
            .group_by(PlanChange.jurisdiction_fips)
            .having(db.func.count() > 1)
        )
        decided_later = select(PlanChange.jurisdiction_fips).where(
            PlanChange.decided_on > dt.date(2012, 1, 20)
        )
        fips, activated_on = db.session.execute(
            select(Activation.jurisdiction_fips, Activation.activated_on)
            .where(Activation.activated_on > dt.date(2012, 6, 1))
            .where(Activation.jurisdiction_fips.not_in(lettered))
            .where(Activation.jurisdiction_fips.not_in(changed))
            .where(Activation.jurisdiction_fips.not_in(decided_later))
            .order_by(Activation.jurisdiction_fips)
            .limit(1)
        ).one()
        label = db.session.get(Jurisdiction, fips).label
        db.session.remove()
    return fips, label, activated_on


def test_editor_logs_an_emailed_letter_and_resolves_it(page, live_server):
    fips, label, activated_on = a_late_county(live_server)
    browser_sign_in(page, live_server["users"]["editor"])

    page.goto("/deferrals")
    assert page.locator("h1").inner_text() == "Deferral letters"
    assert page.locator(".deferral-overdue").count() > 0  # demo letters overdue today
    assert axe_violations(page) == []

    page.get_by_role("link", name="Log a letter").click()
    assert axe_violations(page) == []
    page.fill("#jurisdiction", label.split(",")[0][:6])
    page.locator("#jurisdiction-options option").first.wait_for(state="attached")
    page.fill("#jurisdiction", f"{label} ({fips})")
    page.fill("#letter_date", "2012-01-10")
    page.fill("#received_on", "2012-01-10")
    page.select_option("#channel", "email")
    page.fill("#sender_name", "Sheriff Browser Test")
    page.fill("#sender_title", "Sheriff")
    page.fill("#sender_agency", "Sheriff's Office")
    page.select_option("#addressed_to", "both")
    page.select_option("#kind", "defer")
    page.fill("#requested_date", activated_on.isoformat())
    page.fill("#summary", "Asks for more time to install new booking equipment.")
    page.set_input_files(
        "#attachments",
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Log the letter").click()
    page.wait_for_url("**/deferrals/*")
    assert "logged with 1 attachment" in page.content()
    assert page.locator("#deferral-status").inner_text() == "Received"
    assert page.get_by_role("link", name="letter.pdf").count() == 1
    assert axe_violations(page) == []

    page.fill("#request_meeting-on", "2012-01-12")
    page.get_by_role("button", name="Record meeting requested").click()
    page.wait_for_load_state()
    assert page.locator("#deferral-status").inner_text() == "Meeting requested"

    page.fill("#hold_meeting-on", "2012-01-19")
    page.get_by_role("button", name="Record meeting held").click()
    page.wait_for_load_state()
    assert page.locator("#deferral-status").inner_text() == "Meeting held"

    page.fill("#resolve-on", "2012-01-20")
    page.select_option("#resolve-resolution", "date_adjusted")
    page.fill("#resolve-adjusted_to", activated_on.isoformat())
    page.get_by_role("button", name="Record resolution").click()
    page.wait_for_load_state()
    status = page.locator("#deferral-status").inner_text()
    assert status == f"Resolved: Date adjusted to {activated_on.isoformat()}"
    assert f"scheduled for {activated_on.isoformat()}" in page.content()
    assert axe_violations(page) == []
    assert page.foreign_requests == []
    assert page.console_errors == []
