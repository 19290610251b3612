"""/states: every state's progress, and each state's bureau, agreement, jurisdictions and
briefings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from tracker.access import Role, requires, user_has
from tracker.briefings.services import briefings_for_state
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.outcomes.services import totals_by_quarter
from tracker.params import AsKnownForm
from tracker.registry.forms import StateForm
from tracker.registry.lookup import get_state
from tracker.registry.services import update_state
from tracker.states import services
from tracker.status.rule import cached_status_as_of

bp = Blueprint("states", __name__)


@bp.get("/states")
@requires(Role.VIEWER)
def list_states():
    form = AsKnownForm()
    progress = services.state_progress(form.as_of.data, form.known_at.data)
    return render_template(
        "states/list.html",
        form=form,
        as_of=form.as_of.data,
        known_at=form.known_at.data,
        progress=progress,
        totals=services.progress_totals(progress),
    ), 200 if form.valid else 400


@bp.get("/states/<postal>")
@requires(Role.VIEWER)
def show_state(postal: str):
    state = get_state(postal)
    if postal != state.postal:
        return redirect(url_for("states.show_state", postal=state.postal, **request.args), 301)
    form = AsKnownForm()
    as_of, known_at = form.as_of.data, form.known_at.data
    (progress,) = services.state_progress(as_of, known_at, state=state.postal)
    return render_template(
        "states/show.html",
        form=form,
        state=state,
        bureau=services.bureau_known_at(state, known_at),
        versions=services.bureau_versions(state),
        as_of=as_of,
        known_at=known_at,
        progress=progress,
        jurisdictions=cached_status_as_of(as_of, known_at, state=state.postal),
        briefings=briefings_for_state(state.postal),
        outcomes=totals_by_quarter(state.fips, until=as_of, known_at=known_at),
        can_edit=user_has(Role.EDITOR),
    ), 200 if form.valid else 400


@bp.route("/states/<postal>/edit", methods=["GET", "POST"])
@requires(Role.EDITOR)
def edit_state(postal: str):
    state = get_state(postal)
    form = StateForm(obj=None if request.method == "POST" else state)
    if request.method == "GET":
        form.version.data = str(state.version_id)
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            version = int(form.version.data)
        except (TypeError, ValueError):
            abort(400)
        try:
            update_state(
                state.postal,
                expected_version=version,
                sib_name=form.sib_name.data,
                sib_contact=form.sib_contact.data,
                sib_email=form.sib_email.data,
                moa_signed_on=form.moa_signed_on.data,
                moa_terminated_on=form.moa_terminated_on.data,
                receives_results=form.receives_results.data,
                reason=form.reason.data,
            )
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            status = 409
        except DomainError as exc:
            db.session.rollback()
            target = getattr(form, exc.field or "", None) or form.sib_name
            target.errors = [*target.errors, exc.message]
        else:
            db.session.commit()
            flash(f"{state.name} updated.", "success")
            return redirect(url_for("states.show_state", postal=state.postal), code=303)
    return render_template("states/edit.html", state=state, form=form), status
