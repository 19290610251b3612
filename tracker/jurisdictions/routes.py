"""/jurisdictions (the staff list) and /jurisdictions/<fips> (status, timeline, plan forms)."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import Role, requires, user_has
from tracker.dates import today
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.jurisdictions import services
from tracker.jurisdictions.forms import (
    ActivationForm,
    BulkRescheduleForm,
    CorrectActivationForm,
    CorrectPlanChangeForm,
    JurisdictionFilterForm,
    RemoveForm,
    RescheduleForm,
    VoidForm,
)
from tracker.jurisdictions.timeline import TimelineEntry, timeline
from tracker.outcomes.monthly import monthly_outcomes
from tracker.pagination import page_of
from tracker.params import AsKnownForm, AsOfForm
from tracker.plan import corrections
from tracker.plan import services as plan
from tracker.plan.models import PlanChange
from tracker.registry.lookup import get_jurisdiction
from tracker.registry.models import Jurisdiction

bp = Blueprint("jurisdictions", __name__)

# The forms on a jurisdiction's page, by the prefix their fields carry (they share field names).
PLAN_FORMS = {"reschedule": RescheduleForm, "remove": RemoveForm, "activate": ActivationForm}


def _render_list(bulk_form: BulkRescheduleForm | None, *, status: int = 200, alert=None):
    filters = JurisdictionFilterForm()
    rows = services.find_jurisdictions(filters.jurisdiction_query())
    results = page_of(rows, filters.page.data, filters.per_page.data)
    if results.page > results.pages:  # a stale link past the end shows the last page
        results = page_of(rows, results.pages, filters.per_page.data)
    versions = {}
    if bulk_form is not None and results.items:
        versions = dict(
            db.session.execute(
                select(Jurisdiction.fips, Jurisdiction.version_id).where(
                    Jurisdiction.fips.in_([row.fips for row in results.items])
                )
            ).all()
        )
    ticked = (bulk_form.selected.data if bulk_form is not None else None) or []
    selected = {value.partition(":")[0] for value in ticked}
    return render_template(
        "jurisdictions/list.html",
        filters=filters,
        results=results,
        bulk_form=bulk_form,
        versions=versions,
        selected=selected,
        alert=alert,
    ), status if filters.valid else 400


@bp.get("/jurisdictions")
@requires(Role.VIEWER)
def list_jurisdictions():
    bulk_form = None
    if user_has(Role.EDITOR):
        as_of = AsOfForm().as_of.data  # a bad date falls back to today; the list reports it
        bulk_form = BulkRescheduleForm(formdata=None, decided_on=min(as_of, today()))
    return _render_list(bulk_form)


@bp.post("/jurisdictions/reschedule")
@requires(Role.EDITOR)
def bulk_reschedule():
    form = BulkRescheduleForm()
    if not form.validate_on_submit():
        return _render_list(form, status=400)
    try:
        selection = services.parse_selection(form.selected.data or [])
        changes = services.bulk_reschedule(
            selection,
            form.scheduled_on.data,
            decided_on=form.decided_on.data,
            reason=form.reason.data,
            source=form.source_or_default(),
        )
    except StaleDataError:
        db.session.rollback()
        error = services.stale_write_conflict()
    except DomainError as exc:
        db.session.rollback()
        error = exc
    else:
        db.session.commit()
        count = len(changes)
        flash(
            f"Rescheduled {count} jurisdiction{'s' if count != 1 else ''} to "
            f"{form.scheduled_on.data.isoformat()}.",
            "success",
        )
        return redirect(url_for("jurisdictions.list_jurisdictions", **request.args), code=303)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and error.field != "fips":
        field.errors.append(error.message)
        error = None
    return _render_list(form, status=error.status_code if error else 400, alert=error)


# --- one jurisdiction -----------------------------------------------------------------------


def _correction_forms(
    jurisdiction: Jurisdiction, entries: list[TimelineEntry]
) -> tuple[dict, dict[str, str]]:
    """The correction forms of the entries in force (blank, at the version shown), keyed by their
    prefix, and each form's preview line with "{field}" where the typed value goes."""
    version, label = jurisdiction.version_id, jurisdiction.label
    forms: dict = {}
    previews: dict[str, str] = {}
    for entry in entries:
        if not entry.in_force or entry.fact_id is None:
            continue
        if entry.kind == "activated":
            key = "activation"
            forms[f"{key}-correct"] = CorrectActivationForm(
                formdata=None, prefix=f"{key}-correct", version=version
            )
            previews[f"{key}-correct"] = corrections.activation_line(
                label, entry.on, "{activated_on}"
            )
            previews[f"{key}-void"] = corrections.activation_line(label, entry.on, None)
        else:
            key = f"change{entry.fact_id}"
            change = db.session.get(PlanChange, entry.fact_id)
            forms[f"{key}-correct"] = CorrectPlanChangeForm(
                formdata=None,
                prefix=f"{key}-correct",
                version=version,
                scheduled_on=change.scheduled_on,
                removed=change.scheduled_on is None,
                decided_on=change.decided_on,
            )
            previews[f"{key}-correct"] = corrections.plan_change_line(
                label, change, "decided {decided_on} ({plan})"
            )
            previews[f"{key}-void"] = corrections.plan_change_line(label, change)
        forms[f"{key}-void"] = VoidForm(formdata=None, prefix=f"{key}-void", version=version)
    return forms, previews


