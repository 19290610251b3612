"""GET /api/v1/briefings: the briefing log for staff, filtered and paged."""

from __future__ import annotations

from flask import jsonify

from tracker.access import Role, requires
from tracker.api import bp
from tracker.api.envelope import iso, page_envelope
from tracker.briefings.forms import BriefingFilterForm
from tracker.briefings.models import Briefing, BriefingKind
from tracker.pagination import paginate


def briefing_json(briefing: Briefing) -> dict:
    return {
        "id": briefing.id,
        "held_on": iso(briefing.held_on),
        "kind": briefing.kind.value,
        "kind_label": briefing.kind.label,
        "states": sorted(s.postal for s in briefing.states),
        "jurisdictions": sorted(j.fips for j in briefing.jurisdictions),
        "presenter": briefing.presenter,
        "attendees": briefing.attendees,
        "materials_version": briefing.materials_version,
        "notes": briefing.notes,
        "is_demo": briefing.is_demo,
        "version": briefing.version_id,
    }


@bp.get("/briefings")
@requires(Role.VIEWER)
def list_briefings():
    form = BriefingFilterForm().checked()
    result = paginate(form.query_statement(), form.page.data, form.per_page.data)
    return jsonify(page_envelope(result, [briefing_json(b) for b in result.items]))


_ERROR = {"$ref": "#/components/responses/Error"}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


OPENAPI_PATHS: dict = {
    "/briefings": {
        "get": {
            "operationId": "listBriefings",
            "summary": "Briefings (staff only), most recent first",
            "description": (
                "SIB meetings, local law-enforcement briefings, advance notices, community "
                "meetings and others, with the states and jurisdictions each covered. Requires a "
                "signed-in staff session (viewer or higher)."
            ),
            "tags": ["briefings"],
            "parameters": [
                _query(
                    "state",
                    "Postal or FIPS code: briefings covering the state or any of its jurisdictions.",
                    {"type": "string"},
                ),
                _query(
                    "kind",
                    "Kind of briefing.",
                    {"type": "string", "enum": [k.value for k in BriefingKind]},
                ),
                _query("from", "Held on or after this date.", {"type": "string", "format": "date"}),
                _query("to", "Held on or before this date.", {"type": "string", "format": "date"}),
                _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
                _query(
                    "per_page",
                    "Items per page (default 50, at most 500).",
                    {"type": "integer", "minimum": 1, "maximum": 500},
                ),
            ],
            "responses": {
                "200": {
                    "description": "One page of briefings.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["items", "page", "per_page", "total", "pages"],
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "id": {"type": "integer"},
                                                "held_on": {"type": "string", "format": "date"},
                                                "kind": {
                                                    "type": "string",
                                                    "enum": [k.value for k in BriefingKind],
                                                },
                                                "kind_label": {"type": "string"},
                                                "states": {
                                                    "type": "array",
                                                    "items": {"type": "string"},
                                                },
                                                "jurisdictions": {
                                                    "type": "array",
                                                    "items": {"type": "string"},
                                                },
                                                "presenter": {"type": ["string", "null"]},
                                                "attendees": {"type": ["string", "null"]},
                                                "materials_version": {"type": ["string", "null"]},
                                                "notes": {"type": ["string", "null"]},
                                                "is_demo": {"type": "boolean"},
                                                "version": {"type": "integer"},
                                            },
                                        },
                                    },
                                    "page": {"type": "integer"},
                                    "per_page": {"type": "integer"},
                                    "total": {"type": "integer"},
                                    "pages": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "400": _ERROR,
                "401": _ERROR,
                "403": _ERROR,
            },
        }
    }
}
