"""GET /api/v1/briefings: the briefing log for staff, filtered and paged, as the records stand
now or stood at `known_at`."""

from __future__ import annotations

from flask import jsonify

from tracker.access import Role, requires
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
from tracker.briefings.forms import BriefingFilterForm
from tracker.briefings.models import Briefing, BriefingKind, BriefingVersion
from tracker.pagination import paginate


def briefing_json(briefing: Briefing | BriefingVersion) -> dict:
    """One briefing as the API shows it (or its kept version, as the records stood then)."""
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
    body = page_envelope(result, [briefing_json(b) for b in result.items])
    body["known_at"] = moment(form.known_at.data)
    return jsonify(body)


_BRIEFING = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "held_on": DATE,
        "kind": {"type": "string", "enum": [k.value for k in BriefingKind]},
        "kind_label": {"type": "string"},
        "states": {"type": "array", "items": {"type": "string"}},
        "jurisdictions": {"type": "array", "items": {"type": "string"}},
        "presenter": {"type": ["string", "null"]},
        "attendees": {"type": ["string", "null"]},
        "materials_version": {"type": ["string", "null"]},
        "notes": {"type": ["string", "null"]},
        "is_demo": {"type": "boolean"},
        "version": {"type": "integer"},
    },
}

OPENAPI_PATHS: dict = {
    "/briefings": {
        "get": {
            "operationId": "listBriefings",
            "summary": "Briefings (staff only), most recent first",
            "description": (
                "SIB meetings, local law-enforcement briefings, advance notices, community "
                "meetings and others, with the states and jurisdictions each covered. Requires a "
                "signed-in staff session (viewer or higher). With known_at, the briefings "
                "recorded by then, each with its date, kind and coverage as kept then."
            ),
            "tags": ["briefings"],
            "parameters": [
                param(
                    "state",
                    "Postal or FIPS code: briefings covering the state or any of its jurisdictions.",
                ),
                param(
                    "kind",
                    "Kind of briefing.",
                    {"type": "string", "enum": [k.value for k in BriefingKind]},
                ),
                param("from", "Held on or after this date.", DATE),
                param("to", "Held on or before this date.", DATE),
                KNOWN_AT,
                *PAGING,
            ],
            "responses": {
                "200": paged("One page of briefings.", _BRIEFING, known_at=MOMENT),
                "400": ERROR,
                "401": ERROR,
                "403": ERROR,
            },
        }
    }
}
