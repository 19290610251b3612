"""GET /api/v1/deferrals and /api/v1/deferrals/<id>: the deferral log for signed-in staff.

The same filters as the /deferrals page (tracker.deferrals.log), the same status and clocks
judged on `as_of`, from the records as they stood at `known_at` (default now). Anonymous callers
get 401: letters, senders and attachments are never public.
"""

from __future__ import annotations

from flask import jsonify, url_for

from tracker.access import Role, requires
from tracker.api import bp
from tracker.api.envelope import (
    DATE,
    ERROR,
    KNOWN_AT,
    MOMENT,
    SEEK_PAGING,
    iso,
    moment,
    param,
    seek_envelope,
    seek_paged,
)
from tracker.deferrals import queries
from tracker.deferrals.clocks import Badges, badges_for
from tracker.deferrals.log import OPEN, SORTS, LogFilterForm, log_page
from tracker.deferrals.models import (
    AddressedTo,
    Attachment,
    Channel,
    DeferralNote,
    DeferralRequest,
    DeferralRequestVersion,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.params import AsKnownForm
from tracker.plan.models import PlanChange


def deferral_json(
    letter: DeferralRequest | DeferralRequestVersion,
    badges: Badges,
    attachments: list[Attachment],
    *,
    notes: list[DeferralNote] | None = None,
    plan_changes: list[PlanChange] | None = None,
) -> dict:
    """One request as the API shows it (or its kept version, as the records stood at a moment),
    with `attachments`; the detail adds `notes`, the dated steps and `plan_changes`."""
    item = {
        "id": letter.id,
        "jurisdiction_fips": letter.jurisdiction_fips,
        "jurisdiction": letter.jurisdiction.label,
        "state": letter.jurisdiction.state.postal,
        "letter_date": iso(letter.letter_date),
        "received_on": iso(letter.received_on),
        "channel": letter.channel.value,
        "sender_name": letter.sender_name,
        "sender_title": letter.sender_title,
        "sender_agency": letter.sender_agency,
        "addressed_to": letter.addressed_to.value,
        "kind": letter.kind.value,
        "requested_date": iso(letter.requested_date),
        "summary": letter.summary,
        "status": letter.status.value,
        "status_as_of": badges.status.value if badges.status else None,
        "meeting_requested_on": iso(letter.meeting_requested_on),
        "meeting_held_on": iso(letter.meeting_held_on),
        "resolution": letter.resolution.value if letter.resolution else None,
        "resolved_on": iso(letter.resolved_on),
        "adjusted_to": iso(letter.adjusted_to),
        "overdue": badges.overdue,
        "urgent": badges.urgent,
        "meeting_due_by": iso(badges.meeting_due_by),
        "scheduled_on": iso(badges.scheduled_on),
        "is_demo": letter.is_demo,
        "version": letter.version_id,
        "attachments": [
            {
                "id": a.id,
                "filename": a.filename,
                "download_name": a.download_name,
                "media_type": a.media_type,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
                "url": url_for(
                    "deferrals.download_attachment", request_id=letter.id, attachment_id=a.id
                ),
            }
            for a in attachments
        ],
    }
    if notes is not None:
        item["notes"] = [
            {
                "id": n.id,
                "body": n.body,
                "author": n.author.email if n.author else None,
                "created_at": n.created_at.isoformat(),
            }
            for n in notes
        ]
        item["steps"] = [
            {"on": iso(day), "what": text} for day, text in queries.timeline_steps(letter)
        ]
        item["plan_changes"] = [
            {
                "id": c.id,
                "kind": c.kind.value,
                "scheduled_on": iso(c.scheduled_on),
                "decided_on": iso(c.decided_on),
                "reason": c.reason,
            }
            for c in plan_changes or []
        ]
    return item


@bp.get("/deferrals")
@requires(Role.VIEWER)
def list_deferrals():
    form = LogFilterForm().checked()
    filters = form.log_filters()
    page = log_page(filters, form.after.data, form.per_page.data)
    items = [deferral_json(r.request, r.badges, r.attachments) for r in page.items]
    body = seek_envelope(page, items, form.query())
    body["as_of"] = filters.as_of.isoformat()
    body["known_at"] = moment(filters.known_at)
    return jsonify(body)


@bp.get("/deferrals/<int:request_id>")
@requires(Role.VIEWER)
def get_deferral(request_id: int):
    form = AsKnownForm().checked()
    as_of, known_at = form.as_of.data, form.known_at.data
    if known_at is None:
        letter = queries.get_request(request_id)
        attachments, notes = letter.attachments, letter.notes
    else:
        letter = queries.letter_known_at(request_id, known_at)
        attachments = queries.attachments_known_at([request_id], known_at)[request_id]
        notes = queries.notes_known_at(request_id, known_at)
    item = deferral_json(
        letter,
        badges_for([letter], as_of, known_at)[letter.id],
        attachments,
        notes=notes,
        plan_changes=queries.linked_plan_changes(letter, known_at=known_at),
    )
    item["known_at"] = moment(known_at)
    return jsonify(item)


_NULLDATE = {"type": ["string", "null"], "format": "date"}
_NULL_TEXT = {"type": ["string", "null"]}
_AS_OF = param("as_of", "Judge status, overdue and urgent on this date (default today).", DATE)
_DEFERRAL_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "jurisdiction_fips": {"type": "string"},
        "jurisdiction": {"type": "string"},
        "state": {"type": "string"},
        "letter_date": DATE,
        "received_on": DATE,
        "channel": {"type": "string", "enum": [c.value for c in Channel]},
        "sender_name": {"type": "string"},
        "sender_title": _NULL_TEXT,
        "sender_agency": _NULL_TEXT,
        "addressed_to": {"type": "string", "enum": [a.value for a in AddressedTo]},
        "kind": {"type": "string", "enum": [k.value for k in RequestKind]},
        "requested_date": _NULLDATE,
        "summary": _NULL_TEXT,
        "status": {"type": "string", "enum": [s.value for s in DeferralStatus]},
        "status_as_of": {"type": ["string", "null"]},
        "meeting_requested_on": _NULLDATE,
        "meeting_held_on": _NULLDATE,
        "resolution": {"type": ["string", "null"], "enum": [r.value for r in Resolution] + [None]},
        "resolved_on": _NULLDATE,
        "adjusted_to": _NULLDATE,
        "overdue": {"type": "boolean"},
        "urgent": {"type": "boolean"},
        "meeting_due_by": _NULLDATE,
        "scheduled_on": _NULLDATE,
        "is_demo": {"type": "boolean"},
        "version": {"type": "integer"},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "filename": {"type": "string", "description": "As uploaded"},
                    "download_name": {
                        "type": "string",
                        "description": "The name it downloads under: the uploaded name with an "
                        "extension matching the type of its content.",
                    },
                    "media_type": {"type": "string"},
                    "size_bytes": {"type": "integer"},
                    "sha256": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
    },
}

