"""Logging briefings: coverage rules, state expansion, edits, filters and the reach figures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import COUNTY, OTHER_COUNTY, D, briefing
from tracker.audit.models import AuditEvent
from tracker.briefings import services
from tracker.briefings.models import Briefing, BriefingKind
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.registry.lookup import parse_jurisdiction_lines

TODAY = "2010-08-31"
pytestmark = pytest.mark.today(D(TODAY))
PR_MUNICIPIO = "72001"  # Adjuntas Municipio, PR
OK_COUNTY = "40001"  # Adair County, OK


def _events(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_logging_records_coverage_and_audits(app_context):
    logged = briefing("2010-06-01", "sib_meeting", jurisdictions=[COUNTY], states=["TX", "40"])
    assert logged.id is not None and logged.version_id == 1
    assert [j.fips for j in logged.jurisdictions] == [COUNTY]
    assert sorted(s.postal for s in logged.states) == ["OK", "TX"]
    (event,) = _events("briefing.create")
    assert event.entity_id == str(logged.id)
    assert event.after["jurisdictions"] == [COUNTY]
    assert event.after["states"] == ["OK", "TX"]
    assert event.after["kind"] == "sib_meeting"


def test_every_jurisdiction_in_a_state_expands_to_its_jurisdictions(app_context):
    logged = briefing("2010-05-03", jurisdictions=[COUNTY], every_jurisdiction_in=["OK", "TX"])
    fips = {j.fips for j in logged.jurisdictions}
    assert len(fips) == 77 + 254  # Oklahoma and Texas county counts; COUNTY not doubled
    assert COUNTY in fips and OK_COUNTY in fips
    assert logged.states == []  # whole-state expansion names jurisdictions, not the state


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"held_on": D("2010-09-01"), "jurisdiction_fips": [COUNTY]}, "held_on", "future"),
        ({"held_on": D("2010-08-01")}, "jurisdictions", "at least one"),
        ({"held_on": D("2010-08-01"), "jurisdiction_fips": ["99999"]}, "jurisdictions", "99999"),
        ({"held_on": D("2010-08-01"), "states": ["ZZ"]}, "states", "ZZ"),
        (
            {"held_on": D("2010-08-01"), "every_jurisdiction_in": ["QQ"]},
            "every_jurisdiction_in",
            "QQ",
        ),
        ({"held_on": None, "states": ["TX"]}, "held_on", "date"),
    ],
)
def test_invalid_briefings_are_refused_and_nothing_is_written(app_context, kwargs, field, words):
    with pytest.raises(DomainError) as caught:
        services.log_briefing(kind=BriefingKind.LOCAL_BRIEFING, **kwargs)
    assert caught.value.field == field
    assert words in caught.value.message
    assert db.session.scalars(select(Briefing)).all() == []


def test_unknown_kind_is_refused(app_context):
    with pytest.raises(DomainError) as caught:
        services.log_briefing(held_on=D("2010-08-01"), kind="party", states=["TX"])
    assert caught.value.field == "kind"


def test_jurisdiction_lines_accept_codes_and_names(app_context):
    text = "48001\n48003 Andrews County, TX\n\nTravis County, TX\nharris, tx\n40001, 40003"
    assert parse_jurisdiction_lines(text) == [
        COUNTY,
        OTHER_COUNTY,
        "48453",
        "48201",
        "40001",
        "40003",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Baltimore, MD", "matches 2 jurisdictions"),
        ("Nowhere County, TX", "Line 1"),
        ("48001\nnot a place", "Line 2"),
        ("48001 48999", "48999"),
    ],
)
def test_jurisdiction_lines_name_the_bad_line(app_context, text, words):
    with pytest.raises(DomainError) as caught:
        parse_jurisdiction_lines(text)
    assert words in caught.value.message
    assert caught.value.field == "jurisdictions"


def test_full_name_tells_baltimore_county_from_the_city(app_context):
    assert parse_jurisdiction_lines("Baltimore city, MD") == ["24510"]
    assert parse_jurisdiction_lines("Baltimore County, MD") == ["24005"]


def test_update_checks_the_version_and_audits_before_and_after(app_context):
    logged = briefing("2010-06-01", jurisdictions=[COUNTY])
    db.session.flush()
    updated = services.update_briefing(
        logged.id,
        expected_version=1,
        reason="Logged against the wrong county",
        held_on=D("2010-06-02"),
        kind="advance_notice",
        jurisdiction_fips=[OTHER_COUNTY],
        states=["TX"],
        notes="Moved to the right county",
    )
    assert updated.version_id == 2
    assert [j.fips for j in updated.jurisdictions] == [OTHER_COUNTY]
    (event,) = _events("briefing.update")
    assert event.before["jurisdictions"] == [COUNTY] and event.before["kind"] == "local_briefing"
    assert event.after["jurisdictions"] == [OTHER_COUNTY] and event.after["states"] == ["TX"]
    with pytest.raises(Conflict):
        services.update_briefing(
            logged.id,
            expected_version=1,
            reason="Typo",
            held_on=D("2010-06-02"),
            kind="other",
            states=["TX"],
        )


def test_changing_only_the_links_still_bumps_the_version(app_context):
    logged = briefing("2010-06-01", jurisdictions=[COUNTY])
    updated = services.update_briefing(
        logged.id,
        expected_version=1,
        reason="Logged against the wrong county",
        held_on=logged.held_on,
        kind=logged.kind,
        jurisdiction_fips=[COUNTY, OTHER_COUNTY],
        presenter=logged.presenter,
    )
    assert updated.version_id == 2


def _ids(**filters) -> list[int]:
    return [b.id for b in db.session.scalars(services.briefings_query(**filters)).unique()]


def test_filters_by_kind_state_and_dates(app_context):
    sib = briefing("2010-01-05", "sib_meeting", states=["TX"])
    local = briefing("2010-03-10", jurisdictions=[COUNTY])
    notice = briefing("2010-04-20", "advance_notice", jurisdictions=[OK_COUNTY])
    territory = briefing("2010-05-01", jurisdictions=[PR_MUNICIPIO])
    assert _ids() == [territory.id, notice.id, local.id, sib.id]
    assert _ids(kind="local_briefing") == [territory.id, local.id]
    # A state matches briefings of the state itself and of any of its jurisdictions.
    assert _ids(state="TX") == [local.id, sib.id]
    assert _ids(state="48") == [local.id, sib.id]
    assert _ids(state="OK") == [notice.id]
    assert _ids(date_from=D("2010-03-10"), date_to=D("2010-04-20")) == [notice.id, local.id]
    assert _ids(state="TX", kind="advance_notice") == []
    with pytest.raises(DomainError):
        _ids(state="ZZ")


def test_briefings_for_a_jurisdiction_include_its_whole_state_ones(app_context):
    sib = briefing("2010-01-05", "sib_meeting", states=["TX"])
    local = briefing("2010-03-10", jurisdictions=[COUNTY])
    briefing("2010-03-11", jurisdictions=[OTHER_COUNTY])
    briefing("2010-03-12", "sib_meeting", states=["OK"])
    assert [b.id for b in services.briefings_for_jurisdiction(COUNTY)] == [local.id, sib.id]
    assert len(services.briefings_for_state("TX")) == 3


def test_reach_counts_jurisdictions_states_and_territories_by_date(app_context):
    briefing("2010-01-05", "sib_meeting", states=["TX", "OK"], jurisdictions=["40003"])
    briefing("2010-02-01", jurisdictions=[COUNTY, OTHER_COUNTY])
    briefing("2010-03-01", "advance_notice", jurisdictions=[COUNTY, OK_COUNTY])
    briefing("2010-04-01", "community_meeting", jurisdictions=["48005"])
    briefing("2010-05-01", "other", jurisdictions=["48007"])
    briefing("2010-06-01", "advance_notice", jurisdictions=[PR_MUNICIPIO], states=["PR"])

    def figures(day: str):
        reach = services.briefing_reach(D(day))
        return reach.jurisdictions, reach.states, reach.territories

    assert figures("2010-01-31") == (0, 0, 0)  # a SIB meeting briefs no jurisdiction
    assert figures("2010-02-01") == (2, 1, 0)
    assert figures("2010-03-01") == (3, 2, 0)  # COUNTY counted once
    assert figures("2010-05-31") == (3, 2, 0)  # community and other meetings do not count
    assert figures("2010-06-01") == (4, 2, 1)
    reach = services.briefing_reach(D("2010-06-01"))
    assert reach.by_state == {"48": 2, "40": 1, "72": 1}


def test_a_save_racing_another_is_refused_not_lost(app_context):
    from sqlalchemy import update

    logged = briefing("2010-06-01", jurisdictions=[COUNTY])
    # Someone else's save lands after our form was checked but before our write.
    db.session.execute(
        update(Briefing.__table__).where(Briefing.id == logged.id).values(version_id=2)
    )
    with pytest.raises(Conflict):
        services.update_briefing(
            logged.id,
            expected_version=1,
            reason="Typo",
            held_on=logged.held_on,
            kind="other",
            jurisdiction_fips=[COUNTY],
        )
