"""/dashboard: the program's figures for staff, for any as-of date."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.access import Role, requires
from tracker.dashboard.services import program_dashboard
from tracker.dates import parse_iso_date, today
from tracker.deferrals.labels import STATUS_LABELS
from tracker.errors import DomainError

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@requires(Role.VIEWER)
def show_dashboard():
    try:
        as_of = parse_iso_date(request.args.get("as_of"), "as_of", default=today())
    except DomainError as exc:
        return render_template("dashboard/show.html", error=exc.message, figures=None), 400
    return render_template(
        "dashboard/show.html",
        figures=program_dashboard(as_of),
        error=None,
        status_labels=STATUS_LABELS,
    )
