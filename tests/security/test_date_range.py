"""One range of dates for the whole domain (tracker.dates: 2000-01-01 … 2100-12-31), everywhere.

Every date field of every form on the staff pages refuses dates outside it with a message and
writes nothing; services refuse to flush one; the database's CHECK constraints refuse one written
past the application; and the dashboard stays a normal page with plans at the range's ends.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import time_machine

from tests.factories import COUNTY, D, briefing, deferral_request
from tests.support.html_forms import post_forms_on
from tracker.dates import DOMAIN_FIRST, DOMAIN_LAST, check_in_range, parse_iso_date
from tracker.errors import DomainError

OUTSIDE = ("1999-12-31", "2101-01-01", "9999-12-31", "0001-01-01")
REFUSAL = "outside the dates the tracker keeps (2000-01-01 to 2100-12-31)"
NOW = dt.datetime(2011, 3, 1, 12)


def test_the_range_is_defined_once_and_parameters_obey_it():
    assert dt.date(2000, 1, 1) == DOMAIN_FIRST
    assert dt.date(2100, 12, 31) == DOMAIN_LAST
    assert check_in_range(DOMAIN_FIRST, "x") == DOMAIN_FIRST
    assert parse_iso_date("2100-12-31", "as_of") == DOMAIN_LAST
    for value in OUTSIDE:
        with pytest.raises(DomainError) as info:
            parse_iso_date(value, "as_of")
        assert info.value.field == "as_of" and REFUSAL in info.value.message


@pytest.fixture()
def records(app, database):
    """A letter just received, a letter whose meeting was held, a briefing, a plan change and
    an activation."""
    from tracker.audit.services import set_command_actor
    from tracker.deferrals import workflow
    from tracker.extensions import db
    from tracker.plan import services as plan

    with app.app_context(), time_machine.travel(NOW, tick=False):
        set_command_actor("test")
        received = deferral_request(COUNTY, "2011-02-01")
        held = deferral_request("48003", "2011-02-01")
        workflow.request_meeting(held, D("2011-02-03"))
        workflow.hold_meeting(held, D("2011-02-10"))
        briefed = briefing("2011-01-20", jurisdictions=[COUNTY])
        # A plan change and an activation, for the forms that correct them.
        plan.schedule("48005", D("2011-09-01"), decided_on=D("2011-01-03"), reason="r", source="t")
        plan.record_activation("48007", D("2010-06-01"), source="test")
        db.session.commit()
        return {"received": received.id, "held": held.id, "briefing": briefed.id}


def audit_count(app) -> int:
    from tracker.extensions import db

    with app.app_context():
        return db.session.scalar(sa.text("SELECT count(*) FROM audit_event"))


def test_every_date_field_of_every_form_refuses_dates_outside_the_range(app, records, signed_in):
    pages = [
        f"/jurisdictions/{COUNTY}",
        "/jurisdictions/48005",
        "/jurisdictions/48007",
        "/jurisdictions?state=TX",
        "/deferrals/new",
        f"/deferrals/{records['received']}",
        f"/deferrals/{records['held']}",
        f"/deferrals/{records['received']}/correspondence/acknowledgement",
        "/briefings/new",
        f"/briefings/{records['briefing']}/edit",
        "/states/TX/edit",
        "/releases/new",
    ]
    tried: list[str] = []
    with time_machine.travel(NOW, tick=False):
        admin = signed_in("admin")
        before = audit_count(app)
        for page in pages:
            html = admin.get(page).get_data(as_text=True)
            assert "/login" not in admin.get(page).headers.get("Location", ""), page
            for form in post_forms_on(html, page):
                for name in form.names_of_kind("date"):
                    for value in OUTSIDE:
                        response = admin.post(form.action, data={**form.fields, name: value})
                        body = response.get_data(as_text=True)
                        assert response.status_code == 400, (form.action, name, value)
                        assert REFUSAL in body, (form.action, name, value)
                    tried.append(f"{form.action} {name}")
    assert audit_count(app) == before
    # The forms really were found: each date field the product has.
    expected = {
        "reschedule-scheduled_on", "reschedule-decided_on", "remove-decided_on",
        "activate-activated_on", "scheduled_on", "decided_on", "letter_date", "received_on",
        "requested_date", "request_meeting-on", "withdraw-on", "resolve-on", "resolve-adjusted_to",
        "held_on", "moa_signed_on", "moa_terminated_on", "as_of", "sent_on",
        "activation-correct-activated_on",
    }  # fmt: skip
    assert expected <= {entry.split()[-1] for entry in tried}, tried


def test_services_refuse_to_write_a_date_outside_the_range(app_context):
    from tracker.plan import services as plan

    with pytest.raises(DomainError) as info:
        plan.schedule(COUNTY, D("9999-12-31"), decided_on=D("2010-01-04"), reason="r", source="t")
    assert info.value.field == "scheduled_on" and REFUSAL in info.value.message
    with pytest.raises(DomainError, match=REFUSAL.replace("(", r"\(").replace(")", r"\)")):
        plan.record_activation(COUNTY, D("1999-06-30"), source="test")


LETTER_STEPS = ("meeting_requested_on", "meeting_held_on", "resolved_on")


def _letter_insert(column: str) -> str:
    """A resolved letter with every date 2000-01-01 but `column` (:day); the steps after a date
    probed above the range are left out, so only the range is broken."""
    later = LETTER_STEPS[LETTER_STEPS.index(column) + 1 :] if column in LETTER_STEPS else ()
    if column == "received_on":
        later = LETTER_STEPS
    values = {
        name: ":day" if name == column else ("NULL" if name in later else "'2000-01-01'")
        for name in ("letter_date", "received_on", "requested_date", *LETTER_STEPS, "adjusted_to")
    }
    closed = values["resolved_on"] != "NULL"
    status, resolution = ("'resolved'", "'date_adjusted'") if closed else ("'received'", "NULL")
    return (
        "INSERT INTO deferral_request (jurisdiction_fips, letter_date, received_on, channel, "  # noqa: S608
        "sender_name, addressed_to, kind, requested_date, status, meeting_requested_on, "
        "meeting_held_on, resolution, resolved_on, adjusted_to, is_demo, version_id, created_at, "
        f"updated_at, recorded_at) VALUES ('48001', {values['letter_date']}, "
        f"{values['received_on']}, 'email', 's', 'both', 'defer', {values['requested_date']}, "
        f"{status}, {values['meeting_requested_on']}, {values['meeting_held_on']}, {resolution}, "
        f"{values['resolved_on']}, {values['adjusted_to']}, false, 1, CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )


def _draft_insert(column: str) -> str:
    """An e-mail draft whose `column` is :day (its message id, unique, is :tag)."""
    received = ":day" if column == "received_on" else "'2000-01-01'"
    guessed = ":day" if column == "guessed_date" else "NULL"
    return (
        "INSERT INTO intake_draft (message_id, status, source, subject, from_address, sent_at, "  # noqa: S608
        "received_on, guessed_date, body_text, attachment_count, eml, eml_sha256, eml_size, "
        f"taken_in_at, version_id) VALUES (:tag, 'waiting', 's', 's', 'a', CURRENT_TIMESTAMP, "
        f"{received}, {guessed}, 'b', 0, 'x', 'h', 1, CURRENT_TIMESTAMP, 1)"
    )


# (table, date column, a statement writing a row whose date column is :day)
RAW_INSERTS = [
    ("plan_change", "scheduled_on",
     "INSERT INTO plan_change (jurisdiction_fips, kind, scheduled_on, decided_on, reason, source, "
     "is_demo, recorded_at) VALUES ('48001', 'scheduled', :day, '2010-01-04', 'r', 's', false, "
     "CURRENT_TIMESTAMP)"),
    ("plan_change", "decided_on",
     "INSERT INTO plan_change (jurisdiction_fips, kind, scheduled_on, decided_on, reason, source, "
     "is_demo, recorded_at) VALUES ('48001', 'removed', NULL, :day, 'r', 's', false, "
     "CURRENT_TIMESTAMP)"),
    ("activation", "activated_on",
     "INSERT INTO activation (jurisdiction_fips, activated_on, source, is_demo, recorded_at) "
     "VALUES ('48001', :day, 's', false, CURRENT_TIMESTAMP)"),
    ("briefing", "held_on",
     "INSERT INTO briefing (held_on, kind, is_demo, version_id, created_at, updated_at, "
     "recorded_at) VALUES (:day, 'other', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
     "CURRENT_TIMESTAMP)"),
    ("state", "moa_signed_on", "UPDATE state SET moa_signed_on = :day WHERE postal = 'TX'"),
    ("state", "moa_terminated_on",
     "UPDATE state SET moa_signed_on = '2000-01-01', moa_terminated_on = :day WHERE postal = 'TX'"),
    ("release", "as_of",
     "INSERT INTO release (number, as_of, published_at, known_at, row_count, changes) "
     "VALUES (1, :day, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, '{}')"),
    ("export_record", "as_of",
     "INSERT INTO export_record (occurred_at, list_name, format, as_of, filters, row_count, "
     "channel) VALUES (CURRENT_TIMESTAMP, 'activated', 'csv', :day, '{}', 0, 'web')"),
    ("correspondence", "sent_on",
     "INSERT INTO correspondence (deferral_request_id, kind, sent_by, reference, sender, "
     "to_addresses, subject, body, pdf, pdf_sha256, pdf_size, sent_on, recorded_at) VALUES "
     "((SELECT max(id) FROM deferral_request), 'acknowledgement', 'post', 'r', 's', 't', 's', "
     "'b', 'x', 'h', 1, :day, CURRENT_TIMESTAMP)"),
    ("digest_delivery", "day",
     "INSERT INTO digest_delivery (user_id, day, message_id, item_count, sent_at) VALUES "
     "((SELECT max(id) FROM user_account), :day, 'm', 0, CURRENT_TIMESTAMP)"),
    ("monthly_statistics", "month",
     "INSERT INTO monthly_statistics (jurisdiction_fips, month, submissions, matches, level1, "
     "level2, level3, non_criminal, removed, source, is_demo, recorded_at) VALUES ('48001', "
     ":day, 0, 0, 0, 0, 0, 0, 0, 's', false, CURRENT_TIMESTAMP)"),
    ("calendar_day", "day",
     "INSERT INTO calendar_day (day, is_business_day, business_day_number) "
     "VALUES (:day, false, 0)"),
] + [
    ("intake_draft", column, _draft_insert(column))
    for column in ("received_on", "guessed_date")
] + [
    ("deferral_request", column, _letter_insert(column))
    for column in ("letter_date", "received_on", "requested_date", "meeting_requested_on",
                   "meeting_held_on", "resolved_on", "adjusted_to")
]  # fmt: skip
# Rows the statements above refer to: an account for a digest, a letter for its correspondence.
PREREQUISITES = {
    "digest_delivery": "INSERT INTO user_account (email, name, password_hash, role, active, "
    "version_id, created_at, updated_at) VALUES ('probe@example.gov', 'Probe', 'x', 'viewer', "
    "true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "correspondence": _letter_insert("letter_date"),
    # The calendar already holds every day of the range: the probe's day is taken out first.
    "calendar_day": "DELETE FROM calendar_day WHERE day = :day",
}


def _write_a_letter() -> None:
    deferral_request(COUNTY, "2011-02-01")


def _write_a_briefing() -> None:
    briefing("2011-01-20", jurisdictions=[COUNTY])


def _edit_a_state() -> None:
    from tracker.extensions import db
    from tracker.registry.models import State

    db.session.get(State, "48").sib_name = "Probe bureau"
    db.session.flush()


# Kept versions are written by the ORM's flush hook when their record is: a record written so.
VERSIONED = {
    "deferral_request_version": _write_a_letter,
    "briefing_version": _write_a_briefing,
    "state_version": _edit_a_state,
}
VERSION_PROBES = [
    (table, column,
     f"UPDATE {table} SET {column} = :day "  # noqa: S608
     f"WHERE version_no = (SELECT max(version_no) FROM {table}) AND :tag = :tag")
    for table, columns in (
        ("deferral_request_version", ("letter_date", "received_on", "requested_date",
                                      "meeting_requested_on", "meeting_held_on", "resolved_on",
                                      "adjusted_to")),
        ("briefing_version", ("held_on",)),
        ("state_version", ("moa_signed_on", "moa_terminated_on")),
    )
    for column in columns
]  # fmt: skip
RAW_INSERTS += VERSION_PROBES


# Columns whose rows require them to come first (a letter's date before its receipt, an MOA's
# signing before its end): probed below the range; every other one above it, so that the date
# range alone is what the row breaks.
PROBED_BELOW = {"letter_date", "moa_signed_on"}


@pytest.mark.parametrize(("table", "column", "statement"), RAW_INSERTS, ids=lambda v: str(v)[:30])
def test_the_database_refuses_a_date_outside_the_range(app, database, table, column, statement):
    """Past the application (raw SQL), a CHECK constraint on each date column still refuses."""
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    outside = "1999-12-31" if column in PROBED_BELOW else "2101-01-01"
    with app.app_context():
        set_command_actor("test")
        if table in PREREQUISITES:
            db.session.execute(sa.text(PREREQUISITES[table]), {"day": "2000-01-01"})
        if table in VERSIONED:
            VERSIONED[table]()
        with db.session.begin_nested():
            db.session.execute(sa.text(statement), {"day": "2000-01-01", "tag": "in"})
        with pytest.raises(sa.exc.IntegrityError) as info, db.session.begin_nested():
            db.session.execute(sa.text(statement), {"day": outside, "tag": "out"})
        assert f"ck_{table}_{column}_in_range" in str(info.value)
        db.session.rollback()


def test_every_date_column_has_its_range_constraint_and_a_probe_above():
    from tracker.db import Base

    columns = {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, sa.Date) and not isinstance(column.type, sa.DateTime)
    }
    assert columns == {(t, c) for t, c, _s in RAW_INSERTS}
    for table_name, column in columns:
        names = {c.name for c in Base.metadata.tables[table_name].constraints}
        assert f"ck_{table_name}_{column}_in_range" in names


def test_the_dashboard_stays_a_normal_page_with_plans_at_the_ends_of_the_range(
    app, database, signed_in, cli_runner
):
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db
    from tracker.plan import services as plan

    with app.app_context():
        set_command_actor("test")
        plan.schedule(COUNTY, DOMAIN_LAST, decided_on=D("2010-01-04"), reason="r", source="t")
        plan.schedule("48003", DOMAIN_FIRST, decided_on=D("2000-01-01"), reason="r", source="t")
        db.session.commit()
    viewer = signed_in("viewer")
    # Until the business-day calendar reaches the range's last day, the letter clocks cannot
    # count there: a refusal that names the fix, not a server error.
    beyond = viewer.get(f"/dashboard?as_of={DOMAIN_LAST.isoformat()}")
    assert beyond.status_code == 400
    assert "tracker calendar extend --through 2100" in beyond.get_data(as_text=True)
    extended = cli_runner.invoke(args=["calendar", "extend", "--through", str(DOMAIN_LAST.year)])
    assert extended.exit_code == 0, extended.output
    for as_of in ("", "2000-01-01", "2100-12-31", "2010-06-30"):
        response = viewer.get(f"/dashboard?as_of={as_of}")
        assert response.status_code == 200, as_of
        # A century of months, not millennia: the page stays small.
        assert len(response.data) < 1_500_000, (as_of, len(response.data))
    for as_of in OUTSIDE:
        response = viewer.get(f"/dashboard?as_of={as_of}")
        assert response.status_code == 400 and REFUSAL in response.get_data(as_text=True)


def test_an_editor_cannot_schedule_9999_12_31_and_the_dashboard_keeps_working(app, signed_in):
    editor = signed_in("editor")
    page = editor.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    form = next(f for f in post_forms_on(page, "/") if f.action.endswith("/reschedule"))
    response = editor.post(
        form.action,
        data={
            **form.fields,
            "reschedule-scheduled_on": "9999-12-31",
            "reschedule-reason": "probe",
        },
    )
    assert response.status_code == 400
    assert "New scheduled date 9999-12-31 is " + REFUSAL in response.get_data(as_text=True)
    assert editor.get("/dashboard").status_code == 200
