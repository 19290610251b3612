"""/audit: the change log, for administrators."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template
from sqlalchemy import select

from tracker.access import Role, requires
from tracker.audit.models import AuditEvent
from tracker.pagination import SortKey, distinct_values, seek
from tracker.params import ChoiceParam, DateParam, NotAfter, SeekFilterForm, TextParam

bp = Blueprint("audit", __name__)


class AuditFilterForm(SeekFilterForm):
    entity_type = ChoiceParam(
        "Record type", choices=lambda: distinct_values(AuditEvent.entity_type)
    )
    entity_id = TextParam("Record id", max_length=60)
    action = ChoiceParam("Action", choices=lambda: distinct_values(AuditEvent.action))
    actor = ChoiceParam("Who", choices=lambda: distinct_values(AuditEvent.actor_label))
    since = DateParam("From", validators=[NotAfter("until")])
    until = DateParam("To")


# Newest first: the id is the order events were recorded in.
NEWEST_FIRST = (SortKey(AuditEvent.id, descending=True),)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@bp.get("/audit")
@requires(Role.ADMIN)
def list_events():
    form = AuditFilterForm()
    statement = select(AuditEvent)
    if form.entity_type.data:
        statement = statement.where(AuditEvent.entity_type == form.entity_type.data)
    if form.entity_id.data:
        statement = statement.where(AuditEvent.entity_id == form.entity_id.data)
    if form.action.data:
        statement = statement.where(AuditEvent.action == form.action.data)
    if form.actor.data:
        statement = statement.where(AuditEvent.actor_label == form.actor.data)
    if form.since.data:
        statement = statement.where(AuditEvent.occurred_at >= _start_of(form.since.data))
    if form.until.data:
        next_day = form.until.data + dt.timedelta(days=1)
        statement = statement.where(AuditEvent.occurred_at < _start_of(next_day))
    events = seek(statement, NEWEST_FIRST, form.after.data, form.per_page.data)
    return render_template("audit/list.html", events=events, form=form), 200 if form.valid else 400
