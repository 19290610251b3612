"""/audit: the change log, for administrators."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from sqlalchemy import select

from tracker.access import Role, requires
from tracker.audit.models import AuditEvent
from tracker.dates import parse_iso_date
from tracker.extensions import db
from tracker.pagination import paginate, parse_page_args

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@requires(Role.ADMIN)
def list_events():
    args = request.args
    page, per_page = parse_page_args(args.get("page"), args.get("per_page"))
    since = parse_iso_date(args.get("since"), "since")
    until = parse_iso_date(args.get("until"), "until")
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if entity_type := args.get("entity_type", "").strip():
        statement = statement.where(AuditEvent.entity_type == entity_type)
    if entity_id := args.get("entity_id", "").strip():
        statement = statement.where(AuditEvent.entity_id == entity_id)
    if action := args.get("action", "").strip():
        statement = statement.where(AuditEvent.action == action)
    if actor := args.get("actor", "").strip():
        statement = statement.where(AuditEvent.actor_label.ilike(f"%{actor}%"))
    if since:
        statement = statement.where(
            AuditEvent.occurred_at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        )
    if until:
        statement = statement.where(
            AuditEvent.occurred_at
            < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        )
    events = paginate(statement, page, per_page)
    entity_types = db.session.scalars(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    ).all()
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    return render_template(
        "audit/list.html", events=events, entity_types=entity_types, actions=actions, args=args
    )
