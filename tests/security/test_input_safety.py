"""Hostile input stays inert: markup in every free-text field, SQL-like text in every filter.

Probes are written through the services into every free-text field a person can fill in (letter
sender, title, agency, summary and notes; briefing presenter, attendees, materials and notes;
state SIB name and contact; plan-change reasons; account names), then every page that shows them
is rendered: the markup must come back escaped, never live. Filters get SQL-like text: no server
error, nothing changed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
import time_machine

from tests.factories import COUNTY, D

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
LINK = "javascript:alert(1)"
PROBE = f"{SCRIPT} {IMG} {LINK}"
# Text only staff may see (letters, SIB contacts) carries this mark, to catch leaks to the public.
INTERNAL = " internal-only"
# An e-mail taken in with markup in its sender's name, subject and text.
HOSTILE_EML = (
    "Message-ID: <hostile.1@hostile.example>\r\n"
    "Date: Mon, 17 Jan 2011 09:00:00 -0600\r\n"
    f'From: "{SCRIPT}" <internal-only@hostile.example>\r\n'
    "To: activation@office.example\r\n"
    f"Subject: {SCRIPT}{INTERNAL}\r\n"
    "\r\n"
    f"{PROBE}{INTERNAL}\r\n"
).encode()
LIVE_MARKUP = re.compile(r"<script>alert|<img src=x onerror|href=\"?javascript:", re.IGNORECASE)


@pytest.fixture()
def hostile_records(app, make_user):
    """One record of each kind with the probe in every free-text field; returns their ids."""
    from tracker.audit.services import set_command_actor
    from tracker.auth.services import create_user
    from tracker.briefings.services import log_briefing
    from tracker.correspondence.intake import take_in
    from tracker.correspondence.services import record_sent
    from tracker.deferrals.attachments import Upload
    from tracker.deferrals.letters import add_note, log_request
    from tracker.extensions import db
    from tracker.plan import corrections
    from tracker.plan import services as plan
    from tracker.registry.services import update_state

    with app.app_context(), time_machine.travel(dt.datetime(2011, 1, 20, 12), tick=False):
        set_command_actor("test")
        create_user("hostile@example.gov", PROBE, "correct horse battery staple", "viewer")
        plan.schedule(
            COUNTY, D("2011-02-15"), decided_on=D("2011-01-03"), reason=PROBE, source="test"
        )
        letter = log_request(
            jurisdiction=COUNTY,
            letter_date=D("2011-01-10"),
            received_on=D("2011-01-12"),
            channel="letter",
            sender_name=PROBE + INTERNAL,
            sender_title=PROBE + INTERNAL,
            sender_agency=PROBE + INTERNAL,
            sender_email="internal-only@hostile.example",
            sender_address=PROBE + INTERNAL,
            addressed_to="both",
            kind="not_activate",
            summary=PROBE + INTERNAL,
            uploads=[Upload(f"{SCRIPT}.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
        add_note(letter, PROBE + INTERNAL)
        record_sent(
            letter,
            kind="acknowledgement",
            to=PROBE + INTERNAL,
            cc=PROBE + INTERNAL,
            subject=PROBE[:150] + INTERNAL,
            body=PROBE + INTERNAL,
            sent_on=D("2011-01-13"),
            sent_by="post",
        )
        draft = take_in(HOSTILE_EML, "hostile.eml")
        # A correction's reason is staff-only text too: the public sees the corrected plan only.
        typed = plan.schedule(
            COUNTY, D("2011-02-16"), decided_on=D("2011-01-04"), reason="typed", source="test"
        )
        corrections.correct_plan_change(
            typed.id,
            scheduled_on=D("2011-02-15"),
            decided_on=D("2011-01-04"),
            reason=PROBE + INTERNAL,
            expected_version=None,
        )
        briefing = log_briefing(
            held_on=D("2011-01-05"),
            kind="local_briefing",
            jurisdiction_fips=[COUNTY],
            presenter=PROBE,
            attendees=PROBE,
            materials_version=PROBE[:100],
            notes=PROBE,
        )
        state = db.session.scalar(sa.text("SELECT version_id FROM state WHERE postal = 'TX'"))
        update_state(
            "TX",
            expected_version=state,
            sib_name=PROBE + INTERNAL,
            sib_contact=PROBE + INTERNAL,
            sib_email="internal-only@sib.example",
            moa_signed_on=None,
            moa_terminated_on=None,
            receives_results=True,
        )
        db.session.commit()
        return {"letter": letter.id, "briefing": briefing.id, "draft": draft.id}


def staff_pages(ids) -> list[str]:
    return [
        "/dashboard?as_of=2011-01-20",
        "/jurisdictions?state=TX",
        f"/jurisdictions/{COUNTY}",
        "/deferrals?as_of=2011-01-20",
        f"/deferrals/{ids['letter']}",
        f"/deferrals/{ids['letter']}/correspondence/acknowledgement",
        "/deferrals/drafts",
        f"/deferrals/drafts/{ids['draft']}",
        "/briefings",
        f"/briefings/{ids['briefing']}",
        f"/briefings/{ids['briefing']}/edit",
        "/states",
        "/states/TX",
        "/states/TX/edit",
        "/readiness?as_of=2011-01-20",
        "/audit",
        "/admin/users",
        "/corrections",
        f"/api/v1/deferrals/{ids['letter']}",
        f"/api/v1/jurisdictions/{COUNTY}?as_of=2011-01-20",
    ]


PUBLIC_PAGES = [
    "/",
    "/outcomes",
    "/map?as_of=2011-01-20",
    "/activated?as_of=2011-01-20",
    "/planned?as_of=2011-01-20",
    f"/api/v1/jurisdictions/{COUNTY}?as_of=2011-01-20",
    f"/api/v1/jurisdictions/{COUNTY}?as_of=2011-01-20&known_at=2011-01-21",
    "/api/v1/status?as_of=2011-01-20&names=1",
    "/exports/planned.json?as_of=2011-01-20",
    "/exports/planned.csv?as_of=2011-01-20&known_at=2011-01-20T12:00:00Z",
]


def assert_inert(response, path: str) -> str:
    """HTML must carry the probe escaped; JSON carries it as data, which no browser renders."""
    body = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert PROBE in body.replace('\\"', '"').replace("\\u003c", "<").replace("\\u003e", ">"), (
            path
        )
        return body
    assert response.mimetype == "text/html", path
    assert not LIVE_MARKUP.search(body), f"live markup on {path}"
    return body


def test_markup_in_every_free_text_field_is_shown_escaped(hostile_records, signed_in):
    admin = signed_in("admin")
    escaped_on = []
    for path in staff_pages(hostile_records):
        response = admin.get(path)
        assert response.status_code == 200, path
        if "&lt;script&gt;alert(" in assert_inert(response, path):
            escaped_on.append(path)
    # The probe really reached the pages (else this test would prove nothing).
    assert f"/deferrals/{hostile_records['letter']}" in escaped_on
    assert f"/briefings/{hostile_records['briefing']}" in escaped_on
    assert "/states/TX" in escaped_on and "/admin/users" in escaped_on
    assert (
        "/deferrals/drafts" in escaped_on
        and f"/deferrals/drafts/{hostile_records['draft']}" in escaped_on
    )
    assert "/corrections" in escaped_on


def test_public_pages_never_show_letters_and_stay_inert(hostile_records, client):
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype == "text/html":
            assert not LIVE_MARKUP.search(response.get_data(as_text=True)), path
        assert INTERNAL.strip() not in response.get_data(as_text=True), f"leak on {path}"


SQL_PROBES = ["' OR '1'='1", "1; DROP TABLE jurisdiction; --", "%' UNION SELECT password_hash --"]
FILTERS = ("q", "state", "status", "kind", "channel", "sort", "as_of", "from", "to", "page",
           "per_page", "received_from", "received_to", "show", "entity_type", "action", "actor")  # fmt: skip


def test_sql_like_text_in_every_filter_is_harmless(app, signed_in):
    admin = signed_in("admin")
    listing_routes = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")
        and rule.endpoint not in ("auth.logout",)
    )  # fmt: skip
    for path in listing_routes:
        for name in FILTERS:
            for probe in SQL_PROBES:
                response = admin.get(path, query_string={name: probe})
                assert response.status_code < 500, f"{path}?{name}={probe}"
    from tracker.extensions import db

    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM jurisdiction")) == 3233


def test_oversized_request_bodies_are_refused_early(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/login", data=b"x" * (limit + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "each file may be at most 20 MB, and a form with its files at most 21 MB" in (
        response.get_data(as_text=True)
    )
