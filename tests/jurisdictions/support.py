"""Helpers shared by the jurisdiction page, API and as-of boundary tests."""

from __future__ import annotations

import datetime as dt
import re

from tests.support.web import sign_in

# "Today" in these tests: every plan fact below is dated before it.
FROZEN_NOW = dt.datetime(2011, 6, 1, 12, 0)
TODAY = FROZEN_NOW.date()


def new_client(app, make_user, role: str):
    """A second, independent browser session signed in with a new account."""
    client = app.test_client()
    response = sign_in(client, make_user(role))
    assert response.status_code == 303
    return client


def listed_fips(html: str) -> list[str]:
    """FIPS codes of the rows in the list page's table, in order."""
    return re.findall(r'<th scope="row"><a href="/jurisdictions/(\d{5})', html)


def status_line(html: str) -> str:
    """The text of the "As of D: STATUS" line on a jurisdiction's page."""
    match = re.search(r'<p class="lead" id="status-as-of">(.*?)</p>', html, re.S)
    assert match, "no status line"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
