"""/api/v1/summary, /api/v1/jurisdictions and /api/v1/jurisdictions/<fips>.

Anonymous callers get the public view: statuses activated, planned and not_scheduled only (a
pending deferral reads as planned, a removal as not scheduled), and the public view of the plan
history (tracker.plan.public: dates in force and reason categories, no text typed by staff, no
letter references, no removal trail). Signed-in staff get all five statuses and the whole
history. Every answer is for one date, `as_of` (default today), and only facts dated on or
before it count, so the same question always gets the same answer.
"""

from __future__ import annotations

from flask import jsonify

from tracker.access import is_staff
from tracker.api import bp
from tracker.api.envelope import (
    DATE,
    ERROR,
    KNOWN_AT,
    MOMENT,
    PAGING,
    iso,
    moment,
    page_envelope,
    paged,
    param,
)
from tracker.briefings.services import briefing_reach
from tracker.deferrals.clocks import letter_counts
from tracker.jurisdictions import services
from tracker.jurisdictions.forms import JurisdictionFilterForm
from tracker.jurisdictions.timeline import plan_history
from tracker.overview.figures import headline_figures
from tracker.pagination import page_of
from tracker.params import AsKnownForm
from tracker.plan.public import ReasonCategory, public_plan_history, reason_categories
from tracker.status.rule import (
    PUBLIC_STATUSES,
    STAFF_STATUSES,
    JurisdictionStatus,
    cached_status_as_of,
    count_by_status,
)


def _status_item(row: JurisdictionStatus) -> dict:
    return {
        "fips": row.fips,
        "name": row.name,
        "full_name": row.full_name,
        "state": row.state_postal,
        "state_fips": row.state_fips,
        "state_name": row.state_name,
        "status": row.status.value,
        "scheduled_on": iso(row.scheduled_on),
        "activated_on": iso(row.activated_on),
        "past_due": row.past_due,
    }


@bp.get("/summary")
def summary():
    """Counts by status on `as_of`, how many states and territories have an activation, the
    briefings' reach, and (staff only) the deferral letters open, overdue and urgent."""
    params = AsKnownForm().checked()
    as_of, known_at = params.as_of.data, params.known_at.data
    staff = is_staff()
    figures = headline_figures(as_of, known_at)
    visible = STAFF_STATUSES if staff else PUBLIC_STATUSES
    counts = count_by_status(cached_status_as_of(as_of, known_at, public=not staff))
    reach = briefing_reach(as_of, known_at)
    body = {
        "as_of": as_of.isoformat(),
        "known_at": moment(known_at),
        "total": figures.headline.total,
        "counts": {status.value: counts[status] for status in visible},
        "states_with_activation": figures.headline.states,
        "territories_with_activation": figures.headline.territories,
        "briefed_jurisdictions": reach.jurisdictions,
        "briefed_states": reach.states,
        "briefed_territories": reach.territories,
        "has_demo_data": figures.has_demo_data,
    }
    if staff:
        letters = letter_counts(as_of, known_at)
        body["open_deferrals"] = letters["open"]
        body["overdue_deferrals"] = letters["overdue"]
        body["urgent_deferrals"] = letters["urgent"]
    return jsonify(body)


@bp.get("/jurisdictions")
def list_jurisdictions():
    """One page of jurisdictions with their status on `as_of`, by state and name."""
    staff = is_staff()
    form = JurisdictionFilterForm(public=not staff, sort="state").checked()
    query = form.jurisdiction_query()
    rows = services.find_jurisdictions(query, public=not staff)
    result = page_of(rows, form.page.data, form.per_page.data)
    body = page_envelope(result, [_status_item(row) for row in result.items])
    body["as_of"] = query.as_of.isoformat()
    body["known_at"] = moment(query.known_at)
    return jsonify(body)


@bp.get("/jurisdictions/<fips>")
def show_jurisdiction(fips: str):
    """One jurisdiction's status on `as_of` and the plan history known on that date: for the
    public, its public view (tracker.plan.public); for staff, every change in full."""
    params = AsKnownForm().checked()
    as_of, known_at = params.as_of.data, params.known_at.data
    staff = is_staff()
    row = services.status_of(fips, as_of, known_at, public=not staff)
    changes = plan_history(row.fips, as_of=as_of, known_at=known_at)
    body = _status_item(row)
    body["as_of"] = as_of.isoformat()
    body["known_at"] = moment(known_at)
    body["plan_history"] = _staff_history(changes) if staff else _public_history(changes)
    return jsonify(body)


def _public_history(changes) -> list[dict]:
    return [
        {
            "kind": "scheduled",
            "scheduled_on": iso(entry.scheduled_on),
            "decided_on": entry.decided_on.isoformat(),
            "reason_category": entry.reason_category.value,
            "is_demo": entry.is_demo,
        }
        for entry in public_plan_history(changes)
    ]


def _staff_history(changes) -> list[dict]:
    return [
        {
            "kind": change.kind.value,
            "scheduled_on": iso(change.scheduled_on),
            "decided_on": change.decided_on.isoformat(),
            "reason_category": category.value,
            "is_demo": change.is_demo,
            "reason": change.reason,
            "source": change.source,
            "deferral_request_id": change.deferral_request_id,
            "recorded_by": change.recorded_by.email if change.recorded_by else None,
        }
        for change, category in zip(changes, reason_categories(changes), strict=True)
    ]


# --- OpenAPI ---------------------------------------------------------------------------------

