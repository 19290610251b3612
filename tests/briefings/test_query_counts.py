"""Pages and services run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
import time_machine

from tests.factories import D, briefing, schedule
from tests.support.records import counted
from tracker.extensions import db

TX_COUNTIES = ("48001", "48003", "48005", "48007", "48009", "48011", "48013", "48015")


def _add(app, count: int) -> None:
    with app.app_context():
        for index in range(count):
            fips = TX_COUNTIES[index % len(TX_COUNTIES)]
            if index < len(TX_COUNTIES):
                schedule(fips, "2010-09-10", "2010-06-01")
            briefing(
                f"2010-08-{1 + index % 28:02d}",
                ("local_briefing", "advance_notice", "sib_meeting")[index % 3],
                jurisdictions=[fips, TX_COUNTIES[(index + 1) % len(TX_COUNTIES)]],
                states=["TX"] if index % 3 == 2 else [],
            )
        db.session.commit()


PATHS = [
    "/briefings",
    "/api/v1/briefings",
    "/briefings?known_at=2010-08-31&state=TX",
    "/api/v1/briefings?known_at=2010-08-31",
    "/states",
    "/states/TX?as_of=2010-08-31",
    "/readiness?as_of=2010-08-31",
    "/readiness/data-quality?as_of=2010-08-31",
]


@pytest.mark.parametrize("path", PATHS)
def test_query_count_does_not_grow_with_the_rows(app, signed_in, path):
    with time_machine.travel(D("2010-08-31"), tick=False):
        viewer = signed_in("viewer")
        _add(app, 2)
        viewer.get(path)  # warm the per-process caches (statuses, endpoint lookup)
        with counted() as few:
            assert viewer.get(path).status_code == 200
        _add(app, 24)
        viewer.get(path)  # recompute the cached statuses for the new data version
        with counted() as many:
            assert viewer.get(path).status_code == 200
    assert len(many) == len(few), (len(few), len(many))
