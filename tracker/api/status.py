"""GET /api/v1/status: the compact status of every jurisdiction on a date.

The map recolours from it on every date change, and other tools read it too. The encoding
(tracker/maps/encoding.py): "statuses" maps each 5-digit FIPS code to [code] or [code, date],
code a = activated (date: activated on), p = planned (date: scheduled for; before as_of means
past due), n = not scheduled, and for staff only d = deferral pending (date: still scheduled
for, if any) and r = removed from the plan. "codes" spells the codes out.

Anonymous callers get the public view (a, p, n) with `Cache-Control: public, max-age=60`;
signed-in staff get all five, `no-store`. Every answer has an ETag naming the data version, date,
state and audience (If-None-Match -> 304), and is gzipped when the client accepts it.
"""

from __future__ import annotations

from tracker.access import is_staff
from tracker.api import bp
from tracker.maps.forms import MapForm
from tracker.maps.geometry import precompressed_response
from tracker.maps.services import status_payload
from tracker.params import ChoiceParam

PUBLIC_MAX_AGE = 60


class StatusForm(MapForm):
    names = ChoiceParam(choices=["0", "1"])


@bp.get("/status")
def map_status():
    form = StatusForm().checked()
    as_of, state, names = form.as_of.data, form.state.data, form.names.data == "1"
    public = not is_staff()
    payload = status_payload(as_of, form.known_at.data, state=state, public=public, names=names)
    headers = {
        "Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}"
        if public
        else "no-store",  # staff answers hold internal statuses: never kept by any cache
        "Vary": "Accept-Encoding, Cookie",
        "X-Data-Version": str(payload.data_version),
    }
    return precompressed_response(
        payload.raw, payload.gzipped, payload.etag, "application/json", headers
    )


_ERROR = {"$ref": "#/components/responses/Error"}
_CODE = {"type": "string", "enum": ["a", "p", "n", "d", "r"]}

OPENAPI_PATHS: dict = {
    "/api/v1/status": {
        "get": {
            "summary": "The compact status of every jurisdiction on a date",
            "description": (
                "One entry per county equivalent, keyed by 5-digit FIPS code: [code] or "
                "[code, date]. Codes: a = activated (date: activated on), p = planned (date: "
                "scheduled for; a date before as_of means past due), n = not scheduled; for "
                "signed-in staff only, d = deferral pending (date: still scheduled for, if any) "
                "and r = removed from the plan. Anonymous callers get the public view. The "
                "ETag changes with the data version, date, state and audience; send it back in "
                "If-None-Match for a 304. Gzipped when Accept-Encoding allows."
            ),
            "operationId": "getStatus",
            "tags": ["status"],
            "parameters": [
                {"$ref": "#/components/parameters/as_of"},
                {"$ref": "#/components/parameters/known_at"},
                {"$ref": "#/components/parameters/state"},
                {
                    "name": "names",
                    "in": "query",
                    "required": False,
                    "description": "1 to add names (FIPS -> full name) and state_names "
                    "(postal -> name).",
                    "schema": {"type": "string", "enum": ["0", "1"]},
                },
            ],
            "responses": {
                "200": {
                    "description": "Every jurisdiction's status on the date.",
                    "headers": {
                        "ETag": {"schema": {"type": "string"}},
                        "Cache-Control": {"schema": {"type": "string"}},
                    },
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "as_of",
                                    "data_version",
                                    "public",
                                    "codes",
                                    "statuses",
                                ],
                                "properties": {
                                    "as_of": {"type": "string", "format": "date"},
                                    "known_at": {
                                        "type": "string",
                                        "format": "date-time",
                                        "description": "Present when known_at was given: the "
                                        "moment (UTC) whose records the answer reads.",
                                    },
                                    "data_version": {"type": "integer"},
                                    "public": {
                                        "type": "boolean",
                                        "description": "True for the anonymous (public) view.",
                                    },
                                    "headline": {
                                        "type": "string",
                                        "description": "The sentence the map shows: how many "
                                        "county equivalents were activated, in how many states "
                                        "and territories.",
                                    },
                                    "codes": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                        "description": "Code -> status name.",
                                    },
                                    "names": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                    "state_names": {
                                        "type": "object",
                                        "additionalProperties": {"type": "string"},
                                    },
                                    "statuses": {
                                        "type": "object",
                                        "description": "FIPS code -> [code] or [code, date].",
                                        "additionalProperties": {
                                            "type": "array",
                                            # [code] or [code, date]. Written as anyOf rather
                                            # than prefixItems, which some OpenAPI tools
                                            # (schemathesis among them) do not read yet.
                                            "items": {
                                                "anyOf": [
                                                    _CODE,
                                                    {"type": "string", "format": "date"},
                                                ]
                                            },
                                            "minItems": 1,
                                            "maxItems": 2,
                                        },
                                    },
                                },
                            },
                            "example": {
                                "as_of": "2010-08-31",
                                "data_version": 4211,
                                "public": True,
                                "headline": "As of 31 August 2010: 1,234 of 3,233 county "
                                "equivalents activated in 31 states",
                                "codes": {
                                    "a": "activated",
                                    "p": "planned",
                                    "n": "not_scheduled",
                                    "d": "deferral_pending",
                                    "r": "removed",
                                },
                                "statuses": {
                                    "48001": ["p", "2011-05-10"],
                                    "48003": ["a", "2009-11-03"],
                                    "48005": ["n"],
                                },
                            },
                        }
                    },
                },
                "304": {"description": "Not modified (the If-None-Match ETag still holds)."},
                "400": _ERROR,
            },
        }
    }
}