def _render_show(fips: str, forms: dict | None = None, *, status: int = 200, alert=None):
    params = AsKnownForm().checked()
    as_of, known_at = params.as_of.data, params.known_at.data
    jurisdiction = get_jurisdiction(fips)
    row = services.status_of(fips, as_of, known_at)
    current = services.status_of(fips, today()) if (as_of, known_at) != (today(), None) else row
    entries = timeline(fips, as_of, known_at)
    editable = user_has(Role.EDITOR)
    all_forms, previews = {}, {}
    if editable:
        # Looking at a past date, an editor is usually recording a decision from that time.
        day = min(as_of, today())
        all_forms = {
            name: form_class(
                formdata=None,
                prefix=name,
                version=jurisdiction.version_id,
                decided_on=day,
                activated_on=day,
            )
            for name, form_class in PLAN_FORMS.items()
        }
        if known_at is None:  # corrections are made to the records as they stand now
            correction_forms, previews = _correction_forms(jurisdiction, entries)
            all_forms.update(correction_forms)
        for name, form in (forms or {}).items():
            # Keep what the editor typed, against the version now shown on the page.
            form.version.data = jurisdiction.version_id
            form.version.raw_data = [str(jurisdiction.version_id)]
            all_forms[name] = form
    return render_template(
        "jurisdictions/show.html",
        params=params,
        jurisdiction=jurisdiction,
        row=row,
        current=current,
        as_of=as_of,
        known_at=known_at,
        today=today(),
        timeline=entries,
        outcomes=monthly_outcomes(fips, as_of, known_at),
        forms=all_forms,
        previews=previews,
        alert=alert,
    ), status


@bp.get("/jurisdictions/<fips>")
@requires(Role.VIEWER)
def show_jurisdiction(fips: str):
    return _render_show(fips)


def _plan_write(fips: str, name: str, form, write, success: str):
    """Validate `form`, call `write(form)`, commit once; on refusal re-show the page, unchanged."""
    get_jurisdiction(fips)
    if not form.validate_on_submit():
        return _render_show(fips, {name: form}, status=400)
    try:
        write(form)
    except (StaleDataError, IntegrityError):
        # Lost a race at the database: a version check, or the one activation in force.
        db.session.rollback()
        error: DomainError = services.stale_write_conflict()
    except DomainError as exc:
        db.session.rollback()
        error = exc
    else:
        db.session.commit()
        flash(success, "success")
        return redirect(
            url_for("jurisdictions.show_jurisdiction", fips=fips, **request.args), code=303
        )
    if not isinstance(error, Conflict) and error.field and error.field in form:
        form[error.field].errors.append(error.message)
        error_alert = None
    else:
        error_alert = error
    return _render_show(fips, {name: form}, status=error.status_code, alert=error_alert)


