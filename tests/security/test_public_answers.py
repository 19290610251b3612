"""No public answer carries anything staff typed: markers in every free-text field, searched for
in every answer an anonymous visitor can get.

A marker (ZQX…) is written into every field staff fill in: plan-change reasons and sources
(by hand, by a deferral's resolution, by an import and its file name, by a correction), an
activation's source, correction reasons, every free-text field of a letter (sender, title,
agency, e-mail, address, summary, note, attachment name), of a briefing, of a state's bureau,
an account's name and e-mail, and a release's notes. Then every
public route of the URL map is fetched (every list and format, every release file, the API, the
map and its download) and each answer, unpacked (XLSX parts, PDF text, gzip), must hold none.
A removed jurisdiction's public history must not betray its old date either.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import re
import zipfile

import pytest
import sqlalchemy as sa

from tests.factories import D
from tests.security.test_authorization_matrix import MATRIX
from tests.support.apps import PASSWORD
from tests.support.web import sign_in
from tracker.deferrals.attachments import Upload

MARK = "ZQX"
NONCE = re.compile(r'nonce="[^"]*"')
SCHEDULED, RESCHEDULED, REMOVED, ACTIVATED, LETTER = "48001", "48003", "48005", "48007", "48009"
IMPORTED = "48011"
AS_OF = ("", "2011-06-30", "2010-12-31")


@pytest.fixture()
def marked(app, database):
    """Every staff free-text field holds a marker; returns nothing (the data is the point)."""
    from tracker.audit.services import set_command_actor
    from tracker.auth.services import create_user
    from tracker.briefings.services import log_briefing
    from tracker.deferrals import letters, workflow
    from tracker.extensions import db
    from tracker.plan import services as plan
    from tracker.plan.corrections import correct_activation, correct_plan_change
    from tracker.plan.importing.service import apply_import, preview_import
    from tracker.registry.services import update_state

    def m(field: str) -> str:
        return f"{MARK}{field}"

    with app.app_context():
        author = create_user("zqxauthor@example.gov", m("accountname"), PASSWORD, "admin")
        set_command_actor("test")
        by = {"actor": author}
        plan.schedule(SCHEDULED, D("2011-03-01"), decided_on=D("2010-11-01"),
                      reason=m("reason1"), source=m("source1"), **by)  # fmt: skip
        plan.schedule(RESCHEDULED, D("2011-03-01"), decided_on=D("2010-11-01"),
                      reason=m("reason2"), source=m("source2"), **by)  # fmt: skip
        plan.schedule(RESCHEDULED, D("2011-05-02"), decided_on=D("2010-12-01"),
                      reason=m("reason3"), source=m("source3"), **by)  # fmt: skip
        plan.schedule(REMOVED, D("2011-04-01"), decided_on=D("2010-11-01"),
                      reason=m("reason4"), source=m("source4"), **by)  # fmt: skip
        plan.remove_from_plan(REMOVED, decided_on=D("2010-12-15"),
                              reason=m("reason5"), source=m("source5"), **by)  # fmt: skip
        plan.schedule(ACTIVATED, D("2010-06-01"), decided_on=D("2010-01-04"),
                      reason=m("reason6"), source=m("source6"), **by)  # fmt: skip
        plan.record_activation(ACTIVATED, D("2010-06-01"), source=m("activationsource"), **by)
        plan.schedule(LETTER, D("2011-02-01"), decided_on=D("2010-10-01"),
                      reason=m("reason7"), source=m("source7"), **by)  # fmt: skip
        letter = letters.log_request(
            jurisdiction=LETTER, letter_date=D("2010-11-01"), received_on=D("2010-11-03"),
            channel="letter", sender_name=m("sender"), sender_title=m("title"),
            sender_agency=m("agency"), sender_email="zqxsender@example.gov",
            sender_address=m("senderaddress"), addressed_to="both", kind="defer",
            requested_date=D("2011-09-01"), summary=m("summary"),
            uploads=[Upload(f"{m('filename')}.txt", b"a letter")], **by,
        )  # fmt: skip
        letters.add_note(letter, m("note"), **by)
        workflow.request_meeting(letter, D("2010-11-05"), **by)
        workflow.hold_meeting(letter, D("2010-11-20"), **by)
        workflow.resolve(letter, "date_adjusted", D("2010-11-22"), adjusted_to=D("2011-09-01"),
                        reason=m("resolutionreason"), **by)  # fmt: skip
        log_briefing(held_on=D("2010-10-05"), kind="local_briefing", jurisdiction_fips=[LETTER],
                     presenter=m("presenter"), attendees=m("attendees"),
                     materials_version=m("materials"), notes=m("briefingnotes"), **by)  # fmt: skip
        version = db.session.scalar(sa.text("SELECT version_id FROM state WHERE postal = 'TX'"))
        update_state("TX", expected_version=version, sib_name=m("sibname"),
                     sib_contact=m("sibcontact"), moa_signed_on=D("2009-01-05"),
                     moa_terminated_on=None, receives_results=True, **by)  # fmt: skip
        plan_file = f"state,jurisdiction,scheduled_on,decided_on,reason\nTX,{IMPORTED},2011-07-01,"
        plan_file += f"2010-12-01,{m('importreason')}\n"
        apply_import(preview_import(f"{m('importfile')}.csv", plan_file.encode()))
        # Corrections: an activation's date amended, a plan change's date and source amended.
        versions = "SELECT version_id FROM jurisdiction WHERE fips = :fips"
        version = db.session.scalar(sa.text(versions), {"fips": ACTIVATED})
        correct_activation(ACTIVATED, D("2010-06-02"), reason=m("correctionreason1"),
                           expected_version=version, **by)  # fmt: skip
        change = db.session.scalar(
            sa.text("SELECT max(id) FROM plan_change WHERE jurisdiction_fips = :fips"),
            {"fips": SCHEDULED},
        )
        version = db.session.scalar(sa.text(versions), {"fips": SCHEDULED})
        correct_plan_change(change, scheduled_on=D("2011-03-08"), decided_on=D("2010-11-01"),
                            reason=m("correctionreason2"), source=m("correctedsource"),
                            expected_version=version, **by)  # fmt: skip
        db.session.commit()
        db.session.remove()
    # Published through the web, so the release names its publisher.
    publisher = app.test_client()
    assert sign_in(publisher, "zqxauthor@example.gov").status_code == 303
    published = publisher.post("/releases/new", data={"as_of": "2011-06-30", "notes": m("notes")})
    assert published.status_code == 303


def public_urls(app) -> list[str]:
    """Every GET route anyone may open, with every value of its fixed choices, at several dates."""
    urls = []
    for rule in app.url_map.iter_rules():
        if MATRIX[rule.endpoint].get("GET", "staff") is not None:
            continue
        if rule.endpoint in ("static", "assets.vendor", "maps.shapes"):
            continue  # files shipped with the app, the same for everyone
        choices = []
        for name in rule.arguments:
            converter = rule._converters[name]
            if type(converter).__name__ == "AnyConverter":
                choices.append([(name, item) for item in sorted(converter.items)])
            elif name == "fips":
                choices.append([(name, f) for f in (SCHEDULED, RESCHEDULED, REMOVED, ACTIVATED,
                                                     LETTER, IMPORTED)])  # fmt: skip
            else:
                choices.append([(name, 1)])
        for values in itertools.product(*choices):
            with app.test_request_context():
                path = rule.build(dict(values), append_unknown=False)[1]
            for as_of, state in itertools.product(AS_OF, ("", "TX")):
                query = "&".join(p for p in (f"as_of={as_of}" * bool(as_of),
                                             f"state={state}" * bool(state)) if p)  # fmt: skip
                urls.append(f"{path}?{query}" if query else path)
    return urls


def readable(response) -> str:
    """The answer's text as a person could read it: unzipped, unpacked, PDF text extracted."""
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return " ".join(package.read(name).decode("utf-8", "replace")
                            for name in package.namelist())  # fmt: skip
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        return text + " " + str(reader.metadata)
    return data.decode("utf-8", "replace")


