"""/api/v1/stats and /api/v1/reviews/<YYYY-Qn>: monthly statistics and the quarterly review, for
signed-in staff only (anonymous callers get 401; nothing of either is public)."""

from __future__ import annotations

from flask import jsonify

from tracker.access import Role, requires
from tracker.api import bp
from tracker.api.envelope import ERROR, PAGING, page_envelope, paged, param
from tracker.outcomes.forms import StatisticsFilterForm
from tracker.outcomes.models import COUNT_FIELDS
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.review import cached_review
from tracker.outcomes.services import statistics_query, totals
from tracker.pagination import paginate


@bp.get("/stats")
@requires(Role.VIEWER)
def list_statistics():
    """Monthly statistics, a page at a time, with the totals of every row the filters select."""
    form = StatisticsFilterForm().checked()
    filters = form.statistics_filters()
    result = paginate(statistics_query(filters), form.page.data, form.per_page.data)
    items = [
        {
            "fips": row.jurisdiction_fips,
            "jurisdiction": row.jurisdiction.full_name,
            "state": row.jurisdiction.state.postal,
            "month": row.month.strftime("%Y-%m"),
            **{name_: getattr(row, name_) for name_ in COUNT_FIELDS},
            "is_demo": row.is_demo,
            "recorded_at": row.recorded_at.isoformat(),
        }
        for row in result.items
    ]
    body = page_envelope(result, items)
    body["totals"] = totals(
        filters.month_from,
        filters.month_to,
        state_fips=filters.state_fips,
        fips=filters.fips,
        known_at=filters.known_at,
    ).as_dict()
    return jsonify(body)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@bp.get("/reviews/<quarter>")
@requires(Role.VIEWER)
def get_review(quarter: str):
    """The quarter's review: per metric the national rate, the over-dispersion factor and the
    outliers, with the dispositions recorded so far."""
    period = Quarter.from_url(quarter)
    review = cached_review(period)
    metrics = []
    for m in review.metrics:
        f = m.funnel
        metrics.append(
            {
                "metric": m.metric.value,
                "label": m.metric.label,
                "national_rate": _rate(f.target),
                "overdispersion": _rate(f.phi),
                "widened": f.widened,
                "judged": f.judged,
                "outliers": [
                    {
                        "fips": flag.place.fips,
                        "jurisdiction": flag.place.label,
                        "direction": flag.assessment.direction,
                        "count": flag.assessment.count,
                        "cases": flag.assessment.cases,
                        "rate": _rate(flag.assessment.rate),
                        "z": round(flag.assessment.z, 4),
                        "limit": flag.assessment.limit,
                        "disposition": (
                            {
                                "disposition": flag.disposition.disposition.value,
                                "note": flag.disposition.note,
                                "recorded_by": flag.disposition.recorded_by,
                                "recorded_at": flag.disposition.recorded_at.isoformat(),
                            }
                            if flag.disposition
                            else None
                        ),
                    }
                    for flag in m.flags
                ],
                "too_small": [
                    {"fips": place.fips, "count": a.count, "cases": a.cases, "rate": _rate(a.rate)}
                    for place, a in m.small
                ],
            }
        )
    return jsonify(
        {
            "quarter": str(period),
            "min_cases": review.min_cases,
            "jurisdictions_reporting": review.totals.jurisdictions,
            "totals": review.totals.as_dict(),
            "metrics": metrics,
        }
    )


