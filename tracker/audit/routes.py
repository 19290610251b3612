"""/audit: the change log, for administrators."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template
from sqlalchemy import select

from tracker.access import Role, requires
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.pagination import paginate
from tracker.params import ChoiceParam, DateParam, NotAfter, PagedFilterForm, TextParam

bp = Blueprint("audit", __name__)


def _distinct(column) -> list[str]:
    return list(db.session.scalars(select(column).distinct().order_by(column)))


class AuditFilterForm(PagedFilterForm):
    entity_type = ChoiceParam("Record type", choices=lambda: _distinct(AuditEvent.entity_type))
    entity_id = TextParam("Record id", max_length=60)
    action = ChoiceParam("Action", choices=lambda: _distinct(AuditEvent.action))
    actor = TextParam("Who", max_length=254)
    since = DateParam("From", validators=[NotAfter("until")])
    until = DateParam("To")


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@bp.get("/audit")
@requires(Role.ADMIN)
def list_events():
    form = AuditFilterForm()
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.entity_type.data:
        statement = statement.where(AuditEvent.entity_type == form.entity_type.data)
    if form.entity_id.data:
        statement = statement.where(AuditEvent.entity_id == form.entity_id.data)
    if form.action.data:
        statement = statement.where(AuditEvent.action == form.action.data)
    if form.actor.data:
        statement = statement.where(AuditEvent.actor_label.ilike(f"%{form.actor.data}%"))
    if form.since.data:
        statement = statement.where(AuditEvent.occurred_at >= _start_of(form.since.data))
    if form.until.data:
        next_day = form.until.data + dt.timedelta(days=1)
        statement = statement.where(AuditEvent.occurred_at < _start_of(next_day))
    events = paginate(statement, form.page.data, form.per_page.data)
    return render_template("audit/list.html", events=events, form=form), 200 if form.valid else 400
