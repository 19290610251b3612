"""Fixtures for the outcomes tests: the held-out quarter imported, once or for two quarters."""

from __future__ import annotations

import pytest
import time_machine

from tests.outcomes.support import HELD_OUT, LATER, import_file, import_held_out


@pytest.fixture()
def held_out(app, database):
    """Texas's counties activated and the held-out quarter (2011-Q1) imported."""
    import_held_out(app)


@pytest.fixture()
def two_quarters(app, held_out):
    """The held-out quarter, and the same figures again as 2011-Q2 (so Q2 flags the same)."""
    text = HELD_OUT.read_text()
    for old, new in (("2011-01", "2011-04"), ("2011-02", "2011-05"), ("2011-03", "2011-06")):
        text = text.replace(f"{old},", f"{new},")
    with time_machine.travel(LATER, tick=False):
        preview, _ = import_file(app, text.encode(), name="2011q2.csv")
    assert not preview.has_errors, preview.error_lines()[:5]
