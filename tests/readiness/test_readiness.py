"""Readiness of upcoming activations, and the data-quality report, on frozen dates."""

from __future__ import annotations

import pytest

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, briefing, deferral_request, schedule
from tracker.deferrals.models import Resolution
from tracker.readiness.services import (
    REASON_NO_LOCAL,
    REASON_NO_NOTICE,
    REASON_NO_SIB,
    readiness_report,
    unbriefed_activations,
)
from tracker.status.rule import Status

pytestmark = pytest.mark.today(D("2010-12-31"))

THIRD = "48005"  # Angelina County, TX
OK_COUNTY = "40001"


def _by_fips(report):
    return {row.jurisdiction.fips: row for row in report.rows}


def test_window_covers_the_next_n_days_and_only_upcoming_activations(app_context):
    schedule(COUNTY, "2010-07-10", "2010-05-01")
    schedule(OTHER_COUNTY, "2010-07-31", "2010-05-01")  # day 30: included
    schedule(THIRD, "2010-08-01", "2010-05-01")  # day 31: outside
    schedule(OK_COUNTY, "2010-06-25", "2010-05-01")  # past due on 1 July: not upcoming
    report = readiness_report(D("2010-07-01"), days=30)
    assert [row.jurisdiction.fips for row in report.rows] == [COUNTY, OTHER_COUNTY]
    assert report.until == D("2010-07-31")
    assert [r.jurisdiction.fips for r in readiness_report(D("2010-07-01"), days=31).rows] == [
        COUNTY,
        OTHER_COUNTY,
        THIRD,
    ]


def test_the_default_window_comes_from_the_setting(app_context, app):
    schedule(COUNTY, "2010-07-31", "2010-05-01")
    schedule(OTHER_COUNTY, "2010-08-01", "2010-05-01")
    assert app.config["TRACKER_READINESS_DAYS"] == 30
    report = readiness_report(D("2010-07-01"))
    assert report.days == 30 and [r.jurisdiction.fips for r in report.rows] == [COUNTY]


def test_reasons_accumulate_until_everything_is_done(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert not row.ready
    assert row.reasons == (REASON_NO_SIB, REASON_NO_LOCAL, REASON_NO_NOTICE)

    briefing("2010-06-01", "sib_meeting", states=["TX"])
    briefing("2010-06-10", jurisdictions=[COUNTY])
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert row.reasons == (REASON_NO_NOTICE,)
    assert (row.sib_meeting_on, row.local_briefing_on) == (D("2010-06-01"), D("2010-06-10"))

    # Advance notice to the whole state counts for each of its jurisdictions.
    briefing("2010-06-20", "advance_notice", states=["TX"])
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert row.ready and row.reasons == ()
    assert row.advance_notice_on == D("2010-06-20")

    # As of an earlier date, the later briefings had not happened yet.
    early = _by_fips(readiness_report(D("2010-06-15"), days=60))[COUNTY]
    assert early.reasons == (REASON_NO_NOTICE,)
    earliest = _by_fips(readiness_report(D("2010-06-05"), days=60))[COUNTY]
    assert earliest.reasons == (REASON_NO_LOCAL, REASON_NO_NOTICE)


def test_a_sib_meeting_naming_one_jurisdiction_counts_for_its_state(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    briefing("2010-06-01", "sib_meeting", jurisdictions=[OTHER_COUNTY])
    briefing("2010-06-01", "sib_meeting", states=["OK"])
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert REASON_NO_SIB not in row.reasons
    assert row.sib_meeting_on == D("2010-06-01")


def test_a_local_briefing_elsewhere_does_not_count(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    briefing("2010-06-10", jurisdictions=[OTHER_COUNTY])
    briefing("2010-06-10", "advance_notice", jurisdictions=[OTHER_COUNTY])
    briefing("2010-06-10", states=["TX"])  # a local briefing "of the state" names no county
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert REASON_NO_LOCAL in row.reasons and REASON_NO_NOTICE in row.reasons


def test_open_letter_is_a_reason_until_it_is_resolved(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    briefing("2010-06-01", "sib_meeting", states=["TX"])
    briefing("2010-06-10", jurisdictions=[COUNTY])
    briefing("2010-06-10", "advance_notice", jurisdictions=[COUNTY])
    deferral_request(
        COUNTY,
        "2010-06-15",
        resolved_on="2010-07-05",
        resolution=Resolution.PROCEEDS_AS_SCHEDULED,
    )
    during = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert during.jurisdiction.status is Status.DEFERRAL_PENDING
    assert during.reasons == ("A deferral letter is open",) and during.open_letters == 1
    after = _by_fips(readiness_report(D("2010-07-06")))[COUNTY]
    assert after.ready
    before = _by_fips(readiness_report(D("2010-06-14"), days=60))[COUNTY]
    assert before.ready


def test_two_open_letters_are_counted(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    deferral_request(COUNTY, "2010-06-15")
    deferral_request(COUNTY, "2010-06-16", sender_name="County Judge")
    row = _by_fips(readiness_report(D("2010-07-01")))[COUNTY]
    assert "2 deferral letters are open" in row.reasons


def test_activated_and_removed_jurisdictions_are_not_listed(app_context):
    schedule(COUNTY, "2010-07-20", "2010-05-01")
    activate(COUNTY, "2010-06-30")
    schedule(OTHER_COUNTY, "2010-07-20", "2010-05-01")
    from tests.factories import remove

    remove(OTHER_COUNTY, "2010-06-01")
    assert readiness_report(D("2010-07-01")).rows == ()


def test_data_quality_lists_activations_without_a_prior_briefing_or_notice(app_context):
    for fips in (COUNTY, OTHER_COUNTY, THIRD, OK_COUNTY):
        schedule(fips, "2010-07-20", "2010-05-01")
        activate(fips, "2010-07-20")
    briefing("2010-06-10", jurisdictions=[COUNTY])  # briefed: fine
    briefing("2010-06-10", "advance_notice", states=["OK"])  # notice via its state: fine
    briefing("2010-08-15", jurisdictions=[OTHER_COUNTY])  # only after it activated
    briefing("2010-06-10", "sib_meeting", jurisdictions=[THIRD])  # a SIB meeting is not enough

    found = {item.jurisdiction.fips: item for item in unbriefed_activations(D("2010-09-01"))}
    assert COUNTY not in found and OK_COUNTY not in found
    assert found[OTHER_COUNTY].first_briefed_on == D("2010-08-15")
    assert found[THIRD].first_briefed_on is None
    # Real activations in the registry without any briefing are reported too.
    assert "48453" in found  # Travis County, activated 2009-06-16

    # Before the activations, none of these is listed; limited to one state.
    earlier = {item.jurisdiction.fips for item in unbriefed_activations(D("2010-07-19"))}
    assert not earlier & {COUNTY, OTHER_COUNTY, THIRD, OK_COUNTY}
    assert {
        i.jurisdiction.fips for i in unbriefed_activations(D("2010-09-01"), state="OK")
    } == set()
