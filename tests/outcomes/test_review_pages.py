"""The quarterly review as staff use it: the page, a flag's disposition (audited, never silently
overwritten), the carry-over to the next quarter, publishing a quarter's totals, and nothing of
it for the public."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.outcomes.support import hidden

HIGH = "48061"  # Cameron County: planted above the national no-conviction share
FLAG_URL = f"/reviews/2011-Q1/non_criminal_share/{HIGH}"


def audit_events(app, action: str) -> list:
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def decide(client, url: str, disposition: str, note: str, revises: str | None = None):
    page = client.get(url).get_data(as_text=True)
    return client.post(
        url,
        data={
            "disposition": disposition,
            "note": note,
            "revises": hidden(page, "revises") if revises is None else revises,
        },
    )


def test_the_review_page_shows_each_metric_with_its_plot_flags_and_small_ones(held_out, signed_in):
    viewer = signed_in("viewer")
    latest = viewer.get("/reviews")  # the latest quarter with statistics
    assert latest.status_code == 200
    html = viewer.get("/reviews/2011-Q1").get_data(as_text=True)
    summary = re.compile(r'<p id="review-summary">.*?</p>', re.S)
    assert summary.search(latest.get_data(as_text=True))[0] == summary.search(html)[0]
    assert "254 jurisdictions</strong> reported statistics for 2011-Q1" in html
    assert "demo statistics" not in html  # imported figures, not the demo's
    assert html.count('<svg class="funnel-plot"') == 3
    assert html.count('role="group"') >= 3
    # Every reporting jurisdiction is a point, a link with a name, on each plot.
    points = re.findall(
        r'<a href="/reviews/2011-Q1/non_criminal_share/(\d{5})" aria-label="([^"]+)"', html
    )
    assert (
        len(points) == 254 - 1
    )  # Loving County's quarter has identifications; one county has none
    named = dict(points)
    assert named[HIGH].startswith("Cameron County, TX: ")
    assert named[HIGH].endswith("above the 99.8% limit")
    assert "too few cases" in named["48301"]
    high_table = html[html.index('id="non_criminal_share-high"') :]
    high_table = high_table[: high_table.index("</table>")]
    assert "Cameron County, TX" in high_table and "to decide" in high_table
    assert "Loving County, TX" not in high_table
    small = html[html.index('id="non_criminal_share-small"') :]
    assert "Loving County, TX" in small[: small.index("</table>")]


def test_a_quarter_without_statistics_and_a_malformed_one(held_out, signed_in):
    viewer = signed_in("viewer")
    assert "No statistics have been imported for 2009-Q1" in viewer.get(
        "/reviews/2009-Q1"
    ).get_data(as_text=True)
    assert viewer.get("/reviews/2011-Q5").status_code == 404
    assert viewer.get("/reviews/2011-q1").status_code == 200
    assert viewer.get("/reviews?quarter=2011-Q1").headers["Location"].endswith("/reviews/2011-Q1")


def test_an_editor_records_and_revises_a_disposition_and_a_stale_form_is_refused(
    app, held_out, signed_in
):
    editor = signed_in("editor")
    page = editor.get(FLAG_URL).get_data(as_text=True)
    assert "No disposition recorded yet." in page and "Record a disposition" in page

    stale = editor.get(FLAG_URL).get_data(as_text=True)  # a second tab, opened now
    response = decide(editor, FLAG_URL, "in_depth_analysis", "Share doubled since Q4; ask the SIB.")
    assert response.status_code == 303
    page = editor.get(FLAG_URL).get_data(as_text=True)
    assert (
        "Referred for in-depth analysis" in page and "Share doubled since Q4; ask the SIB." in page
    )
    [event] = audit_events(app, "review.disposition")
    assert event.before is None
    assert event.after["disposition"] == "in_depth_analysis"
    assert event.after["direction"] == "high" and event.after["limit_crossed"] == "99.8%"

    # The tab opened before the first decision still thinks there is none: refused, not saved.
    response = decide(
        editor, FLAG_URL, "no_action", "Nothing to see.", revises=hidden(stale, "revises")
    )
    assert response.status_code == 409
    assert "Someone recorded a disposition of Cameron County, TX meanwhile" in response.get_data(
        as_text=True
    )
    assert len(audit_events(app, "review.disposition")) == 1

    response = decide(
        editor, FLAG_URL, "local_factors", "Border processing centre opened in January."
    )
    assert response.status_code == 303
    page = editor.get(FLAG_URL).get_data(as_text=True)
    assert page.index("Explained by local factors") < page.index("Referred for in-depth analysis")
    second = audit_events(app, "review.disposition")[1]
    assert second.before["disposition"] == "in_depth_analysis"
    assert second.after["revises_id"] is not None
    review = editor.get("/reviews/2011-Q1").get_data(as_text=True)
    assert "Explained by local factors" in review


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"disposition": "no_action", "note": ""}, 400, "Write a note"),
        ({"disposition": "dismissed", "note": "x"}, 400, "Not a valid choice"),
    ],
)
def test_a_disposition_needs_a_choice_and_a_note(app, held_out, signed_in, data, status, message):
    editor = signed_in("editor")
    response = editor.post(FLAG_URL, data={**data, "revises": ""})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert audit_events(app, "review.disposition") == []


def test_only_flagged_jurisdictions_take_a_disposition(app, held_out, signed_in):
    editor = signed_in("editor")
    within = "/reviews/2011-Q1/non_criminal_share/48001"
    page = editor.get(within).get_data(as_text=True)
    assert "is not flagged on this metric" in page and "Save the disposition" not in page
    response = editor.post(within, data={"disposition": "no_action", "note": "x", "revises": ""})
    assert response.status_code == 400
    assert "not flagged" in response.get_data(as_text=True)
    assert editor.get("/reviews/2011-Q1/non_criminal_share/48999").status_code == 404


def test_viewers_read_dispositions_but_cannot_record_them(held_out, signed_in):
    viewer = signed_in("viewer")
    page = viewer.get(FLAG_URL).get_data(as_text=True)
    assert "Save the disposition" not in page
    response = viewer.post(FLAG_URL, data={"disposition": "no_action", "note": "x", "revises": ""})
    assert response.status_code == 403


def test_dispositions_carry_over_to_the_next_quarter_as_history(app, two_quarters, signed_in):
    editor = signed_in("editor")
    assert decide(editor, FLAG_URL, "in_depth_analysis", "Referred in April.").status_code == 303
    q2 = editor.get("/reviews/2011-Q2").get_data(as_text=True)
    carried = q2[q2.index('id="carried-over"') :]
    carried = carried[: carried.index("</table>")]
    assert "Cameron County, TX" in carried and "Referred in April." in carried
    assert re.search(r"Referred in April\..*?<td>yes</td>", carried, re.S)
    flag_q2 = editor.get(FLAG_URL.replace("2011-Q1", "2011-Q2")).get_data(as_text=True)
    history = flag_q2[flag_q2.index('id="history"') :]
    assert "2011-Q1: flagged high" in history and "Referred in April." in history
    assert "No disposition recorded yet." in flag_q2  # Q2 decides afresh
    q2_table = q2[q2.index('id="non_criminal_share-high"') :]
    assert "2011-Q1: Referred for in-depth analysis" in q2_table[: q2_table.index("</table>")]


def test_an_admin_publishes_and_withdraws_a_quarters_national_totals(
    app, held_out, signed_in, client
):
    from tracker.extensions import db
    from tracker.outcomes.models import PublishedQuarter
    from tracker.outcomes.quarters import Quarter
    from tracker.outcomes.services import quarter_totals

    assert "No quarter's totals have been published yet." in client.get("/outcomes").get_data(
        as_text=True
    )
    editor = signed_in("editor")
    assert editor.post("/reviews/2011-Q1/publish").status_code == 403
    admin = signed_in("admin")
    assert "Publish the national totals" in admin.get("/reviews/2011-Q1").get_data(as_text=True)
    assert admin.post("/reviews/2011-Q1/publish").status_code == 303
    with app.app_context():
        totals = quarter_totals(Quarter(2011, 1))
    admin.post("/logout")
    public = client.get("/outcomes").get_data(as_text=True)
    row = public[public.index('id="published-totals"') :]
    assert "January to March 2011 (2011-Q1)" in row
    assert f"<td>{totals.submissions:,}</td>" in row and f"<td>{totals.non_criminal:,}</td>" in row
    assert "Cameron" not in public and "48061" not in public  # totals only, never a jurisdiction
    assert [e.after["submissions"] for e in audit_events(app, "stats.publish")] == [
        totals.submissions
    ]

    admin = signed_in("admin")
    assert admin.post("/reviews/2011-Q1/withdraw").status_code == 303
    assert "No quarter's totals have been published yet." in client.get("/outcomes").get_data(
        as_text=True
    )
    assert (
        admin.post("/reviews/2011-Q1/withdraw").status_code == 303
    )  # nothing to withdraw: a message
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PublishedQuarter)) == 1
    assert admin.post("/reviews/2009-Q1/publish").status_code == 303
    assert "2009-Q1 has no statistics to publish." in admin.get("/reviews/2009-Q1").get_data(
        as_text=True
    )


def test_nothing_of_the_statistics_reaches_the_public(app, held_out, client):
    for path in ("/reviews", "/reviews/2011-Q1", FLAG_URL, "/stats/import"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path in ("/api/v1/stats", "/api/v1/reviews/2011-Q1"):
        assert client.get(path).status_code == 401, path
    for path in ("/", "/outcomes", "/api/v1/summary", f"/api/v1/jurisdictions/{HIGH}"):
        body = client.get(path).get_data(as_text=True)
        assert "non_criminal" not in body and "Quarterly review" not in body, path
        assert "no criminal conviction" not in body.lower() or path == "/outcomes", path


def test_a_hostile_note_is_escaped_for_staff_and_never_public(app, held_out, signed_in, client):
    probe = "<script>alert('note')</script> internal-only"
    editor = signed_in("editor")
    assert decide(editor, FLAG_URL, "data_error", probe).status_code == 303
    for path in (FLAG_URL, "/reviews/2011-Q1"):
        html = editor.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in html and "<script>alert('note')" not in html, path
    outlier = next(
        o
        for m in editor.get("/api/v1/reviews/2011-Q1").get_json()["metrics"]
        for o in m["outliers"]
        if o["fips"] == HIGH and m["metric"] == "non_criminal_share"
    )
    assert outlier["disposition"]["note"] == probe
    editor.post("/logout")
    for path in ("/", "/outcomes", "/map", "/activated", "/api/v1/summary"):
        assert "internal-only" not in client.get(path).get_data(as_text=True), path
