"""Every release re-derives byte for byte: its files are the activated list as of its date as
the records stood at the moment it was cut, so regenerating them later from the history gives
the same bytes, after backdated entries and corrections recorded since."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import select

from tests.factories import COUNTY, OTHER_COUNTY, activate, schedule
from tracker.exports import releases
from tracker.exports.models import Release
from tracker.extensions import db
from tracker.plan import corrections

D = dt.date.fromisoformat
HARRIS, ANGELINA = "48201", "48005"  # Harris; Angelina (no real activation)


def moment(text: str):
    return time_machine.travel(dt.datetime.fromisoformat(text), tick=False)


def test_every_release_re_derives_after_backdated_entries_and_corrections(app_context):
    with moment("2010-10-01T15:30:12.250000+00:00"):
        schedule(COUNTY, "2010-06-01", decided_on="2010-01-04")
        activate(COUNTY, "2010-06-01")
        schedule(OTHER_COUNTY, "2010-09-01", decided_on="2010-01-04")
        activate(OTHER_COUNTY, "2010-09-15")  # typed wrong: it was 2010-09-05
        releases.publish_release(D("2010-09-30"), "First")
        db.session.commit()
    with moment("2010-10-20T09:00:00.5+00:00"):
        # Backdated: Harris activated on 2010-09-20, recorded a month later.
        activate(HARRIS, "2010-09-20")
        corrections.correct_activation(
            OTHER_COUNTY, D("2010-09-05"), reason="Typo", expected_version=None
        )
        releases.publish_release(D("2010-09-30"), "Second, same date, corrected")
        db.session.commit()
    with moment("2011-02-01T12:00:00+00:00"):
        corrections.void_activation(COUNTY, reason="Never activated", expected_version=None)
        activate(ANGELINA, "2010-09-01")  # backdated again, before release 1's date
        releases.publish_release(D("2010-12-31"), "Third")
        db.session.commit()
    with moment("2012-01-01T00:00:00+00:00"):
        activate(COUNTY, "2011-06-01")  # much later, the real activation
        db.session.commit()
        published = db.session.scalars(select(Release).order_by(Release.number)).all()
        assert len(published) == 3
        for release in published:
            again = releases.release_files(release.as_of, release.known_at, release.published_at)
            for stored in release.files:
                assert again[stored.format].content == stored.content, (release.number, stored)
    rows = {
        release.number: {
            fips
            for fips in (COUNTY, OTHER_COUNTY, HARRIS, ANGELINA)
            if f'"{fips}"'.encode() in next(f.content for f in release.files if f.format == "json")
        }
        for release in published
    }
    # What each release said, as the records stood when it was cut.
    assert rows == {
        1: {COUNTY, OTHER_COUNTY},
        2: {COUNTY, OTHER_COUNTY, HARRIS},
        3: {OTHER_COUNTY, HARRIS, ANGELINA},
    }
    # Today's knowledge of 30 September 2010 differs from both releases of that date.
    from tracker.exports.sources import activated_rows

    _, today_rows = activated_rows(D("2010-09-30"), state="TX")
    assert {row[2] for row in today_rows} >= {OTHER_COUNTY, HARRIS, ANGELINA}
    assert COUNTY not in {row[2] for row in today_rows}
