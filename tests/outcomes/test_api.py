"""/api/v1/stats and /api/v1/reviews/<YYYY-Qn>: staff only; the rows, their totals, the review."""

from __future__ import annotations

import re

import pytest

from tests.outcomes.data.make_held_out import PLANTED, SMALL_EXTREME


def all_items(client, query: str) -> tuple[list[dict], dict]:
    items, page, body = [], 1, {}
    while True:
        body = client.get(f"/api/v1/stats?{query}&per_page=500&page={page}").get_json()
        items += body["items"]
        if page >= body["pages"]:
            return items, body
        page += 1


def test_rows_and_their_totals_agree_and_filters_narrow_them(held_out, signed_in):
    viewer = signed_in("viewer")
    items, body = all_items(viewer, "state=TX&from=2011-01&to=2011-03")
    assert body["total"] == len(items) == 3 * 254
    assert items[0]["month"] == "2011-01" and items[0]["fips"] == "48001"
    assert items[0]["state"] == "TX" and items[0]["jurisdiction"] == "Anderson County"
    for name in ("submissions", "matches", "level1", "level2", "level3", "non_criminal", "removed"):
        assert body["totals"][name] == sum(item[name] for item in items), name
    assert body["totals"]["jurisdictions"] == 254
    one, body = all_items(viewer, "fips=48061&from=2011-02&to=2011-02")
    assert [(i["fips"], i["month"]) for i in one] == [("48061", "2011-02")]
    assert body["totals"]["submissions"] == one[0]["submissions"]
    nothing, body = all_items(viewer, "state=CA")
    assert nothing == [] and body["totals"]["jurisdictions"] == 0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=2011-13", "from"),
        ("from=2011-03&to=2011-01", "from"),
        ("fips=123", "fips"),
        ("state=ZZ", "state"),
        ("known_at=yesterday", "known_at"),
        ("per_page=0", "per_page"),
    ],
)
def test_bad_parameters_are_named(held_out, signed_in, query, parameter):
    response = signed_in("viewer").get(f"/api/v1/stats?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


def test_the_review_gives_each_metric_its_rate_dispersion_and_outliers(held_out, signed_in):
    body = signed_in("viewer").get("/api/v1/reviews/2011-Q1").get_json()
    assert body["quarter"] == "2011-Q1" and body["jurisdictions_reporting"] == 254
    metrics = {m["metric"]: m for m in body["metrics"]}
    assert set(metrics) == {"non_criminal_share", "match_rate", "level1_share"}
    for fips, (metric, direction) in PLANTED.items():
        outlier = next(o for o in metrics[metric]["outliers"] if o["fips"] == fips)
        assert outlier["direction"] == direction
        assert outlier["limit"] == "99.8%"
        assert outlier["rate"] == pytest.approx(outlier["count"] / outlier["cases"], abs=1e-6)
        assert (outlier["z"] > 0) == (direction == "high")
    for m in metrics.values():
        assert 0 < m["national_rate"] < 1 and m["overdispersion"] > 0
        assert SMALL_EXTREME not in {o["fips"] for o in m["outliers"]}
    assert SMALL_EXTREME in {s["fips"] for s in metrics["non_criminal_share"]["too_small"]}
    assert signed_in("viewer").get("/api/v1/reviews/2011-Q9").status_code == 404


def test_the_review_endpoint_matches_the_page(held_out, signed_in):
    viewer = signed_in("viewer")
    body = viewer.get("/api/v1/reviews/2011-Q1").get_json()
    page = viewer.get("/reviews/2011-Q1").get_data(as_text=True)
    rates = [m["national_rate"] for m in body["metrics"]]
    shown = [float(v) / 100 for v in re.findall(r'data-figure="national-rate">([\d.]+)%', page)]
    assert shown == pytest.approx(rates, abs=5e-5)
