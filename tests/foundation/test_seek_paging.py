"""Paging by key (tracker.pagination.seek) for the lists that grow without bound: the audit log,
the export log and the letter log, on the page and in the API. Stable order, a next link that
carries the position, no page skipped or repeated when rows are added meanwhile, counts that stop
at COUNT_LIMIT, and a tampered link refused by name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import insert, select

from tests.deferrals.samples import log_letter
from tests.factories import D
from tests.support.records import write
from tracker.audit.models import AuditEvent
from tracker.audit.services import record
from tracker.exports.models import ExportRecord
from tracker.extensions import db
from tracker.pagination import COUNT_LIMIT, Cursor, SortKey, distinct_values, seek


def _next(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _events(app, count: int, action: str = "test.step") -> None:
    def add():
        for number in range(count):
            record(action, "thing", number, after={"n": number})

    write(app, add)


def test_the_audit_log_pages_by_key_through_every_event_once(app, signed_in):
    admin = signed_in("admin")
    _events(app, 7)
    seen: list[str] = []
    url = "/audit?action=test.step&per_page=3"
    pages = 0
    while url:
        html = admin.get(url).get_data(as_text=True)
        seen += re.findall(r"<td>thing (\d+)</td>", html)
        pages += 1
        if pages == 2:
            assert "7 events, showing 4–6." in html and ">First page</a>" in html
            _events(app, 2)  # logged meanwhile: newer, so on no page after this one
        url = _next(html)
    assert seen == ["6", "5", "4", "3", "2", "1", "0"] and pages == 3


def test_the_corrections_list_pages_by_its_moment_and_id(app, signed_in):
    """A key that is a moment (recorded_at) survives the trip through the next-page link."""
    from tracker.audit.services import set_command_actor
    from tracker.corrections.models import CorrectionAction, FactKind
    from tracker.corrections.services import record_correction

    def add():
        set_command_actor("test")
        for number in range(5):
            record_correction(
                FactKind.PLAN_CHANGE,
                number + 1,
                CorrectionAction.AMEND,
                reason=f"reason {number}",
                summary=f"summary {number}",
                at=dt.datetime(2026, 1, 1, 12, number, tzinfo=dt.UTC),
            )

    write(app, add)
    admin = signed_in("admin")
    url, seen = "/corrections?per_page=2", []
    while url:
        response = admin.get(url)
        assert response.status_code == 200, url
        seen += re.findall(r"summary (\d)", response.get_data(as_text=True))
        url = _next(response.get_data(as_text=True))
    assert seen == ["4", "3", "2", "1", "0"]


def test_a_tampered_page_link_is_refused_by_name(signed_in):
    admin = signed_in("admin")
    huge = Cursor(1, (10**30,)).token()
    for token in ("not-a-token", Cursor(1, ("2011-01-01",)).token(), huge):
        response = admin.get(f"/audit?after={token}")
        assert response.status_code == 400, token
        assert "after is not a page link" in response.get_data(as_text=True)
    letters = signed_in("viewer").get("/api/v1/deferrals?after=" + Cursor(3, ("x", "y")).token())
    assert letters.status_code == 400
    assert letters.get_json()["error"]["parameter"] == "after"


def test_counts_stop_at_the_limit(app, signed_in):
    def many_downloads():
        db.session.execute(
            insert(ExportRecord),
            [
                {
                    "occurred_at": dt.datetime(2011, 1, 1, tzinfo=dt.UTC),
                    "list_name": "activated",
                    "format": "csv",
                    "as_of": D("2011-01-01"),
                    "filters": {},
                    "row_count": 1,
                    "channel": "cli",
                }
                for _ in range(COUNT_LIMIT + 5)
            ],
        )

    write(app, many_downloads)
    html = signed_in("admin").get("/exports/log?channel=cli").get_data(as_text=True)
    assert f"More than {COUNT_LIMIT:,} exports and downloads, showing 1–50." in html
    assert _next(html) is not None


def test_the_letters_api_links_to_its_next_page(app, signed_in):
    def letters():
        for day in range(5):
            log_letter(
                received_on=D("2011-02-14") + dt.timedelta(days=day), letter_date=D("2011-02-10")
            )

    write(app, letters)
    client = signed_in("viewer")
    body = client.get("/api/v1/deferrals?as_of=2011-03-02&per_page=2&sort=received_asc").get_json()
    received = [item["received_on"] for item in body["items"]]
    assert (body["total"], body["total_is_exact"], body["first_index"]) == (5, True, 1)
    while body["next"]:
        assert "sort=received_asc" in body["next"] and "per_page=2" in body["next"]
        body = client.get(body["next"]).get_json()
        received += [item["received_on"] for item in body["items"]]
    assert received == sorted(received) and len(received) == 5 and body["first_index"] == 5


@pytest.mark.parametrize("descending", [False, True])
def test_mixed_and_single_direction_orders_page_the_same_rows(app_context, descending):
    for number in range(6):
        record("order.test", "thing", number % 2, after={"n": number})
    db.session.flush()
    keys = (
        SortKey(AuditEvent.entity_id, descending),
        SortKey(AuditEvent.id, not descending),  # mixed: ties newest or oldest first
    )
    statement = select(AuditEvent.id).where(AuditEvent.action == "order.test")
    whole = list(db.session.scalars(statement.order_by(*(
        k.expression.desc() if k.descending else k.expression for k in keys
    ))))  # fmt: skip
    paged, after = [], None
    while True:
        page = seek(statement, keys, after, 4)
        paged += page.items
        assert page.total == 6
        if page.next_cursor is None:
            break
        after = Cursor.from_token(page.next_after)
    assert paged == whole


def test_distinct_values_reads_each_value_once_in_order(app_context):
    for action in ("b.two", "a.one", "b.two", "c.three"):
        record(action, "thing", 1)
    db.session.flush()
    found = distinct_values(AuditEvent.action)
    assert found == sorted(set(found))
    assert {"a.one", "b.two", "c.three"} <= set(found)
