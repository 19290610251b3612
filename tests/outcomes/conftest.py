"""Fixtures for the outcomes tests: the held-out quarter imported, once or for two quarters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from tests.outcomes.data.make_held_out import TEXAS
from tests.outcomes.support import activate, import_file

HELD_OUT = Path(__file__).resolve().parent / "data" / "held_out_2011q1.csv"
# After both quarters the fixtures import have ended.
LATER = dt.datetime(2011, 8, 1, 12)


def _activate_texas(app) -> None:
    from tracker.extensions import db
    from tracker.plan.models import Activation

    with app.app_context():
        already = set(db.session.scalars(select(Activation.jurisdiction_fips)))
    activate(app, {fips: dt.date(2010, 6, 1) for fips in TEXAS if fips not in already})


@pytest.fixture()
def held_out(app, database):
    """Texas's counties activated and the held-out quarter (2011-Q1) imported (recorded in
    August 2011, when both quarters the fixtures use have ended)."""
    with time_machine.travel(LATER, tick=False):
        _activate_texas(app)
        preview, result = import_file(app, HELD_OUT.read_bytes(), name=HELD_OUT.name)
    assert not preview.has_errors, preview.error_lines()[:5]
    assert result.added == 3 * len(TEXAS)


@pytest.fixture()
def two_quarters(app, held_out):
    """The held-out quarter, and the same figures again as 2011-Q2 (so Q2 flags the same)."""
    text = HELD_OUT.read_text()
    for old, new in (("2011-01", "2011-04"), ("2011-02", "2011-05"), ("2011-03", "2011-06")):
        text = text.replace(f"{old},", f"{new},")
    with time_machine.travel(LATER, tick=False):
        preview, _ = import_file(app, text.encode(), name="2011q2.csv")
    assert not preview.has_errors, preview.error_lines()[:5]
