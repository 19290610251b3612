"""The San Francisco case (06075) on both axes: an activation date typed wrong and corrected,
and an activation entered late (backdated), read "as of" a day and "as known at" a moment.

The story, with the clock frozen at each step:
- 2010-05-01 the plan schedules San Francisco for 2010-06-08;
- 2010-06-08 17:00 (EDT) staff record the activation, typed 2010-06-01 by mistake;
- 2010-06-10 the date is corrected to 2010-06-08, with a reason;
- Alameda (06001) activated 2010-08-25, but staff record it only on 2010-09-03 (backdated).
"""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.support.records import version_of, write
from tests.support.web import sign_in
from tracker.plan import corrections
from tracker.plan import services as plan
from tracker.registry.models import Jurisdiction

SF, ALAMEDA = "06075", "06001"
D = dt.date.fromisoformat
EDT = dt.timezone(dt.timedelta(hours=-4))


def at(moment: str):
    return time_machine.travel(dt.datetime.fromisoformat(moment), tick=False)


def _history(app, editor, email: str) -> None:
    with at("2010-05-01T10:00:00-04:00"):
        write(app, lambda: plan.schedule(SF, D("2010-06-08"), reason="Wave 4", source="plan"))
        write(app, lambda: plan.schedule(ALAMEDA, D("2010-08-25"), reason="Wave 6", source="plan"))
    with at("2010-06-08T17:00:00-04:00"):
        write(app, lambda: plan.record_activation(SF, D("2010-06-01"), source="SIB e-mail"))
    with at("2010-06-10T09:30:00-04:00"):
        assert sign_in(editor, email).status_code == 303
        version = version_of(app, Jurisdiction, SF)
        response = editor.post(
            f"/jurisdictions/{SF}/activation/correct",
            data={
                "activation-correct-activated_on": "2010-06-08",
                "activation-correct-reason": "Typed 06-01 for 06-08; the SIB e-mail says 06-08",
                "activation-correct-version": str(version),
            },
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    with at("2010-09-03T11:00:00-04:00"):
        write(app, lambda: plan.record_activation(ALAMEDA, D("2010-08-25"), source="late report"))


def status(client, fips: str, as_of: str, known_at: str | None = None) -> dict:
    query = {"as_of": as_of} | ({"known_at": known_at} if known_at else {})
    response = client.get(f"/api/v1/jurisdictions/{fips}", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_mistyped_activation_corrected_reads_right_on_both_axes(app, client, make_user):
    _history(app, app.test_client(), make_user("editor"))
    # Today's best knowledge: activated on 2010-06-08, so planned still on 5 June.
    now = status(client, SF, "2010-06-09")
    assert (now["status"], now["activated_on"]) == ("activated", "2010-06-08")
    assert status(client, SF, "2010-06-05")["status"] == "planned"
    # What the records said on 9 June: the mistyped 06-01, so activated already on 5 June.
    then = status(client, SF, "2010-06-05", known_at="2010-06-09")
    assert (then["status"], then["activated_on"]) == ("activated", "2010-06-01")
    assert then["known_at"] == "2010-06-10T03:59:59.999999+00:00"  # end of 9 June, New York
    # A moment before the activation was recorded at all: planned, and past due on 9 June.
    before = status(client, SF, "2010-06-09", known_at="2010-06-08T16:59:00-04:00")
    assert (before["status"], before["past_due"]) == ("planned", True)


def test_a_backdated_entry_leaves_the_past_as_it_was_known(app, client, make_user):
    _history(app, app.test_client(), make_user("editor"))
    # Today's knowledge of 31 August: Alameda had activated on 25 August.
    assert status(client, ALAMEDA, "2010-08-31")["status"] == "activated"
    # As the records stood on 31 August (the list the office published then): planned, past due.
    known = status(client, ALAMEDA, "2010-08-31", known_at="2010-08-31")
    assert (known["status"], known["past_due"]) == ("planned", True)
    # The activated list and every download agree with the API, on both axes.
    listed = client.get("/exports/activated.json?as_of=2010-08-31&state=CA").get_json()
    assert {SF, ALAMEDA} <= {row["fips"] for row in listed["rows"]}
    known_list = client.get(
        "/exports/activated.json?as_of=2010-08-31&state=CA&known_at=2010-08-31"
    ).get_json()
    known_fips = {row["fips"] for row in known_list["rows"]}
    assert SF in known_fips and ALAMEDA not in known_fips
    assert known_list["filters"]["known_at"] == "2010-09-01T03:59:59.999999+00:00"
    page = client.get("/activated?as_of=2010-08-31&state=CA&known_at=2010-08-31")
    text = page.get_data(as_text=True)
    assert "As the records stood at 31 August 2010, 23:59 EDT" in text
    assert "Alameda" not in text and "San Francisco" in text


def test_the_timeline_shows_both_versions_with_the_correction(app, make_user):
    editor, email = app.test_client(), make_user("editor")
    _history(app, editor, email)
    with at("2010-09-04T12:00:00-04:00"):
        assert sign_in(editor, email).status_code == 303
        page = editor.get(f"/jurisdictions/{SF}").get_data(as_text=True)
    assert '<span class="visually-hidden">Superseded: </span><s>' in page
    assert "Typed 06-01 for 06-08; the SIB e-mail says 06-08" in page
    assert page.count("timeline-activated") == 2
    assert "Amended — by editor" in page
    # What was known on 9 June: one activation (the mistyped one), in force, no correction.
    with at("2010-09-04T12:00:00-04:00"):
        known = editor.get(f"/jurisdictions/{SF}?known_at=2010-06-09").get_data(as_text=True)
    assert known.count("timeline-activated") == 1
    assert "2010-06-01" in known and "timeline-superseded" not in known
    assert "As the records stood at 9 June 2010, 23:59 EDT" in known
    assert "Correct this entry" not in known  # corrections are made to the records as they stand


def test_the_correction_is_listed_with_its_reason_for_staff_only(app, client, make_user):
    editor, email = app.test_client(), make_user("editor")
    _history(app, editor, email)
    assert sign_in(editor, email).status_code == 303
    listed = editor.get("/corrections?kind=activation").get_data(as_text=True)
    assert "Activation 2010-06-01 → 2010-06-08 for San Francisco County, CA" in listed
    assert "the SIB e-mail says 06-08" in listed
    csv = editor.get("/corrections/export.csv?kind=activation").get_data(as_text=True)
    assert "the SIB e-mail says 06-08" in csv and csv.startswith("id,recorded_at,")
    anonymous = client.get("/corrections")
    assert anonymous.status_code in (302, 303)
    # The public list of that day never shows the reason.
    public = client.get("/activated?as_of=2010-06-09&state=CA").get_data(as_text=True)
    assert "SIB e-mail" not in public and "Typed" not in public
    assert corrections.activation_line("X", D("2010-06-01"), None).endswith("error for X")