_AS_OF = param(
    "as_of",
    "The date the answer is for (YYYY-MM-DD, 2000-01-01 to 2100-12-31); default today.",
    DATE,
)
_STATUS_VALUES = [status.value for status in STAFF_STATUSES]
_STATUS_ITEM = {
    "type": "object",
    "properties": {
        "fips": {"type": "string", "pattern": "^[0-9]{5}$"},
        "name": {"type": "string"},
        "full_name": {"type": "string"},
        "state": {"type": "string", "description": "Postal code"},
        "state_fips": {"type": "string"},
        "state_name": {"type": "string"},
        "status": {
            "type": "string",
            "enum": _STATUS_VALUES,
            "description": "Anonymous callers see only activated, planned and not_scheduled.",
        },
        "scheduled_on": {"type": ["string", "null"], "format": "date"},
        "activated_on": {"type": ["string", "null"], "format": "date"},
        "past_due": {"type": "boolean"},
    },
}

OPENAPI_PATHS: dict = {
    "/api/v1/summary": {
        "get": {
            "summary": "Counts of jurisdictions by status on a date",
            "operationId": "getSummary",
            "parameters": [_AS_OF, KNOWN_AT],
            "responses": {
                "200": {
                    "description": "Counts by status (staff: all five statuses), the number of "
                    "states and territories with at least one activation, and the total.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "as_of": {"type": "string", "format": "date"},
                                    "known_at": MOMENT,
                                    "total": {"type": "integer"},
                                    "counts": {
                                        "type": "object",
                                        "additionalProperties": {"type": "integer"},
                                    },
                                    "states_with_activation": {"type": "integer"},
                                    "territories_with_activation": {"type": "integer"},
                                    "briefed_jurisdictions": {
                                        "type": "integer",
                                        "description": "Jurisdictions named by a local "
                                        "law-enforcement briefing or advance notice held on or "
                                        "before as_of.",
                                    },
                                    "briefed_states": {
                                        "type": "integer",
                                        "description": "States (DC included) they lie in.",
                                    },
                                    "briefed_territories": {"type": "integer"},
                                    "has_demo_data": {"type": "boolean"},
                                    "open_deferrals": {
                                        "type": "integer",
                                        "description": "Staff only: letters open on as_of.",
                                    },
                                    "overdue_deferrals": {
                                        "type": "integer",
                                        "description": "Staff only: open letters with no meeting "
                                        "requested in time.",
                                    },
                                    "urgent_deferrals": {
                                        "type": "integer",
                                        "description": "Staff only: open letters within the urgent "
                                        "window of a scheduled activation.",
                                    },
                                },
                            }
                        }
                    },
                },
                "400": ERROR,
            },
        }
    },
    "/api/v1/jurisdictions": {
        "get": {
            "summary": "Jurisdictions and their status on a date, a page at a time",
            "operationId": "listJurisdictions",
            "parameters": [
                _AS_OF,
                KNOWN_AT,
                param("state", "Postal code (TX) or state FIPS code (48)."),
                param(
                    "status",
                    "One status, or past_due (a planned date passed without activation). "
                    "Anonymous callers may use only activated, planned, not_scheduled and "
                    "past_due.",
                    {"type": "string", "enum": [*_STATUS_VALUES, "past_due"]},
                ),
                param("q", "Search: the start of a FIPS code, or part of a name."),
                param(
                    "sort",
                    "Order of the rows; default state (then name).",
                    {"type": "string", "enum": list(services.SORT_LABELS)},
                ),
                param(
                    "order",
                    "asc (default) or desc.",
                    {"type": "string", "enum": ["asc", "desc"], "default": "asc"},
                ),
                *PAGING,
            ],
            "responses": {
                "200": paged(
                    "One page of jurisdictions", _STATUS_ITEM, as_of=DATE, known_at=MOMENT
                ),
                "400": ERROR,
            },
        }
    },
    "/api/v1/jurisdictions/{fips}": {
        "get": {
            "summary": "One jurisdiction's status on a date and its plan history up to then",
            "operationId": "getJurisdiction",
            "parameters": [
                {
                    "name": "fips",
                    "in": "path",
                    "required": True,
                    "description": "5-digit county FIPS code",
                    "schema": {"type": "string", "pattern": "^[0-9]{5}$"},
                },
                _AS_OF,
                KNOWN_AT,
            ],
            "responses": {
                "200": {
                    "description": "Status, dates and the plan changes decided on or before "
                    "as_of. Anonymous callers get the public view: the scheduled dates in force "
                    "since the last removal, each with its reason category; never a removal, "
                    "the reason or source staff wrote, a deferral link or who recorded it.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    _STATUS_ITEM,
                                    {
                                        "type": "object",
                                        "properties": {
                                            "as_of": {"type": "string", "format": "date"},
                                            "known_at": MOMENT,
                                            "plan_history": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "properties": {
                                                        "kind": {
                                                            "type": "string",
                                                            "enum": ["scheduled", "removed"],
                                                        },
                                                        "scheduled_on": {
                                                            "type": ["string", "null"],
                                                            "format": "date",
                                                        },
                                                        "decided_on": {
                                                            "type": "string",
                                                            "format": "date",
                                                        },
                                                        "reason_category": {
                                                            "type": "string",
                                                            "enum": [
                                                                c.value for c in ReasonCategory
                                                            ],
                                                            "description": "scheduled: a "
                                                            "first date; rescheduled: a new "
                                                            "date replacing the one in force; "
                                                            "removed (staff only).",
                                                        },
                                                        "is_demo": {"type": "boolean"},
                                                        "reason": {
                                                            "type": "string",
                                                            "description": "Staff only",
                                                        },
                                                        "source": {
                                                            "type": "string",
                                                            "description": "Staff only",
                                                        },
                                                        "deferral_request_id": {
                                                            "type": ["integer", "null"],
                                                            "description": "Staff only",
                                                        },
                                                        "recorded_by": {
                                                            "type": ["string", "null"],
                                                            "description": "Staff only",
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
}
