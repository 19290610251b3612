"""Dates as spreadsheets and documents write them."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.plan.importing.dates import DateError, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2009-02-24", D(2009, 2, 24)),
        ("2009-2-4", D(2009, 2, 4)),
        ("2009-02-24T00:00:00", D(2009, 2, 24)),
        ("2009-02-24 13:45:00", D(2009, 2, 24)),
        ("2009/02/24", D(2009, 2, 24)),
        ("2/24/09", D(2009, 2, 24)),
        ("02/24/2009", D(2009, 2, 24)),
        ("2/24/2009", D(2009, 2, 24)),
        ("2-24-2009", D(2009, 2, 24)),
        ("1/1/68", D(2068, 1, 1)),
        ("February 24, 2009", D(2009, 2, 24)),
        ("february 24 2009", D(2009, 2, 24)),
        ("Feb 24, 2009", D(2009, 2, 24)),
        ("Feb. 24, 2009", D(2009, 2, 24)),
        ("Sept. 1, 2010", D(2010, 9, 1)),
        ("24 February 2009", D(2009, 2, 24)),
        ("24 Feb 2009", D(2009, 2, 24)),
        ("  February   24,  2009 ", D(2009, 2, 24)),
        ("40233", D(2010, 2, 24)),
        ("1/1/00", D(2000, 1, 1)),
        ("12/31/2100", D(2100, 12, 31)),
        (40233, D(2010, 2, 24)),
        (40233.75, D(2010, 2, 24)),
        (dt.datetime(2010, 9, 1, 0, 0), D(2010, 9, 1)),
        (D(2010, 9, 1), D(2010, 9, 1)),
        ("2/29/2012", D(2012, 2, 29)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_accepted_forms(written, date):
    assert parse_date(written, "scheduled_on") == date


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("2/30/2010", "February 2010 has 28 days"),
        ("2/29/2011", "February 2011 has 28 days"),
        ("2010-02-30", "February 2010 has 28 days"),
        ("April 31, 2010", "April 2010 has 30 days"),
        ("24/02/2009", "no month 24"),
        ("13/1/2010", "no month 13"),
        ("Febtember 3, 2010", "'Febtember' is not a month"),
        ("soon", "is not a date"),
        ("2010", "is not a date"),
        (12, "outside 2000-01-01 to 2100-12-31"),
        (99999, "outside 2000-01-01 to 2100-12-31"),
        (36525, "outside 2000-01-01 to 2100-12-31"),  # 1999-12-31
        ("12/31/99", "is 1999-12-31, outside the dates the tracker keeps"),
        ("9999-12-31", "is 9999-12-31, outside the dates the tracker keeps"),
        ("1999-12-31", "is 1999-12-31, outside"),
        ("2101-01-01", "is 2101-01-01, outside"),
        (dt.datetime(1999, 12, 31, 23, 59), "is 1999-12-31, outside"),
        (D(1, 1, 1), "is 0001-01-01, outside"),
        (True, "is not a date"),
    ],
)
def test_impossible_or_unreadable_dates_are_clear_errors(written, fragment):
    with pytest.raises(DateError) as info:
        parse_date(written, "activated_on")
    assert info.value.field == "activated_on"
    assert fragment in info.value.message
