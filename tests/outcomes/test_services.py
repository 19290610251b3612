"""Quarters, a jurisdiction's months since activation (gaps and revisions), and totals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.outcomes.support import COUNTY, NOW, OTHER_COUNTY, activate, import_file, stats_csv
from tracker.errors import DomainError
from tracker.outcomes.quarters import Quarter

D = dt.date


def test_quarters_read_and_step():
    q = Quarter.parse(" 2010-q4 ")
    assert str(q) == "2010-Q4" and q.label == "October to December 2010 (2010-Q4)"
    assert q.months == (D(2010, 10, 1), D(2010, 11, 1), D(2010, 12, 1))
    assert q.end == D(2010, 12, 31)
    assert q.next() == Quarter(2011, 1) and Quarter(2011, 1).previous() == q
    assert Quarter.of(D(2011, 5, 31)) == Quarter(2011, 2)
    for bad in ("2010-Q5", "2010Q1", "", "10-Q1"):
        with pytest.raises(DomainError, match="YYYY-Qn"):
            Quarter.parse(bad)


@pytest.fixture()
def statistics(app, database):
    with time_machine.travel(NOW, tick=False):
        activate(app)
        import_file(app, stats_csv([
            ("2010-03", COUNTY, 100, 10, 1, 1, 1, 1, 1),
            ("2010-04", COUNTY, 200, 20, 2, 2, 2, 2, 2),
            ("2010-06", COUNTY, 300, 30, 3, 3, 3, 3, 3),
            ("2010-05", OTHER_COUNTY, 50, 5, 1, 1, 1, 1, 0),
        ]))  # fmt: skip
        import_file(app, stats_csv([("2010-04", COUNTY, 200, 21, 2, 2, 2, 2, 2)]))


def test_months_since_activation_show_gaps_and_revisions(app, statistics):
    from tracker.outcomes.services import months_since_activation

    with app.app_context():
        months = months_since_activation(COUNTY)
        assert months_since_activation("48005") == []  # never activated
    assert [m.month for m in months] == [D(2010, 3, 1), D(2010, 4, 1), D(2010, 5, 1), D(2010, 6, 1)]
    assert [m.counts["matches"] if m.counts else None for m in months] == [10, 21, None, 30]
    assert [m.revisions for m in months] == [0, 1, 0, 0]


def test_totals_nationally_by_state_and_by_quarter(app, statistics):
    from tracker.outcomes.services import (
        available_quarters,
        quarter_totals,
        totals,
        totals_by_quarter,
    )

    with app.app_context():
        q2 = quarter_totals(Quarter(2010, 2))
        assert (q2.jurisdictions, q2.submissions, q2.matches, q2.identifications) == (
            2,
            550,
            56,
            24,
        )
        assert quarter_totals(Quarter(2010, 2), state_fips="06").jurisdictions == 0
        assert totals(fips=COUNTY).submissions == 600
        by_quarter = totals_by_quarter("48")
        assert available_quarters() == [Quarter(2010, 2), Quarter(2010, 1)]
    assert [(str(q), t.jurisdictions, t.submissions) for q, t in by_quarter] == [
        ("2010-Q2", 2, 550),
        ("2010-Q1", 1, 100),
    ]
