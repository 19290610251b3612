"""/api/v1/activations: the activated-jurisdiction list as of a date, a page at a time.

The same rows as /activated and /exports/activated.json (exports.sources.activated_rows), in the
paging envelope every list endpoint uses. Public: anyone may read it. Each call is logged as an
export with channel "api".
"""

from __future__ import annotations

from flask import jsonify, request

from tracker.api import bp
from tracker.api.params import as_of_param, iso, page_envelope, page_params, state_param
from tracker.dates import parse_iso_date
from tracker.errors import DomainError
from tracker.exports.services import actor_id, list_filters, record_export
from tracker.exports.sources import activated_rows
from tracker.extensions import db
from tracker.pagination import Page


@bp.get("/activations")
def list_activations():
    """Activated jurisdictions on `as_of` (default today), optionally one state and an activation
    date range, ordered by FIPS."""
    as_of = as_of_param()
    state = state_param()
    date_from = parse_iso_date(request.args.get("from"), "from")
    date_to = parse_iso_date(request.args.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise DomainError("from must be on or before to.", field="from")
    page, per_page = page_params()
    _columns, rows = activated_rows(
        as_of, state=state, activated_from=date_from, activated_to=date_to
    )
    start = (page - 1) * per_page
    result = Page(
        items=rows[start : start + per_page], page=page, per_page=per_page, total=len(rows)
    )
    items = [
        {
            "fips": fips,
            "jurisdiction": jurisdiction,
            "state": postal,
            "state_name": state_name,
            "activated_on": iso(activated_on),
        }
        for postal, state_name, fips, jurisdiction, activated_on in result.items
    ]
    filters = list_filters(state, date_from, date_to)
    user_id = actor_id()
    db.session.rollback()  # the log is written in a transaction of its own: see record_export
    record_export("activated", "json", as_of, filters, len(items), channel="api", user_id=user_id)
    db.session.commit()
    body = page_envelope(result, items)
    body["as_of"] = as_of.isoformat()
    return jsonify(body)


_ERROR = {"$ref": "#/components/responses/Error"}

OPENAPI_PATHS: dict = {
    "/api/v1/activations": {
        "get": {
            "summary": "Activated jurisdictions on a date, a page at a time",
            "description": "The public activated-jurisdiction list (the same rows as /activated "
            "and its exports), ordered by FIPS code.",
            "operationId": "listActivations",
            "tags": ["activations"],
            "parameters": [
                {"$ref": "#/components/parameters/as_of"},
                {"$ref": "#/components/parameters/state"},
                {
                    "name": "from",
                    "in": "query",
                    "required": False,
                    "description": "Only jurisdictions activated on or after this date.",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "to",
                    "in": "query",
                    "required": False,
                    "description": "Only jurisdictions activated on or before this date.",
                    "schema": {"type": "string", "format": "date"},
                },
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/per_page"},
            ],
            "responses": {
                "200": {
                    "description": "One page of activated jurisdictions.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    {"$ref": "#/components/schemas/Page"},
                                    {
                                        "type": "object",
                                        "required": ["as_of"],
                                        "properties": {
                                            "as_of": {"type": "string", "format": "date"},
                                            "items": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/Activation"
                                                },
                                            },
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "400": _ERROR,
            },
        }
    }
}
