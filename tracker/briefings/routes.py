"""/briefings (the log and its form) and /readiness (upcoming activations, data quality)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from tracker.access import Role, requires, user_has
from tracker.briefings import services
from tracker.briefings.forms import BriefingForm
from tracker.briefings.models import BriefingKind
from tracker.briefings.readiness import readiness_report, unbriefed_activations
from tracker.dates import parse_iso_date, today
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.pagination import paginate, parse_page_args
from tracker.registry.lookup import parse_jurisdiction_lines, resolve_states
from tracker.registry.models import State

bp = Blueprint("briefings", __name__)


def _jurisdiction_endpoint() -> str | None:
    """The endpoint serving /jurisdictions/<fips>, if that feature is installed."""
    cache = current_app.extensions.setdefault("briefings_jurisdiction_endpoint", {})
    if "endpoint" not in cache:
        cache["endpoint"] = next(
            (
                rule.endpoint
                for rule in current_app.url_map.iter_rules()
                if rule.rule.startswith("/jurisdictions/<")
                and rule.rule.count("/") == 2
                and list(rule.arguments) == ["fips"]
                and "GET" in (rule.methods or ())
            ),
            None,
        )
    return cache["endpoint"]


@bp.app_template_global("jurisdiction_page_url")
def jurisdiction_page_url(fips: str) -> str | None:
    """The jurisdiction's page, or None while that feature is not installed."""
    endpoint = _jurisdiction_endpoint()
    return url_for(endpoint, fips=fips) if endpoint else None


@bp.app_template_global("briefing_kind_label")
def briefing_kind_label(kind) -> str:
    return services.kind_label(kind)


def _all_states() -> list[State]:
    return list(db.session.scalars(select(State).order_by(State.name)))


@bp.get("/briefings")
@requires(Role.VIEWER)
def list_briefings():
    args = request.args
    page, per_page = parse_page_args(args.get("page"), args.get("per_page"))
    kind = args.get("kind", "").strip() or None
    if kind and kind not in {k.value for k in BriefingKind}:
        raise DomainError(f"Unknown kind of briefing: {kind!r}.", field="kind")
    statement = services.briefings_query(
        kind=kind,
        state=args.get("state", "").strip() or None,
        date_from=parse_iso_date(args.get("from"), "from"),
        date_to=parse_iso_date(args.get("to"), "to"),
    )
    briefings = paginate(statement, page, per_page)
    return render_template(
        "briefings/list.html",
        briefings=briefings,
        states=_all_states(),
        kinds=services.KIND_LABELS,
        args=args,
        can_edit=user_has(Role.EDITOR),
    )


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
        return services.update_briefing(briefing_id, expected_version=version, **values), 200
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return None, 409
    except DomainError as exc:
        db.session.rollback()
        target = getattr(form, exc.field or "", None) or form.jurisdictions
        target.errors = [*target.errors, exc.message]
        return None, 400


@bp.route("/briefings/new", methods=["GET", "POST"])
@requires(Role.EDITOR)
def new_briefing():
    form = BriefingForm()
    form.set_state_choices(_all_states())
    if request.method == "GET":
        form.held_on.data = form.held_on.data or today()
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        briefing, status = _save(form, None)
        if briefing is not None:
            db.session.commit()
            flash("Briefing logged.", "success")
            return redirect(url_for("briefings.show_briefing", briefing_id=briefing.id), code=303)
    return render_template("briefings/form.html", form=form, briefing=None), status


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
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        saved, status = _save(form, briefing_id)
        if saved is not None:
            db.session.commit()
            flash("Briefing updated.", "success")
            return redirect(url_for("briefings.show_briefing", briefing_id=saved.id), code=303)
    return render_template("briefings/form.html", form=form, briefing=briefing), status


def _as_of():
    return parse_iso_date(request.args.get("as_of"), "as_of", default=today())


@bp.get("/readiness")
@requires(Role.VIEWER)
def readiness():
    state = request.args.get("state", "").strip().upper() or None
    if state:
        state = resolve_states([state], "state")[0].postal
    report = readiness_report(_as_of(), state=state)
    only_not_ready = request.args.get("show") == "not_ready"
    return render_template(
        "briefings/readiness.html",
        report=report,
        rows=report.not_ready if only_not_ready else report.rows,
        only_not_ready=only_not_ready,
        state=state,
        states=_all_states(),
    )


@bp.get("/readiness/data-quality")
@requires(Role.VIEWER)
def data_quality():
    as_of = _as_of()
    return render_template(
        "briefings/data_quality.html", as_of=as_of, rows=unbriefed_activations(as_of)
    )