def test_no_public_answer_carries_text_typed_by_staff(app, database, marked, client, signed_in):
    # The markers are really there for staff (else this test would prove nothing).
    staff = signed_in("viewer")
    staff_view = staff.get(f"/api/v1/jurisdictions/{RESCHEDULED}").get_data(as_text=True)
    assert f"{MARK}reason3" in staff_view and "zqxauthor@example.gov" in staff_view
    release = staff.get("/releases/1").get_data(as_text=True)
    assert f"{MARK}notes" in release and f"{MARK}accountname" in release
    staff.post("/logout")

    urls = public_urls(app)
    assert len(urls) > 150
    leaks, answered = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        answered += 1
        # A script's nonce is random base64: it holds "zqx" in about one page in 1,500.
        text = NONCE.sub("", readable(response))
        if MARK.lower() in text.lower():
            at = text.lower().index(MARK.lower())
            leaks.append(f"{url}: …{text[max(0, at - 60) : at + 40]}…")
    assert answered > 150
    assert not leaks, "\n".join(leaks)


def test_the_public_plan_history_shows_dates_in_force_by_category(app, database, marked, client):
    def history(fips: str, as_of: str = "") -> list[tuple]:
        body = client.get(f"/api/v1/jurisdictions/{fips}?as_of={as_of}").get_json()
        return [(e["decided_on"], e["scheduled_on"], e["reason_category"])
                for e in body["plan_history"]]  # fmt: skip

    assert history(RESCHEDULED) == [
        ("2010-11-01", "2011-03-01", "scheduled"),
        ("2010-12-01", "2011-05-02", "rescheduled"),
    ]
    # Removed: no trail at all, though it was scheduled before (and still is, before removal).
    assert history(REMOVED) == []
    assert history(REMOVED, "2010-12-14") == [("2010-11-01", "2011-04-01", "scheduled")]
    # Adjusted by a deferral's resolution: a reschedule like any other, no letter reference.
    assert history(LETTER) == [
        ("2010-10-01", "2011-02-01", "scheduled"),
        ("2010-11-22", "2011-09-01", "rescheduled"),
    ]
    body = client.get(f"/api/v1/jurisdictions/{LETTER}").get_json()
    assert set(body["plan_history"][0]) == {
        "kind", "scheduled_on", "decided_on", "reason_category", "is_demo"
    }  # fmt: skip


def test_a_county_scheduled_again_after_a_removal_starts_a_fresh_public_history(
    app, database, client
):
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db
    from tracker.plan import services as plan

    with app.app_context():
        set_command_actor("test")
        plan.schedule(REMOVED, D("2011-04-01"), decided_on=D("2010-11-01"), reason="r", source="s")
        plan.remove_from_plan(REMOVED, decided_on=D("2010-12-15"), reason="r", source="s")
        plan.schedule(REMOVED, D("2011-08-01"), decided_on=D("2011-02-01"), reason="r", source="s")
        plan.schedule(REMOVED, D("2011-08-01"), decided_on=D("2011-03-01"), reason="r", source="s")
        db.session.commit()
    body = client.get(f"/api/v1/jurisdictions/{REMOVED}?as_of={dt.date(2011, 6, 1)}").get_json()
    assert [(e["scheduled_on"], e["reason_category"]) for e in body["plan_history"]] == [
        ("2011-08-01", "scheduled")  # the old date is gone; the repeated date adds nothing
    ]
