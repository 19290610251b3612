"""The import rules: new / changed / unchanged / error against the plan in force, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, latest_plan_change, schedule
from tests.plan_import.files import NOW, csv_bytes, database_counts
from tracker.audit.models import AuditEvent
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan import services as plan
from tracker.plan.importing.service import Outcome, apply_import, preview_import
from tracker.plan.models import PlanChange
from tracker.status.rule import Status, status_as_of

pytestmark = pytest.mark.today(NOW)

SUFFOLK = "25025"  # activated 2008-11-05 (seeded from the program's published list)


@pytest.fixture()
def ready(app_context):
    """Anderson County, TX unplanned; Andrews County, TX planned for 2011-08-01."""
    schedule(OTHER_COUNTY, "2011-08-01", "2011-01-10")


def preview(rows, name="plan.csv"):
    return preview_import(name, csv_bytes(rows))


def outcomes(result):
    return [(row.number, row.outcome) for row in result.rows]


def test_rows_are_new_changed_or_unchanged_and_a_second_import_changes_nothing(ready):
    rows = [
        ("TX", "Anderson County", "9/1/2011", "", "", "Wave 12"),
        ("TX", "Andrews", "2011-10-01", "", "2011-05-20", ""),
        ("MA", "Suffolk County", "", "11/5/2008", "", ""),
        ("TX", "48005", "", "May 2, 2011", "", ""),
    ]
    first = preview(rows)
    assert outcomes(first) == [
        (2, Outcome.NEW),
        (3, Outcome.CHANGED),
        (4, Outcome.UNCHANGED),
        (5, Outcome.NEW),
    ]
    assert first.summary() == "4 rows: 2 new, 1 changed, 1 unchanged, 0 errors"
    assert [(c.field, c.before, c.after) for c in first.rows[1].changes] == [
        ("scheduled_on", D("2011-08-01"), D("2011-10-01"))
    ]
    assert [(c.field, c.before, c.after) for c in first.rows[3].changes] == [
        ("activated_on", None, D("2011-05-02"))
    ]

    result = apply_import(first)
    assert (result.plan_changes, result.activations) == (2, 1)
    anderson = latest_plan_change(COUNTY)
    assert (anderson.scheduled_on, anderson.decided_on, anderson.reason, anderson.source) == (
        D("2011-09-01"),
        D("2011-06-01"),
        "Wave 12",
        "import: plan.csv",
    )
    andrews = latest_plan_change(OTHER_COUNTY)
    assert (andrews.decided_on, andrews.reason) == (D("2011-05-20"), "Imported from plan.csv")
    statuses = {row.fips: row.status for row in status_as_of(D("2011-06-01"))}
    assert statuses[COUNTY] is Status.PLANNED
    assert statuses["48005"] is Status.ACTIVATED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.import"))
    assert event.entity_id == "plan.csv"
    assert event.after["new"] == 2 and event.after["plan_changes"] == 2

    before = database_counts()
    again = preview(rows)
    assert again.summary() == "4 rows: 0 new, 0 changed, 4 unchanged, 0 errors"
    apply_import(again)
    assert database_counts() == before


def test_a_removed_jurisdiction_scheduled_again_is_changed(ready):
    plan.remove_from_plan(OTHER_COUNTY, decided_on=D("2011-02-01"), reason="r", source="test")
    result = preview([("TX", "Andrews", "2011-08-01", "", "", "")])
    assert result.rows[0].outcome is Outcome.CHANGED
    assert result.rows[0].changes[0].before is None


def test_activation_in_the_file_for_an_activated_jurisdiction(ready):
    same = preview([("MA", "Suffolk", "", "2008-11-05", "", "")])
    assert same.rows[0].outcome is Outcome.UNCHANGED
    different = preview([("MA", "Suffolk", "", "2008-11-06", "", "")])
    assert different.rows[0].outcome is Outcome.ERROR
    assert different.error_lines() == [
        "row 2: activated_on: Suffolk County, MA already activated on 2008-11-05; the file says "
        "2008-11-06. An import never changes a recorded activation: if it is wrong, correct it "
        "with a reason on /jurisdictions/25025 (“Correct this entry” on its timeline)."
    ]


def test_the_plan_of_an_activated_jurisdiction_cannot_change(ready):
    result = preview([("MA", "Suffolk", "2011-09-01", "2008-11-05", "", "")])
    assert result.rows[0].outcome is Outcome.ERROR
    assert result.rows[0].errors[0].field == "scheduled_on"
    assert "can no longer change" in result.rows[0].errors[0].message


def test_a_decision_older_than_the_plan_in_force_is_refused(ready):
    result = preview([("TX", "Andrews", "2011-12-01", "", "2010-12-01", "")])
    assert result.rows[0].errors[0].field == "decided_on"
    assert "decided on 2011-01-10" in result.rows[0].errors[0].message


def test_future_decisions_and_activations_are_refused(ready):
    result = preview(
        [
            ("TX", "Anderson", "2011-09-01", "", "2011-06-02", ""),
            ("TX", "48005", "", "2011-06-02", "", ""),
            ("TX", "48007", "2011-06-02", "", "", ""),
        ]
    )
    assert [row.outcome for row in result.rows] == [Outcome.ERROR, Outcome.ERROR, Outcome.NEW]
    assert result.rows[0].errors[0].field == "decided_on"
    assert result.rows[1].errors[0].field == "activated_on"


def test_every_problem_of_a_row_is_reported(ready):
    result = preview(
        [
            ("TX", "Gotham", "2/30/2010", "soon", "", ""),
            ("TX", "Anderson", "", "", "", ""),
            ("MD", "Baltimore", "2011-09-01", "", "", ""),
        ]
    )
    assert result.summary() == "3 rows: 0 new, 0 changed, 0 unchanged, 3 errors"
    lines = result.error_lines()
    assert lines[0].startswith("row 2: jurisdiction: No jurisdiction in Texas is called 'Gotham'")
    assert (
        lines[1]
        == "row 2: scheduled_on: '2/30/2010' is not a real date: February 2010 has 28 days."
    )
    assert lines[2].startswith("row 2: activated_on: 'soon' is not a date.")
    assert lines[3] == "row 3: scheduled_on: give scheduled_on, activated_on or both."
    assert lines[4].startswith("row 4: jurisdiction: 'Baltimore' is ambiguous in Maryland")
    assert "Baltimore County (24005); Baltimore city (24510)" in lines[4]


def test_duplicate_rows_name_both_rows(ready):
    result = preview(
        [
            ("TX", "Anderson", "2011-09-01", "", "", ""),
            ("TX", "Andrews", "2011-09-01", "", "", ""),
            ("Texas", "48001", "2011-10-01", "", "", ""),
        ]
    )
    assert result.error_lines() == [
        "row 4: jurisdiction: Anderson County, TX is also on row 2; give each jurisdiction once "
        "per file."
    ]
    with pytest.raises(DomainError, match="nothing was imported"):
        apply_import(result)


def test_a_refused_import_writes_nothing(ready):
    before = database_counts()
    result = preview(
        [("TX", "Anderson", "2011-09-01", "", "", ""), ("TX", "Nowhere", "1/1/11", "", "", "")]
    )
    assert result.rows[0].outcome is Outcome.NEW
    with pytest.raises(DomainError):
        apply_import(result)
    assert database_counts() == before


def test_rows_the_services_refuse_are_caught_in_the_preview(ready):
    # The preview mirrors the plan services' own rules; applying a clean preview never fails.
    activate(COUNTY, "2011-05-01")
    result = preview([("TX", "Anderson", "2011-09-01", "2011-05-01", "2011-05-01", "")])
    assert result.rows[0].outcome is Outcome.ERROR
    earlier = preview([("TX", "Anderson", "2011-09-01", "2011-05-01", "2011-04-30", "")])
    assert earlier.rows[0].outcome is Outcome.CHANGED
    apply_import(earlier)
    assert db.session.scalar(
        select(PlanChange.scheduled_on).where(PlanChange.jurisdiction_fips == COUNTY)
    ) == D("2011-09-01")


def test_rows_for_review_put_errors_then_changes_first(ready):
    result = preview(
        [
            ("MA", "Suffolk", "", "2008-11-05", "", ""),
            ("TX", "Anderson", "2011-09-01", "", "", ""),
            ("TX", "Andrews", "2011-10-01", "", "", ""),
            ("TX", "Gotham", "2011-10-01", "", "", ""),
        ]
    )
    assert [(r.number, r.outcome) for r in result.rows_for_review()] == [
        (5, Outcome.ERROR),
        (4, Outcome.CHANGED),
        (3, Outcome.NEW),
        (2, Outcome.UNCHANGED),
    ]