_DETAIL_SCHEMA = {
    **_DEFERRAL_SCHEMA,
    "properties": {**_DEFERRAL_SCHEMA["properties"], "known_at": MOMENT},
}

OPENAPI_PATHS: dict = {
    "/deferrals": {
        "get": {
            "operationId": "listDeferrals",
            "summary": "Deferral letters (staff only), with their workflow status and clocks",
            "description": (
                "The deferral log with the filters of the /deferrals page. Requires a signed-in "
                "staff session (viewer or higher); anonymous callers get 401."
            ),
            "tags": ["deferrals"],
            "parameters": [
                _AS_OF,
                KNOWN_AT,
                param(
                    "status",
                    "Workflow status on as_of, or open.",
                    {"type": "string", "enum": [OPEN, *(s.value for s in DeferralStatus)]},
                ),
                param("state", "State postal or FIPS code."),
                param(
                    "channel",
                    "How the letter arrived.",
                    {"type": "string", "enum": [c.value for c in Channel]},
                ),
                param(
                    "kind",
                    "What is asked.",
                    {"type": "string", "enum": [k.value for k in RequestKind]},
                ),
                param("received_from", "Received on or after this date.", DATE),
                param("received_to", "Received on or before this date.", DATE),
                param(
                    "overdue",
                    "1: only requests overdue on as_of.",
                    {"type": "string", "enum": ["1"]},
                ),
                param(
                    "urgent", "1: only requests urgent on as_of.", {"type": "string", "enum": ["1"]}
                ),
                param(
                    "q",
                    "Search: words that each begin a word of the sender's name, title or agency, "
                    "the summary, or the jurisdiction's name, state or FIPS code (case and "
                    "accents ignored).",
                ),
                param("sort", "Order of the items.", {"type": "string", "enum": list(SORTS)}),
                *SEEK_PAGING,
            ],
            "responses": {
                "200": seek_paged(
                    "One page of deferral requests.",
                    _DEFERRAL_SCHEMA,
                    as_of=DATE,
                    known_at=MOMENT,
                ),
                "400": ERROR,
                "401": ERROR,
            },
        }
    },
    "/deferrals/{request_id}": {
        "get": {
            "operationId": "getDeferral",
            "summary": "One deferral request (staff only) with notes, steps and plan changes",
            "tags": ["deferrals"],
            "parameters": [
                {
                    "name": "request_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
                _AS_OF,
                KNOWN_AT,
            ],
            "responses": {
                "200": {
                    "description": "The request (with known_at: as the records stood then, "
                    "with the attachments, notes and plan changes recorded by then; 404 when "
                    "it had not been logged by then).",
                    "content": {"application/json": {"schema": _DETAIL_SCHEMA}},
                },
                "400": ERROR,
                "401": ERROR,
                "404": ERROR,
            },
        }
    },
}