@bp.post("/jurisdictions/<fips>/reschedule")
@requires(Role.EDITOR)
def reschedule_jurisdiction(fips: str):
    def write(form: RescheduleForm) -> None:
        plan.schedule(
            fips,
            form.scheduled_on.data,
            decided_on=form.decided_on.data,
            reason=form.reason.data,
            source=form.source_or_default(),
            expected_version=form.version.data,
        )

    return _plan_write(
        fips, "reschedule", RescheduleForm(prefix="reschedule"), write, "Schedule changed."
    )


@bp.post("/jurisdictions/<fips>/remove")
@requires(Role.EDITOR)
def remove_jurisdiction(fips: str):
    def write(form: RemoveForm) -> None:
        plan.remove_from_plan(
            fips,
            decided_on=form.decided_on.data,
            reason=form.reason.data,
            source=form.source_or_default(),
            expected_version=form.version.data,
        )

    return _plan_write(fips, "remove", RemoveForm(prefix="remove"), write, "Removed from the plan.")


@bp.post("/jurisdictions/<fips>/activate")
@requires(Role.EDITOR)
def activate_jurisdiction(fips: str):
    def write(form: ActivationForm) -> None:
        plan.record_activation(
            fips,
            form.activated_on.data,
            source=form.source_or_default(),
            expected_version=form.version.data,
        )

    return _plan_write(
        fips, "activate", ActivationForm(prefix="activate"), write, "Activation recorded."
    )


# --- corrections ------------------------------------------------------------------------------


@bp.post("/jurisdictions/<fips>/activation/correct")
@requires(Role.EDITOR)
def correct_activation(fips: str):
    def write(form: CorrectActivationForm) -> None:
        corrections.correct_activation(
            fips,
            form.activated_on.data,
            reason=form.reason.data,
            expected_version=form.version.data,
        )

    name = "activation-correct"
    return _plan_write(
        fips, name, CorrectActivationForm(prefix=name), write, "Activation corrected."
    )


@bp.post("/jurisdictions/<fips>/activation/void")
@requires(Role.EDITOR)
def void_activation(fips: str):
    def write(form: VoidForm) -> None:
        corrections.void_activation(
            fips, reason=form.reason.data, expected_version=form.version.data
        )

    name = "activation-void"
    return _plan_write(
        fips, name, VoidForm(prefix=name), write, "Activation marked as entered in error."
    )


def _change_fips(change_id: int) -> str:
    change = db.session.get(PlanChange, change_id)
    if change is None:
        raise NotFound(f"There is no plan change #{change_id}.")
    return change.jurisdiction_fips


@bp.post("/plan-changes/<int:change_id>/correct")
@requires(Role.EDITOR)
def correct_plan_change(change_id: int):
    def write(form: CorrectPlanChangeForm) -> None:
        corrections.correct_plan_change(
            change_id,
            scheduled_on=None if form.removed.data else form.scheduled_on.data,
            decided_on=form.decided_on.data,
            reason=form.reason.data,
            source=form.source.data,
            expected_version=form.version.data,
        )

    name = f"change{change_id}-correct"
    form = CorrectPlanChangeForm(prefix=name)
    return _plan_write(_change_fips(change_id), name, form, write, "Plan change corrected.")


@bp.post("/plan-changes/<int:change_id>/void")
@requires(Role.EDITOR)
def void_plan_change(change_id: int):
    def write(form: VoidForm) -> None:
        corrections.void_plan_change(
            change_id, reason=form.reason.data, expected_version=form.version.data
        )

    name = f"change{change_id}-void"
    return _plan_write(
        _change_fips(change_id),
        name,
        VoidForm(prefix=name),
        write,
        "Plan change marked as entered in error.",
    )
