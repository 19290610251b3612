"""/api/v1/stats and /api/v1/reviews/<YYYY-Qn>: monthly statistics and the quarterly review, for
signed-in staff only (anonymous callers get 401; nothing of either is public)."""

from __future__ import annotations

import datetime as dt

from flask import abort, jsonify, request

from tracker.api import bp
from tracker.api.params import page_envelope, page_params, state_param
from tracker.auth.access import requires
from tracker.auth.models import Role
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.jurisdictions.models import State
from tracker.outcomes.models import COUNT_FIELDS
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.review import review_quarter
from tracker.outcomes.services import StatisticsFilters, statistics_query, totals
from tracker.pagination import paginate


def _month_param(name: str) -> dt.date | None:
    """?from= / ?to= as a month (YYYY-MM) or a date within one."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01")
        return dt.date.fromisoformat(value).replace(day=1)
    except ValueError as exc:
        raise DomainError(
            f"{name} must be a month written YYYY-MM, got {value!r}.", field=name
        ) from exc


def _moment_param(name: str) -> dt.datetime | None:
    """?known_at= as an ISO date-time (UTC when no offset is given)."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            f"{name} must be a date-time written YYYY-MM-DDTHH:MM:SSZ, got {value!r}.", field=name
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _fips_param() -> str | None:
    value = (request.args.get("fips") or "").strip()
    if value and not (len(value) == 5 and value.isdigit()):
        raise DomainError(f"fips must be a 5-digit FIPS code, got {value!r}.", field="fips")
    return value or None


@bp.get("/stats")
@requires(Role.VIEWER)
def list_statistics():
    """Monthly statistics, a page at a time, with the totals of every row the filters select."""
    postal = state_param()
    state_fips = (
        db.session.scalar(db.select(State.fips).where(State.postal == postal)) if postal else None
    )
    filters = StatisticsFilters(
        fips=_fips_param(),
        state_fips=state_fips,
        month_from=_month_param("from"),
        month_to=_month_param("to"),
        known_at=_moment_param("known_at"),
    )
    if filters.month_from and filters.month_to and filters.month_from > filters.month_to:
        raise DomainError("from must be on or before to.", field="from")
    page, per_page = page_params()
    result = paginate(statistics_query(filters), page, per_page, scalars=False)
    items = [
        {
            "fips": row.jurisdiction_fips,
            "jurisdiction": name,
            "state": state,
            "month": row.month.strftime("%Y-%m"),
            **{name_: getattr(row, name_) for name_ in COUNT_FIELDS},
            "is_demo": row.is_demo,
            "recorded_at": row.recorded_at.isoformat(),
        }
        for row, name, state in result.items
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
    try:
        period = Quarter.parse(quarter)
    except DomainError:
        abort(404, description=f"{quarter!r} is not a quarter; write it like 2010-Q3.")
    review = review_quarter(period)
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


_ERROR = {"$ref": "#/components/responses/Error"}
_COUNT = {"type": "integer", "minimum": 0}
_COUNTS = {name: _COUNT for name in COUNT_FIELDS}
_RATE = {"type": ["number", "null"]}
_STAFF = "Staff only: signed-in viewers or higher (session cookie); anonymous callers get 401."


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


_MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"}
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
                _query("fips", "One jurisdiction (5-digit FIPS code).", {"type": "string"}),
                {"$ref": "#/components/parameters/state"},
                _query("from", "The first month (YYYY-MM).", _MONTH),
                _query("to", "The last month (YYYY-MM).", _MONTH),
                _query(
                    "known_at",
                    "The figures as recorded at this moment (ISO date-time; default now).",
                    {"type": "string", "format": "date-time"},
                ),
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/per_page"},
            ],
            "responses": {
                "200": {
                    "description": "A page of monthly rows and the totals of all of them.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    {"$ref": "#/components/schemas/Page"},
                                    {
                                        "type": "object",
                                        "required": ["totals"],
                                        "properties": {
                                            "items": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["fips", "month", *COUNT_FIELDS],
                                                    "properties": {
                                                        "fips": {"type": "string"},
                                                        "jurisdiction": {"type": "string"},
                                                        "state": {"type": "string"},
                                                        "month": {"type": "string"},
                                                        **_COUNTS,
                                                        "is_demo": {"type": "boolean"},
                                                        "recorded_at": {"type": "string"},
                                                    },
                                                },
                                            },
                                            "totals": {
                                                "type": "object",
                                                "properties": {"jurisdictions": _COUNT, **_COUNTS},
                                            },
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "400": _ERROR,
                "401": _ERROR,
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
                                "required": ["quarter", "metrics"],
                                "properties": {
                                    "quarter": {"type": "string"},
                                    "min_cases": {"type": "integer"},
                                    "jurisdictions_reporting": {"type": "integer"},
                                    "metrics": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "metric",
                                                "national_rate",
                                                "overdispersion",
                                                "outliers",
                                            ],
                                            "properties": {
                                                "metric": {"type": "string"},
                                                "national_rate": _RATE,
                                                "overdispersion": _RATE,
                                                "widened": {"type": "boolean"},
                                                "outliers": {
                                                    "type": "array",
                                                    "items": {
                                                        "type": "object",
                                                        "required": [
                                                            "fips",
                                                            "direction",
                                                            "count",
                                                            "rate",
                                                            "z",
                                                            "limit",
                                                        ],  # fmt: skip
                                                        "properties": {
                                                            "fips": {"type": "string"},
                                                            "direction": {"enum": ["high", "low"]},
                                                            "count": _COUNT,
                                                            "cases": _COUNT,
                                                            "rate": {"type": "number"},
                                                            "z": {"type": "number"},
                                                            "limit": {"enum": ["95%", "99.8%"]},
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        }
                    },
                },
                "401": _ERROR,
                "404": _ERROR,
            },
        }
    },
}
