"""Every list of letters, and every page that counts them, sends the same number of SQL
statements with three letters as with thirty-three: nothing is read per row, nothing grows with
the history (the lists page in SQL, the clocks are columns of the page's query)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.deferrals.samples import log_letter
from tests.factories import D, schedule
from tests.support.records import counted, write
from tracker.deferrals import letters, workflow

PLACES = ("48001", "48003", "48005", "06075", "35013", "01001")
TODAY = dt.datetime(2011, 3, 2, 12)


def _add(app, first: int, count: int) -> None:
    def letters_and_steps():
        for number in range(first, first + count):
            fips = PLACES[number % len(PLACES)]
            if number < len(PLACES):
                schedule(fips, "2011-03-10", "2010-12-01")
            received = D("2011-02-01") + dt.timedelta(days=number % 25)
            request = log_letter(
                jurisdiction=fips,
                letter_date=received - dt.timedelta(days=1),
                received_on=received,
                sender_name=f"Sheriff Number{number}",
            )
            letters.add_note(request, f"Note {number}")
            if number % 3 == 1:
                workflow.request_meeting(request, received + dt.timedelta(days=1))
            if number % 3 == 2:
                workflow.withdraw(request, received + dt.timedelta(days=2))

    write(app, letters_and_steps)


PATHS = [
    "/deferrals",
    "/deferrals?status=open",
    "/deferrals?status=meeting_requested",
    "/deferrals?q=sheriff",
    "/deferrals?overdue=1",
    "/deferrals?urgent=1",
    "/deferrals?state=TX&sort=jurisdiction",
    "/deferrals?sort=sender",
    "/deferrals?sort=status",
    "/deferrals?per_page=2&NEXT",
    "/api/v1/deferrals",
    "/api/v1/deferrals?per_page=2&status=open",
    "/deferrals/export.csv",
    "/deferrals/export.xlsx?status=open",
    # As the records stood at a moment: each letter's kept version, still a fixed count.
    "/deferrals?known_at=2011-03-02",
    "/deferrals?known_at=2011-03-02&q=sheriff&status=open&sort=sender",
    "/deferrals?known_at=2011-03-02&per_page=2&NEXT",
    "/api/v1/deferrals?known_at=2011-03-02",
    "/deferrals/export.csv?known_at=2011-03-02&overdue=1",
    "/dashboard",
    "/api/v1/summary",
    "/jurisdictions/48001",
    "/states",
    "/audit",
    "/audit?entity_type=deferral_request",
    "/exports/log",
]


def _path(client, path: str) -> str:
    """The path itself, or for "NEXT" the second page of the log as its link gives it."""
    if not path.endswith("&NEXT"):
        return path
    html = client.get(path.removesuffix("&NEXT")).get_data(as_text=True)
    return re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("path", PATHS)
def test_statements_do_not_grow_with_the_letters(app, signed_in, path):
    with time_machine.travel(TODAY, tick=False):
        admin = signed_in("admin")
        _add(app, 0, 3)
        url = _path(admin, path)
        admin.get(url)  # warm the per-process caches (statuses, endpoint lookup)
        with counted() as few:
            assert admin.get(url).status_code == 200
        _add(app, 3, 30)
        url = _path(admin, path)
        admin.get(url)  # the cached statuses, recomputed for the new data version
        with counted() as many:
            assert admin.get(url).status_code == 200
    assert len(many) == len(few), (len(few), len(many))
