"""Helpers shared by the jurisdiction page, API and as-of boundary tests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

from tests.conftest import sign_in

T = TypeVar("T")

# "Today" in these tests: every plan fact below is dated before it.
FROZEN_NOW = dt.datetime(2011, 6, 1, 12, 0)
TODAY = FROZEN_NOW.date()


def write(app, fn: Callable[[], T]) -> T:
    """Run `fn` in an app context and commit (a savepoint inside the test's transaction)."""
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with app.app_context():
        set_command_actor("test")
        result = fn()
        db.session.commit()
        db.session.remove()
        return result


def read(app, fn: Callable[[], T]) -> T:
    from tracker.extensions import db

    with app.app_context():
        result = fn()
        db.session.remove()
        return result


def version_of(app, fips: str) -> int:
    from tracker.registry.lookup import get_jurisdiction

    return read(app, lambda: get_jurisdiction(fips).version_id)


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