_COUNT = {"type": "integer", "minimum": 0}
_COUNTS = {name: _COUNT for name in COUNT_FIELDS}
_RATE = {"type": ["number", "null"]}
_MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"}
_STAFF = "Staff only: signed-in viewers or higher (session cookie); anonymous callers get 401."
_ROW = {
    "type": "object",
    "required": ["fips", "jurisdiction", "state", "month", *COUNT_FIELDS, "is_demo"],
    "properties": {
        "fips": {"type": "string"},
        "jurisdiction": {"type": "string"},
        "state": {"type": "string"},
        "month": {"type": "string", "description": "YYYY-MM"},
        **_COUNTS,
        "is_demo": {"type": "boolean"},
        "recorded_at": {"type": "string", "format": "date-time"},
    },
}
_OUTLIER = {
    "type": "object",
    "required": ["fips", "direction", "count", "cases", "rate", "z", "limit"],
    "properties": {
        "fips": {"type": "string"},
        "jurisdiction": {"type": "string"},
        "direction": {"enum": ["high", "low"]},
        "count": _COUNT,
        "cases": _COUNT,
        "rate": {"type": "number"},
        "z": {"type": "number"},
        "limit": {"enum": ["95%", "99.8%"]},
        "disposition": {"type": ["object", "null"]},
    },
}
_METRIC = {
    "type": "object",
    "required": ["metric", "national_rate", "overdispersion", "widened", "outliers"],
    "properties": {
        "metric": {"enum": ["non_criminal_share", "match_rate", "level1_share"]},
        "label": {"type": "string"},
        "national_rate": _RATE,
        "overdispersion": _RATE,
        "widened": {"type": "boolean"},
        "judged": _COUNT,
        "outliers": {"type": "array", "items": _OUTLIER},
        "too_small": {"type": "array", "items": {"type": "object"}},
    },
}

OPENAPI_PATHS: dict = {
    "/stats": {
        "get": {
            "operationId": "listStatistics",
            "summary": "Monthly statistics (staff only), a page at a time, with their totals",
            "description": "The figures in force of each jurisdiction and month, ordered by FIPS "
            "code and month; `totals` sums every row the filters select (not just the page). "
            "With known_at, the figures as they were recorded at that moment. " + _STAFF,
            "tags": ["statistics"],
            "parameters": [
                param("fips", "One jurisdiction (5-digit FIPS code)."),
                param("state", "One state or territory: postal code (TX) or FIPS code (48)."),
                param("from", "The first month (YYYY-MM).", _MONTH),
                param("to", "The last month (YYYY-MM).", _MONTH),
                param(
                    "known_at",
                    "The figures as recorded at this moment (ISO date-time; default now).",
                    {"type": "string", "format": "date-time"},
                ),
                *PAGING,
            ],
            "responses": {
                "200": paged(
                    "A page of monthly rows, and the totals of all the rows selected.",
                    _ROW,
                    totals={
                        "type": "object",
                        "properties": {"jurisdictions": _COUNT, **_COUNTS},
                    },
                ),
                "400": ERROR,
                "401": ERROR,
                "403": ERROR,
            },
        }
    },
    "/reviews/{quarter}": {
        "get": {
            "operationId": "getReview",
            "summary": "A quarter's statistical review (staff only)",
            "description": "For each metric (non_criminal_share, match_rate, level1_share): the "
            "national rate, the over-dispersion factor phi (and whether the limits were widened "
            "by its square root), and the outliers beyond the 95 % limits with direction "
            "high/low, count, cases, rate, z and the widest limit crossed (95% or 99.8%); "
            "jurisdictions with too few cases are listed apart. " + _STAFF,
            "tags": ["statistics"],
            "parameters": [
                {
                    "name": "quarter",
                    "in": "path",
                    "required": True,
                    "description": "The quarter, written YYYY-Qn (e.g. 2010-Q3).",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The review.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["quarter", "min_cases", "metrics"],
                                "properties": {
                                    "quarter": {"type": "string"},
                                    "min_cases": {"type": "integer"},
                                    "jurisdictions_reporting": _COUNT,
                                    "totals": {"type": "object"},
                                    "metrics": {"type": "array", "items": _METRIC},
                                },
                            }
                        }
                    },
                },
                "401": ERROR,
                "403": ERROR,
                "404": ERROR,
            },
        }
    },
}
