"""/briefings: the log of briefings, one briefing, and the form that logs or corrects it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from tracker.access import Role, requires, user_has
from tracker.briefings import services
from tracker.briefings.forms import BriefingFilterForm, BriefingForm
from tracker.briefings.models import Briefing
from tracker.dates import today
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.pagination import paginate
from tracker.registry.lookup import parse_jurisdiction_lines
from tracker.registry.models import State

bp = Blueprint("briefings", __name__)


def _all_states() -> list[State]:
    return list(db.session.scalars(select(State).order_by(State.name)))


@bp.get("/briefings")
@requires(Role.VIEWER)
def list_briefings():
    form = BriefingFilterForm()
    briefings = paginate(form.query_statement(), form.page.data, form.per_page.data)
    return render_template(
        "briefings/list.html", briefings=briefings, form=form, can_edit=user_has(Role.EDITOR)
    ), 200 if form.valid else 400


def _save(form: BriefingForm, briefing_id: int | None):
    """Log or update from a validated form: (briefing, 200), or (None, 400 or 409) with the
    error shown on the form (a stale version is flashed: it concerns the whole form)."""
    values = dict(
        held_on=form.held_on.data,
        kind=form.kind.data,
        every_jurisdiction_in=form.every_jurisdiction_in.data or [],
        states=form.states.data or [],
        presenter=form.presenter.data,
        attendees=form.attendees.data,
        materials_version=form.materials_version.data,
        notes=form.notes.data,
    )
    try:
        values["jurisdiction_fips"] = parse_jurisdiction_lines(form.jurisdictions.data)
        if briefing_id is None:
            return services.log_briefing(**values), 200
        try:
            version = int(form.version.data)
        except (TypeError, ValueError):
            abort(400)
        return services.update_briefing(
            briefing_id, expected_version=version, reason=form.reason.data, **values
        ), 200
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return None, 409
    except DomainError as exc:
        db.session.rollback()
        target = getattr(form, exc.field or "", None) or form.jurisdictions
        target.errors = [*target.errors, exc.message]
        return None, 400


def _form_page(form: BriefingForm, briefing: Briefing | None, done: str):
    """Show the briefing form; on a valid post save it, commit, and go to the briefing."""
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        saved, status = _save(form, briefing.id if briefing else None)
        if saved is not None:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("briefings.show_briefing", briefing_id=saved.id), code=303)
    return render_template("briefings/form.html", form=form, briefing=briefing), status


@bp.route("/briefings/new", methods=["GET", "POST"])
@requires(Role.EDITOR)
def new_briefing():
    form = BriefingForm(held_on=today())
    form.set_state_choices(_all_states())
    return _form_page(form, None, "Briefing logged.")


@bp.get("/briefings/<int:briefing_id>")
@requires(Role.VIEWER)
def show_briefing(briefing_id: int):
    briefing = services.get_briefing(briefing_id)
    return render_template("briefings/show.html", briefing=briefing, can_edit=user_has(Role.EDITOR))


@bp.route("/briefings/<int:briefing_id>/edit", methods=["GET", "POST"])
@requires(Role.EDITOR)
def edit_briefing(briefing_id: int):
    briefing = services.get_briefing(briefing_id)
    form = BriefingForm(obj=None if request.method == "POST" else briefing)
    form.set_state_choices(_all_states())
    if request.method == "GET":
        form.kind.data = briefing.kind.value
        form.jurisdictions.data = services.jurisdiction_lines(briefing)
        form.states.data = [s.postal for s in briefing.states]
        form.every_jurisdiction_in.data = []
        form.version.data = str(briefing.version_id)
    return _form_page(form, briefing, "Briefing updated.")
