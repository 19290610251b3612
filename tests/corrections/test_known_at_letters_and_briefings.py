"""known_at on the letter log (page, search, sorts, paging, downloads, API) and on the briefing
log (page, API): each letter and briefing as the records stood at the moment, through real
requests on both engines.

The letters' history, recorded on the days named (all as of 1 March 2011):
- 1 Feb: letter A logged against Anderson County (scheduled 10 March: urgent while open);
- 2 Feb: letter C logged against Andrews County; 3 Feb: a meeting requested on A and on C;
- 10 Feb: A moved to Angelina County (scheduled 1 June) and its sender's name corrected;
  11 Feb: a scan attached to A;
- 15 Feb: A's meeting request undone (clicked by mistake): A is overdue again;
- 25 Feb: letter B logged against Anderson County (open, so urgent; received too recently to be
  overdue).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from tests.deferrals.samples import PDF
from tests.factories import D, briefing, schedule
from tests.support.records import read, write
from tracker.deferrals import corrections, letters, workflow
from tracker.deferrals.attachments import Upload
from tracker.deferrals.models import LOGGED_FIELDS, DeferralRequest
from tracker.extensions import db
from tracker.formatting import long_date

pytestmark = pytest.mark.today("2011-03-01 17:00:00")

ANDERSON, ANDREWS, ANGELINA = "48001", "48003", "48005"
AS_OF = "as_of=2011-03-01"
BEFORE = "2011-01-31"  # nothing logged yet
LOGGED = "2011-02-05"  # A in Anderson with its meeting requested, C
MOVED = "2011-02-12"  # A in Angelina (sender corrected, one scan), meeting still requested
UNDONE = "2011-02-17"  # A's meeting request undone: A overdue
# How each moment reads in files and answers: the end of that day in New York, in UTC.
MOVED_UTC = "2011-02-13T04:59:59.999999+00:00"


def _at(day: str, hour: int = 15):
    return time_machine.travel(
        dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00"), tick=False
    )


def _log(fips: str, received: str, sender: str) -> int:
    letter = letters.log_request(
        jurisdiction=fips,
        letter_date=D(received),
        received_on=D(received),
        channel="email",
        sender_name=sender,
        addressed_to="both",
        kind="defer",
        requested_date=D("2011-07-01"),
        require_attachment=False,
    )
    return letter.id


def _letter(letter_id: int) -> DeferralRequest:
    return db.session.get(DeferralRequest, letter_id)


def _move(letter_id: int) -> None:
    letter = _letter(letter_id)
    fields = {name.removesuffix("_fips"): getattr(letter, name) for name in LOGGED_FIELDS}
    fields.update(jurisdiction=ANGELINA, sender_name="Sheriff Pat Dough")
    corrections.edit_letter(
        letter, reason="Logged against the wrong county", expected_version=letter.version_id,
        **fields,
    )  # fmt: skip


def _undo(letter_id: int) -> None:
    letter = _letter(letter_id)
    corrections.undo_step(
        letter, reason="Meeting request clicked by mistake", expected_version=letter.version_id
    )


@pytest.fixture()
def history(app, database) -> dict[str, int]:
    with _at("2011-01-03"):
        write(app, lambda: [schedule(ANDERSON, "2011-03-10", "2011-01-03"),
                            schedule(ANDREWS, "2011-06-01", "2011-01-03"),
                            schedule(ANGELINA, "2011-06-01", "2011-01-03")])  # fmt: skip
    with _at("2011-02-01"):
        a = write(app, lambda: _log(ANDERSON, "2011-02-01", "Sheriff Pat Doe"))
    with _at("2011-02-02"):
        c = write(app, lambda: _log(ANDREWS, "2011-02-02", "Judge Kim Poe"))
    with _at("2011-02-03"):
        for letter_id in (a, c):
            write(app, lambda i=letter_id: workflow.request_meeting(_letter(i), D("2011-02-03")))
    with _at("2011-02-10"):
        write(app, lambda: _move(a))
    with _at("2011-02-11"):
        write(app, lambda: letters.add_attachment(_letter(a), Upload("scan.pdf", PDF)))
    with _at("2011-02-15"):
        write(app, lambda: _undo(a))
    with _at("2011-02-25"):
        b = write(app, lambda: _log(ANDERSON, "2011-02-25", "Mayor Lee Roe"))
    return {"A": a, "B": b, "C": c}


def _rows(html: str) -> dict[int, str]:
    """{letter id: the text of its row} of the log's table, in the table's order."""
    body = html.split('<table class="table table-sm table-striped align-middle deferral-log">')[1]
    rows = {}
    for row in body.split("</tbody>")[0].split("<tr")[2:]:
        found = re.search(r'href="/deferrals/(\d+)"', row)
        if found:
            rows[int(found.group(1))] = " ".join(re.sub(r"<[^>]+>", " ", "<tr" + row).split())
    return rows


def _named(ids: dict[str, int], found) -> list[str]:
    names = {number: name for name, number in ids.items()}
    return [names[number] for number in found]


# What each moment's log shows as of 1 March 2011: (jurisdiction, sender, status, OVERDUE,
# URGENT) per letter, in the default order (received, newest first).
EXPECTED = {
    BEFORE: {},
    LOGGED: {
        "C": ("Andrews County, TX", "Judge Kim Poe", "Meeting requested", False, False),
        "A": ("Anderson County, TX", "Sheriff Pat Doe", "Meeting requested", False, True),
    },
    MOVED: {
        "C": ("Andrews County, TX", "Judge Kim Poe", "Meeting requested", False, False),
        "A": ("Angelina County, TX", "Sheriff Pat Dough", "Meeting requested", False, False),
    },
    UNDONE: {
        "C": ("Andrews County, TX", "Judge Kim Poe", "Meeting requested", False, False),
        "A": ("Angelina County, TX", "Sheriff Pat Dough", "Received", True, False),
    },
    None: {
        "B": ("Anderson County, TX", "Mayor Lee Roe", "Received", False, True),
        "C": ("Andrews County, TX", "Judge Kim Poe", "Meeting requested", False, False),
        "A": ("Angelina County, TX", "Sheriff Pat Dough", "Received", True, False),
    },
}


def _query(known_at: str | None, extra: str = "") -> str:
    return AS_OF + (f"&known_at={known_at}" if known_at else "") + extra


@pytest.mark.parametrize("known_at", list(EXPECTED), ids=lambda k: k or "now")
def test_the_log_page_shows_each_letter_as_recorded_at_the_moment(history, signed_in, known_at):
    viewer = signed_in("viewer")
    html = viewer.get(f"/deferrals?{_query(known_at)}").get_data(as_text=True)
    rows = _rows(html)
    expected = EXPECTED[known_at]
    assert _named(history, rows) == list(expected)
    for name, (place, sender, status, overdue, urgent) in expected.items():
        row = rows[history[name]]
        assert place in row and sender in row and status in row, row
        assert ("OVERDUE" in row) is overdue and ("URGENT" in row) is urgent, row
    counts = [sum(values[i] for values in expected.values()) for i in (3, 4)]
    assert f'id="count-open">{len(expected)}<' in html
    assert f'id="count-overdue">{counts[0]}<' in html and f'id="count-urgent">{counts[1]}<' in html
    if known_at:
        assert f"As the records stood at {long_date(D(known_at))}, 23:59 EST." in html
        # The filter form and the counts' links carry the moment; the banner leads back to now.
        (field,) = re.findall(r'<input[^>]*name="known_at"[^>]*>', html)
        assert f'value="{known_at}"' in field
        assert f"overdue=1&amp;as_of=2011-03-01&amp;known_at={known_at}" in html
        assert 'href="/deferrals?as_of=2011-03-01">Show the records as they stand now' in html
    else:
        assert "As the records stood at" not in html


@pytest.mark.parametrize(
    ("known_at", "extra", "expected"),
    [
        (LOGGED, "&overdue=1", []),
        (UNDONE, "&overdue=1", ["A"]),
        (None, "&overdue=1", ["A"]),
        (LOGGED, "&urgent=1", ["A"]),
        (MOVED, "&urgent=1", []),
        (None, "&urgent=1", ["B"]),
        (MOVED, "&status=received", []),
        (UNDONE, "&status=received", ["A"]),
        (LOGGED, "&q=anderson", ["A"]),
        (MOVED, "&q=anderson", []),
        (None, "&q=anderson", ["B"]),
        (LOGGED, "&q=dough", []),
        (MOVED, "&q=angelina+dough", ["A"]),
        (LOGGED, f"&q={ANGELINA}", []),
        (BEFORE, "&q=sheriff", []),
        (LOGGED, "&sort=jurisdiction", ["A", "C"]),
        (MOVED, "&sort=jurisdiction", ["C", "A"]),
        (LOGGED, "&sort=sender", ["C", "A"]),
        (MOVED, "&received_from=2011-02-02", ["C"]),
    ],
)
def test_filters_search_and_sorts_judge_what_was_recorded(
    history, signed_in, known_at, extra, expected
):
    viewer = signed_in("viewer")
    html = viewer.get(f"/deferrals?{_query(known_at, extra)}").get_data(as_text=True)
    assert _named(history, _rows(html)) == expected
    answer = viewer.get(f"/api/v1/deferrals?{_query(known_at, extra)}").get_json()
    assert _named(history, [item["id"] for item in answer["items"]]) == expected


@pytest.mark.parametrize(("known_at", "order"), [(LOGGED, ["A", "C"]), (MOVED, ["C", "A"])])
def test_paging_by_key_keeps_the_moment(history, signed_in, known_at, order):
    viewer = signed_in("viewer")
    first = viewer.get(f"/deferrals?{_query(known_at, '&sort=jurisdiction&per_page=1')}")
    html = first.get_data(as_text=True)
    assert _named(history, _rows(html)) == order[:1] and "2 letters, showing 1–1." in html
    following = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"known_at={known_at}" in following
    second = viewer.get(following).get_data(as_text=True)
    assert _named(history, _rows(second)) == order[1:] and 'rel="next"' not in second
    answer = viewer.get(f"/api/v1/deferrals?{_query(known_at, '&sort=jurisdiction&per_page=1')}")
    following = answer.get_json()["next"]
    assert f"known_at={known_at}" in following
    ids = [item["id"] for item in viewer.get(following).get_json()["items"]]
    assert _named(history, ids) == order[1:]


def test_the_api_answers_with_each_letter_as_recorded(history, signed_in):
    viewer = signed_in("viewer")
    a, b = history["A"], history["B"]

    def item(known_at: str | None) -> dict:
        answer = viewer.get(f"/api/v1/deferrals?{_query(known_at)}").get_json()
        return next(i for i in answer["items"] if i["id"] == a) | {"known": answer["known_at"]}

    logged, moved, undone, now = (item(k) for k in (LOGGED, MOVED, UNDONE, None))
    assert (logged["jurisdiction_fips"], logged["sender_name"]) == (ANDERSON, "Sheriff Pat Doe")
    assert (logged["status"], logged["meeting_requested_on"]) == ("meeting_requested", "2011-02-03")
    assert (logged["urgent"], logged["scheduled_on"], logged["attachments"]) == (
        True,
        "2011-03-10",
        [],
    )
    assert (moved["jurisdiction_fips"], moved["jurisdiction"]) == (ANGELINA, "Angelina County, TX")
    assert (moved["urgent"], moved["scheduled_on"]) == (False, "2011-06-01")
    assert [f["filename"] for f in moved["attachments"]] == ["scan.pdf"]
    assert moved["known"] == MOVED_UTC and now["known"] is None
    assert (undone["status"], undone["meeting_requested_on"], undone["overdue"]) == (
        "received",
        None,
        True,
    )
    assert logged["version"] < moved["version"] < undone["version"] == now["version"]
    # One letter: as it stood then, or not found when it had not been logged yet.
    one = viewer.get(f"/api/v1/deferrals/{a}?{_query(LOGGED)}").get_json()
    assert (one["jurisdiction_fips"], one["status_as_of"], one["urgent"]) == (
        ANDERSON,
        "meeting_requested",
        True,
    )
    assert [step["what"] for step in one["steps"]][-1] == f"Meeting requested on letter #{a}"
    assert one["known_at"] == "2011-02-06T04:59:59.999999+00:00" and one["attachments"] == []
    current = viewer.get(f"/api/v1/deferrals/{a}?{AS_OF}").get_json()
    assert current["jurisdiction_fips"] == ANGELINA and current["known_at"] is None
    assert len(current["attachments"]) == 1 and current["overdue"] is True
    # The dashboard's latest letters read the same versions.
    dashboard = viewer.get(f"/dashboard?{_query(LOGGED)}").get_data(as_text=True)
    assert "Sheriff Pat Doe" in dashboard and "Mayor Lee Roe" not in dashboard
    assert "Sheriff Pat Dough" not in dashboard
    missing = viewer.get(f"/api/v1/deferrals/{b}?{_query(UNDONE)}")
    assert missing.status_code == 404
    assert viewer.get(f"/api/v1/deferrals/{b}?{AS_OF}").status_code == 200


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_downloads_read_the_moment_and_record_it(history, signed_in, app):
    viewer = signed_in("viewer")
    moved = viewer.get(f"/deferrals/export.csv?{_query(MOVED)}")
    assert moved.status_code == 200
    assert (
        "deferral-letters-2011-03-01-known-2011-02-13T045959.csv"
        in (moved.headers["Content-Disposition"])
    )
    rows = {int(row["id"]): row for row in _csv(moved)}
    assert list(rows) == [history["C"], history["A"]]
    a = rows[history["A"]]
    assert (a["jurisdiction_fips"], a["jurisdiction"], a["sender_name"]) == (
        ANGELINA,
        "Angelina County",
        "Sheriff Pat Dough",
    )
    assert (a["status"], a["meeting_requested_on"], a["overdue"], a["attachments"]) == (
        "Meeting requested",
        "2011-02-03",
        "no",
        "1",
    )
    assert a["known_at"] == MOVED_UTC and a["as_of"] == "2011-03-01"
    logged = {
        int(row["id"]): row for row in _csv(viewer.get(f"/deferrals/export.csv?{_query(LOGGED)}"))
    }
    assert logged[history["A"]]["jurisdiction_fips"] == ANDERSON
    assert logged[history["A"]]["attachments"] == "0"
    undone = _csv(viewer.get(f"/deferrals/export.csv?{_query(UNDONE, '&overdue=1')}"))
    assert [(int(r["id"]), r["status"], r["overdue"]) for r in undone] == [
        (history["A"], "Received", "yes")
    ]
    before = viewer.get(f"/deferrals/export.csv?{_query(BEFORE)}").get_data(as_text=True)
    assert before.splitlines() == [before.splitlines()[0]] and before.splitlines()[0].endswith(
        "as_of,generated_at,known_at"
    )
    now = _csv(viewer.get(f"/deferrals/export.csv?{AS_OF}"))
    assert len(now) == 3 and "known_at" not in now[0]
    xlsx = viewer.get(f"/deferrals/export.xlsx?{_query(MOVED, '&q=dough')}")
    assert "known-2011-02-13T045959.xlsx" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert f"known_at={MOVED_UTC}" in values[1][0] and len(values) == 4
    assert "Sheriff Pat Dough" in values[3]
    # Each download's provenance record keeps the moment it read.
    from sqlalchemy import select

    from tracker.exports.models import ExportRecord

    records = read(
        app,
        lambda: [
            (r.format, r.known_at, r.filters.get("known_at"))
            for r in db.session.scalars(select(ExportRecord).order_by(ExportRecord.id))
        ],
    )
    assert records[0][0] == "csv" and records[0][2] == MOVED_UTC
    assert records[0][1].astimezone(dt.UTC).isoformat() == MOVED_UTC
    assert records[-1][0] == "xlsx" and records[-1][2] == MOVED_UTC
    assert [r for r in records if r[2] is None] == [("csv", None, None)]  # the one of now


@pytest.fixture()
def briefings(app, database) -> dict[str, int]:
    """X logged on 2 Feb (held 1 Feb, a local briefing of Anderson County), corrected on 14 Feb
    (held 28 Jan, an advance notice to Andrews County, another presenter); Y, a SIB meeting
    covering Texas, logged on 21 Feb."""
    with _at("2011-02-02"):
        x = write(app, lambda: briefing("2011-02-01", jurisdictions=[ANDERSON]).id)
    from tracker.briefings import services

    def correct() -> None:
        services.update_briefing(
            x, expected_version=services.get_briefing(x).version_id,
            reason="Wrong date and county on the sign-in sheet", held_on=D("2011-01-28"),
            kind="advance_notice", jurisdiction_fips=[ANDREWS], presenter="Regional lead",
        )  # fmt: skip

    with _at("2011-02-14"):
        write(app, correct)
    with _at("2011-02-21"):
        y = write(app, lambda: briefing("2011-02-18", "sib_meeting", states=["TX"]).id)
    return {"X": x, "Y": y}


def _briefing_rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", "<tr" + row).split()) for row in body.split("<tr")[1:]]


def test_the_briefing_log_shows_each_briefing_as_recorded(briefings, signed_in):
    viewer = signed_in("viewer")
    then = viewer.get(f"/briefings?known_at={LOGGED}").get_data(as_text=True)
    assert "As the records stood at 5 February 2011, 23:59 EST" in then
    assert 'href="/briefings">Show the records as they stand now' in then
    assert _briefing_rows(then) == [
        "1 February 2011 Local law-enforcement briefing Anderson County, TX Outreach lead"
    ]
    corrected = _briefing_rows(viewer.get("/briefings?known_at=2011-02-15").get_data(as_text=True))
    assert corrected == [
        "28 January 2011 Advance notice to state and local governments Andrews County, TX "
        "Regional lead"
    ]
    now = viewer.get("/briefings").get_data(as_text=True)
    assert "As the records stood at" not in now and len(_briefing_rows(now)) == 2
    # The filters judge the values kept at the moment.
    for query, rows in (
        (f"known_at={LOGGED}&kind=advance_notice", 0),
        ("kind=advance_notice", 1),
        (f"known_at={LOGGED}&from=2011-01-30", 1),
        ("from=2011-01-30&kind=local_briefing", 0),
        (f"known_at={LOGGED}&state=TX", 1),
        (f"known_at={BEFORE}", 0),
    ):
        html = viewer.get(f"/briefings?{query}").get_data(as_text=True)
        found = [row for row in _briefing_rows(html) if row != "No briefings match."]
        assert len(found) == rows, query
    # The API: the same briefings, with their values then, and the moment echoed.
    answer = viewer.get(f"/api/v1/briefings?known_at={LOGGED}").get_json()
    assert answer["known_at"] == "2011-02-06T04:59:59.999999+00:00" and answer["total"] == 1
    (item,) = answer["items"]
    assert (item["id"], item["held_on"], item["kind"], item["jurisdictions"]) == (
        briefings["X"],
        "2011-02-01",
        "local_briefing",
        [ANDERSON],
    )
    assert (item["presenter"], item["version"]) == ("Outreach lead", 1)
    current = viewer.get("/api/v1/briefings").get_json()
    assert current["known_at"] is None
    assert [(i["id"], i["held_on"], i["jurisdictions"]) for i in current["items"]] == [
        (briefings["Y"], "2011-02-18", []),
        (briefings["X"], "2011-01-28", [ANDREWS]),
    ]
    # The dashboard's latest briefings read the same kept values.
    dashboard = viewer.get(f"/dashboard?{_query(LOGGED)}").get_data(as_text=True)
    assert "Outreach lead" in dashboard and "Regional lead" not in dashboard


@pytest.mark.parametrize(
    "path",
    [
        "/deferrals",
        "/deferrals/export.csv",
        "/deferrals/export.xlsx",
        "/api/v1/deferrals",
        "/api/v1/deferrals/1",
        "/briefings",
        "/api/v1/briefings",
    ],
)
def test_a_bad_moment_is_refused_and_the_logs_stay_staff_only(
    app, database, client, signed_in, path
):
    for bad in ("soon", "1999-12-31", "2101-01-01"):
        assert client.get(f"{path}?known_at={bad}").status_code in (302, 401), bad
    viewer = signed_in("viewer")
    for bad in ("soon", "1999-12-31", "2011-02-30T25:00"):
        response = viewer.get(f"{path}?known_at={bad}")
        assert response.status_code == 400, (path, bad)
        if path.startswith("/api/"):
            assert response.get_json()["error"]["parameter"] == "known_at"
        else:
            assert "known_at" in response.get_data(as_text=True)


def test_the_openapi_document_describes_known_at_on_the_logs(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/deferrals", "/deferrals/{request_id}", "/briefings"):
        operation = next(ops["get"] for key, ops in document["paths"].items() if key.endswith(path))
        assert {"$ref": "#/components/parameters/known_at"} in operation["parameters"], path
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "known_at" in schema["properties"], path
