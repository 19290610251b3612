"""Every route of the URL map, walked with numbers and dates out of range: never a server error.

Signed in as an administrator (who may open everything) and anonymous:
- every URL variable gets values no record has and no database column holds (a 20-digit id, one
  past PostgreSQL's INTEGER, a 30-digit code): the answer is a 4xx (or, for anonymous visitors
  on staff pages, the sign-in redirect that comes before any lookup);
- every query parameter that takes a page number or a date gets huge pages and dates outside the
  domain's range: a route that reads the parameter (it refuses an unreadable value with 400)
  refuses these with 400 too, and no route answers with a server error.

A new route is walked without being listed here.
"""

from __future__ import annotations

import pytest

from tests.support.web import sign_in
from tracker.pagination import Cursor

HUGE_IDS = (10**20, 2**31, 2**63, 99_999_999_999_999_999_999)
HUGE_TEXT = ("9" * 30, "0" * 25)
PAGE_PARAMETERS = ("page", "per_page", "after")
DATE_PARAMETERS = (
    "as_of",
    "known_at",
    "from",
    "to",
    "since",
    "until",
    "received_from",
    "received_to",
    "scheduled_from",
    "scheduled_to",
    "activated_from",
    "activated_to",
)
OUT_OF_RANGE = {
    "page": ("999999999999999999999999", str(2**31), "1000001", "-1", "0", "9" * 5000),
    "per_page": ("999999999999999999999999", "-1", "0"),
    # The next-page link of a list paged by key, tampered: a huge id, a moment that is none.
    "after": (
        Cursor(50, (10**30,)).token(),
        Cursor(50, ("9999-12-31", 10**30)).token(),
        "9" * 5000,
    ),
    "date": ("0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"),
}
UNREADABLE = {"page": "x", "per_page": "x", "after": "not-a-link", "date": "not-a-date"}


def _values_for(rule, identity_values: dict) -> list[dict]:
    """URL variable sets with one variable out of range at a time, the others plausible."""
    base = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if converter == "AnyConverter":
            base[name] = sorted(rule._converters[name].items)[0]
        elif converter in ("IdConverter", "IntegerConverter"):
            base[name] = 1
        else:
            base[name] = identity_values.get(name, "1")
    variants = []
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if converter == "AnyConverter":
            continue
        huge = HUGE_IDS if converter in ("IdConverter", "IntegerConverter") else HUGE_TEXT
        variants += [{**base, name: value} for value in huge]
    return variants


def _build(app, rule, values) -> str:
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1]


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "auth.logout":
            continue  # would end the walk's own session
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.mark.parametrize("identity", ["admin", "anonymous"])
def test_out_of_range_ids_in_every_route_are_refused_with_a_4xx(app, client, make_user, identity):
    if identity == "admin":
        assert sign_in(client, make_user("admin")).status_code == 303
    plausible = {"fips": "48001", "postal": "TX", "filename": "css/tracker.css"}
    problems, walked = [], 0
    for rule, method in _routes(app):
        for values in _values_for(rule, plausible):
            url = _build(app, rule, values)
            response = client.open(url, method=method, data={})
            walked += 1
            to_sign_in = "/login" in response.headers.get("Location", "")
            if identity == "anonymous" and response.status_code == 302 and to_sign_in:
                continue  # staff pages send visitors to sign in before looking anything up
            if not 400 <= response.status_code < 500:
                problems.append(f"{method} {url}: {response.status_code}")
    assert walked > 40
    assert not problems, "\n".join(problems)


def _parameter_routes(app):
    """GET routes without URL variables: the lists, pages and API calls that read parameters."""
    for rule, method in _routes(app):
        if method == "GET" and not rule.arguments:
            yield rule.rule


@pytest.mark.parametrize("identity", ["admin", "anonymous"])
def test_huge_pages_and_dates_out_of_range_are_refused_by_every_route_that_reads_them(
    app, client, make_user, identity
):
    if identity == "admin":
        assert sign_in(client, make_user("admin")).status_code == 303
    problems: list[str] = []
    readers: set[tuple[str, str]] = set()
    parameters = [(name, name) for name in PAGE_PARAMETERS]
    parameters += [(name, "date") for name in DATE_PARAMETERS]
    for path in _parameter_routes(app):
        for name, kind in parameters:
            if name == "after" and "/export" in path:
                continue  # a download writes every row its filters select: it has no pages
            unreadable = client.get(path, query_string={name: UNREADABLE[kind]})
            if unreadable.status_code >= 500:
                problems.append(f"{path}?{name}={UNREADABLE[kind]}: {unreadable.status_code}")
            reads = unreadable.status_code == 400
            for value in OUT_OF_RANGE[kind]:
                response = client.get(path, query_string={name: value})
                if response.status_code >= 500 or (reads and response.status_code != 400):
                    problems.append(f"{path}?{name}={value[:30]}: {response.status_code}")
            if reads:
                readers.add((path, name))
    assert not problems, "\n".join(problems)
    if identity == "admin":
        # The walk reached the pages that read these parameters (else it proved nothing).
        for expected in [
            ("/dashboard", "as_of"),
            ("/readiness", "as_of"),
            ("/audit", "after"),
            ("/audit", "per_page"),
            ("/deferrals", "after"),
            ("/api/v1/deferrals", "after"),
            ("/corrections", "after"),
            ("/api/v1/jurisdictions", "page"),
            ("/api/v1/activations", "per_page"),
            ("/map", "as_of"),
            ("/deferrals", "received_from"),
            ("/briefings", "from"),
        ]:
            assert expected in readers, expected
