"""/dashboard: the program's figures for staff, for any as-of date."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.access import Role, requires
from tracker.dashboard.services import program_dashboard
from tracker.outcomes.forms import DashboardForm

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@requires(Role.VIEWER)
def show_dashboard():
    form = DashboardForm()
    if not form.valid:
        return render_template("dashboard/show.html", form=form, figures=None), 400
    figures = program_dashboard(form.as_of.data, form.known_at.data, form.quarter.data)
    return render_template("dashboard/show.html", form=form, figures=figures)
