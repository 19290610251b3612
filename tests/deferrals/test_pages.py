"""The deferral pages: who may do what, the workflow through the forms, the log and its export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.deferrals import samples
from tests.deferrals.samples import log_letter
from tests.factories import COUNTY, OTHER_COUNTY, D, schedule
from tests.support.records import version_of
from tracker.deferrals import queries, workflow
from tracker.deferrals.models import DeferralRequest
from tracker.extensions import db
from tracker.status.rule import Status, status_as_of


def make_letter(app, **overrides) -> tuple[int, int]:
    with app.app_context():
        request = log_letter(**overrides)
        ids = (request.id, request.attachments[0].id)
        db.session.commit()
    return ids


def urls(request_id: int, attachment_id: int) -> list[tuple[str, str]]:
    base = f"/deferrals/{request_id}"
    return [
        ("GET", "/deferrals"),
        ("GET", "/deferrals?status=open&overdue=1"),
        ("GET", "/deferrals/new"),
        ("POST", "/deferrals/new"),
        ("GET", "/deferrals/export.csv"),
        ("GET", "/deferrals/export.xlsx"),
        ("GET", "/deferrals/jurisdiction-options?q=anderson"),
        ("GET", base),
        ("POST", f"{base}/request_meeting"),
        ("POST", f"{base}/hold_meeting"),
        ("POST", f"{base}/withdraw"),
        ("POST", f"{base}/resolve"),
        ("POST", f"{base}/notes"),
        ("POST", f"{base}/attachments"),
        ("GET", f"{base}/attachments/{attachment_id}"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_deferral_url(app, client):
    request_id, attachment_id = make_letter(app)
    for method, url in urls(request_id, attachment_id):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)
        assert b"Sheriff" not in response.data and samples.PDF not in response.data


def test_viewers_read_but_cannot_post(app, signed_in):
    request_id, attachment_id = make_letter(app)
    client = signed_in("viewer")
    for method, url in urls(request_id, attachment_id):
        response = client.open(url, method=method)
        expected = 200 if method == "GET" and url != "/deferrals/new" else 403
        assert response.status_code == expected, (method, url)
    page = client.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "Record meeting requested" not in page
    assert "Add note" not in page
    assert "Log a letter" not in client.get("/deferrals").get_data(as_text=True)


def test_public_pages_never_mention_letters(app, client):
    make_letter(app, sender_name="Sheriff Unique Name")
    for url in ("/", "/healthz"):
        assert b"Sheriff Unique Name" not in client.get(url).data


def post_step(client, request_id, step, version, **fields):
    data = {f"{step}-{name}": value for name, value in fields.items()}
    data[f"{step}-version"] = str(version)
    return client.post(f"/deferrals/{request_id}/{step}", data=data)


def test_an_editor_moves_a_letter_to_date_adjusted_and_the_plan_follows(app, signed_in):
    with app.app_context():
        schedule(COUNTY, "2011-03-15", "2010-12-01")
        db.session.commit()
    request_id, _ = make_letter(app)
    client = signed_in("editor")
    page = client.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "Record meeting requested" in page and "Record resolution" not in page

    response = post_step(
        client,
        request_id,
        "request_meeting",
        version_of(app, DeferralRequest, request_id),
        on="2011-02-24",
    )
    assert response.status_code == 303
    response = post_step(
        client,
        request_id,
        "hold_meeting",
        version_of(app, DeferralRequest, request_id),
        on="2011-03-03",
    )
    assert response.status_code == 303
    response = post_step(
        client,
        request_id,
        "resolve",
        version_of(app, DeferralRequest, request_id),
        on="2011-03-04",
        resolution="date_adjusted",
        adjusted_to="2011-04-12",
    )
    assert response.status_code == 303
    page = client.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "Resolved: Date adjusted to 2011-04-12" in page
    assert "This request is closed" in page
    with app.app_context():
        (row,) = status_as_of(D("2011-03-04"), fips=[COUNTY])
        assert (row.status, row.scheduled_on) == (Status.PLANNED, D("2011-04-12"))


def test_an_illegal_step_is_refused_with_a_message(app, signed_in):
    request_id, _ = make_letter(app)
    client = signed_in("editor")
    response = post_step(
        client,
        request_id,
        "hold_meeting",
        version_of(app, DeferralRequest, request_id),
        on="2011-02-24",
    )
    assert response.status_code == 400
    assert "Cannot record the meeting as held" in response.get_data(as_text=True)


def test_a_missing_new_date_is_shown_on_the_resolve_form(app, signed_in):
    request_id, _ = make_letter(app)
    with app.app_context():
        request = queries.get_request(request_id)
        workflow.request_meeting(request, D("2011-02-24"))
        workflow.hold_meeting(request, D("2011-03-03"))
        db.session.commit()
    client = signed_in("editor")
    response = post_step(
        client,
        request_id,
        "resolve",
        version_of(app, DeferralRequest, request_id),
        on="2011-03-04",
        resolution="date_adjusted",
    )
    assert response.status_code == 400
    assert "Give the new scheduled activation date" in response.get_data(as_text=True)
    assert services_status(app, request_id) == "meeting_held"


def services_status(app, request_id):
    with app.app_context():
        return queries.get_request(request_id).status.value


def test_a_stale_form_gets_a_conflict_and_nothing_changes(app, signed_in):
    request_id, _ = make_letter(app)
    stale = version_of(app, DeferralRequest, request_id)
    client = signed_in("editor")
    assert (
        post_step(client, request_id, "request_meeting", stale, on="2011-02-24").status_code == 303
    )
    response = post_step(client, request_id, "withdraw", stale, on="2011-02-25")
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert services_status(app, request_id) == "meeting_requested"


def test_notes_are_added_by_editors(app, signed_in):
    request_id, _ = make_letter(app)
    client = signed_in("editor")
    assert (
        client.post(
            f"/deferrals/{request_id}/notes", data={"note-body": "Called back."}
        ).status_code
        == 303
    )
    assert client.post(f"/deferrals/{request_id}/notes", data={"note-body": " "}).status_code == 400
    page = client.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "Called back." in page and "deferral.note" in page


# --- the log ---------------------------------------------------------------------------------


@pytest.fixture()
def log(app):
    with app.app_context():
        schedule(COUNTY, "2011-03-15", "2010-12-01")
        a = log_letter(
            sender_name="Sheriff Alpha", received_on=D("2011-03-01"), letter_date=D("2011-02-28")
        )
        b = log_letter(
            jurisdiction=OTHER_COUNTY,
            sender_name='=HYPERLINK("http://x")',
            channel="fax",
            kind="not_activate",
            requested_date=None,
            received_on=D("2011-02-01"),
            letter_date=D("2011-01-31"),
        )
        c = log_letter(
            sender_name="Judge Gamma", received_on=D("2011-01-10"), letter_date=D("2011-01-05")
        )
        workflow.withdraw(c, D("2011-01-12"))
        ids = {"a": a.id, "b": b.id, "c": c.id}
        db.session.commit()
    return ids


def ids_in(html: str, log: dict) -> set[str]:
    return {name for name, request_id in log.items() if f"#{request_id}<" in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"a", "b", "c"}),
        ("status=open", {"a", "b"}),
        ("status=withdrawn", {"c"}),
        ("status=received", {"a", "b"}),
        ("channel=fax", {"b"}),
        ("kind=not_activate", {"b"}),
        ("state=TX", {"a", "b", "c"}),
        ("state=CA", set()),
        ("q=alpha", {"a"}),
        ("q=andrews", {"b"}),
        ("q=48003", {"b"}),
        ("received_from=2011-02-01&received_to=2011-02-28", {"b"}),
        ("overdue=1", {"b"}),
        ("urgent=1", {"a"}),
        ("as_of=2011-01-11", {"c"}),
        ("as_of=2011-01-11&status=open", {"c"}),
    ],
)
def test_the_log_filters(signed_in, log, query, expected):
    client = signed_in("viewer")
    html = client.get(
        f"/deferrals?as_of=2011-03-02&{query}".replace("as_of=2011-03-02&as_of", "as_of")
    ).get_data(as_text=True)
    assert ids_in(html, log) == expected, query


def test_the_log_counts_sorts_and_pages(signed_in, log):
    client = signed_in("viewer")
    html = client.get("/deferrals?as_of=2011-03-02").get_data(as_text=True)
    assert 'id="count-open">2<' in html
    assert 'id="count-overdue">1<' in html and 'id="count-urgent">1<' in html
    assert ">URGENT<" in html and ">OVERDUE<" in html
    oldest_first = client.get("/deferrals?as_of=2011-03-02&sort=received_asc").get_data(
        as_text=True
    )
    assert oldest_first.index(f"#{log['c']}<") < oldest_first.index(f"#{log['a']}<")
    first = client.get("/deferrals?as_of=2011-03-02&per_page=2&sort=received_desc").get_data(
        as_text=True
    )
    assert ids_in(first, log) == {"a", "b"} and "3 letters, showing 1–2." in first
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "sort=received_desc" in following and "per_page=2" in following
    paged = client.get(following).get_data(as_text=True)
    assert ids_in(paged, log) == {"c"} and "3 letters, showing 3–3." in paged
    assert 'rel="next"' not in paged and ">First page</a>" in paged


def test_bad_log_parameters_are_refused_by_name(signed_in, log):
    client = signed_in("viewer")
    response = client.get("/deferrals?status=lost")
    assert response.status_code == 400 and "status must be one of" in response.get_data(
        as_text=True
    )
    assert client.get("/deferrals?received_from=yesterday").status_code == 400


def test_the_export_follows_the_filters_and_neutralises_formulas(signed_in, log):
    client = signed_in("viewer")
    response = client.get("/deferrals/export.csv?as_of=2011-03-02&status=open")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="deferral-letters-2011-03-02.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {int(r["id"]) for r in rows} == {log["a"], log["b"]}
    fax = next(r for r in rows if int(r["id"]) == log["b"])
    assert fax["sender_name"].startswith("'=HYPERLINK")
    assert fax["overdue"] == "yes" and fax["received_on"] == "2011-02-01"
    assert fax["as_of"] == "2011-03-02"  # written by the shared CSV writer, like every list

    xlsx = client.get("/deferrals/export.xlsx?as_of=2011-03-02&channel=fax")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Deferral letters as of 2 March 2011"
    header = values[2]
    assert header[0] == "Letter" and len(values) == 4  # title, notes, headings, one letter
    sender = sheet.cell(row=4, column=header.index("Sender") + 1)
    assert sender.value == '=HYPERLINK("http://x")'  # as written, no apostrophe shown
    assert sender.data_type == "s" and sender.quotePrefix  # a text cell, never a formula


def test_letter_log_downloads_are_in_the_provenance_log(app, signed_in, log):
    from tracker.exports.models import ExportRecord

    client = signed_in("viewer")
    client.get("/deferrals/export.csv?as_of=2011-03-02&status=open&page=2")
    client.get("/deferrals/export.xlsx?as_of=2011-03-02&channel=fax")
    with app.app_context():
        records = db.session.scalars(select(ExportRecord).order_by(ExportRecord.id)).all()
        logged = [
            (r.list_name, r.format, r.as_of.isoformat(), r.filters, r.row_count, r.channel)
            for r in records
        ]
        assert all(r.user is not None and r.user.role.value == "viewer" for r in records)
    assert logged == [
        ("deferral-letters", "csv", "2011-03-02", {"status": "open"}, 2, "web"),
        ("deferral-letters", "xlsx", "2011-03-02", {"channel": "fax"}, 1, "web"),
    ]


def test_an_attachment_is_required_when_logging_through_the_form(app, signed_in):
    client = signed_in("editor")
    response = client.post(
        "/deferrals/new",
        data={
            "jurisdiction": COUNTY,
            "letter_date": "2011-02-18",
            "received_on": "2011-02-22",
            "channel": "letter",
            "sender_name": "Clerk",
            "addressed_to": "sib",
            "kind": "not_activate",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Attach the letter" in response.get_data(as_text=True)


def test_logging_through_the_form_keeps_every_file(app, signed_in):
    client = signed_in("editor")
    response = client.post(
        "/deferrals/new",
        data={
            "jurisdiction": COUNTY,
            "letter_date": "2011-02-18",
            "received_on": "2011-02-22",
            "channel": "email",
            "sender_name": "Clerk",
            "addressed_to": "office",
            "kind": "not_receive_results",
            "attachments": [
                (io.BytesIO(samples.EML), "message.eml"),
                (io.BytesIO(samples.PDF), "scan.pdf"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        request = queries.get_request(request_id)
        assert [(a.filename, a.media_type) for a in request.attachments] == [
            ("message.eml", "message/rfc822"),
            ("scan.pdf", "application/pdf"),
        ]
