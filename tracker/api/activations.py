"""/api/v1/activations: the activated-jurisdiction list as of a date, a page at a time.

The same rows as /activated and /exports/activated.json (exports.sources.activated_rows), in the
paging envelope every list endpoint uses. Public: anyone may read it. Each call is logged as an
export with channel "api".
"""

from __future__ import annotations

from flask import jsonify

from tracker.api import bp
from tracker.api.envelope import MOMENT, iso, moment, page_envelope
from tracker.exports.forms import ListFilterForm
from tracker.exports.services import commit_export_record, list_filters
from tracker.exports.sources import activated_rows
from tracker.pagination import page_of


@bp.get("/activations")
def list_activations():
    """Activated jurisdictions on `as_of` (default today), optionally one state and an activation
    date range, ordered by FIPS."""
    form = ListFilterForm("activated").checked()
    filters = form.list_filters()
    _columns, rows = activated_rows(
        filters["as_of"],
        known_at=filters["known_at"],
        state=filters["state"],
        activated_from=filters["date_from"],
        activated_to=filters["date_to"],
    )
    result = page_of(rows, form.page.data, form.per_page.data)
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
    given = list_filters(
        filters["state"], filters["date_from"], filters["date_to"], filters["known_at"]
    )
    commit_export_record("activated", "json", filters["as_of"], given, len(items), channel="api")
    body = page_envelope(result, items)
    body["as_of"] = filters["as_of"].isoformat()
    body["known_at"] = moment(filters["known_at"])
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
                {"$ref": "#/components/parameters/known_at"},
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
                                            "known_at": MOMENT,
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
