"""/deferrals: the log of deferral letters, logging a letter, its page, workflow and downloads.

Staff only: every URL here sends anonymous visitors to sign in. Views parse input, call one
service, commit once, and redirect (or re-show the form with its errors).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.access import Role, requires, user_has
from tracker.dates import today
from tracker.deferrals import corrections, letters, queries, workflow
from tracker.deferrals.attachments import Upload, content_disposition
from tracker.deferrals.clocks import badges_for, clock_warnings, letter_counts, standing
from tracker.deferrals.forms import (
    AttachmentForm,
    EditDeferralForm,
    NewDeferralForm,
    NoteForm,
    ResolveForm,
    StepForm,
    UndoForm,
    parse_version,
)
from tracker.deferrals.log import LogFilterForm, log_page
from tracker.deferrals.models import LOGGED_FIELDS, DeferralRequest
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.registry import lookup

bp = Blueprint("deferrals", __name__)


def _uploads(files) -> list[Upload]:
    return [Upload(f.filename or "", f.read()) for f in files if f and (f.filename or "").strip()]


# --- the log ---------------------------------------------------------------------------------


@bp.get("/deferrals")
@requires(Role.VIEWER)
def list_deferrals():
    form = LogFilterForm()
    filters = form.log_filters()
    return render_template(
        "deferrals/list.html",
        page=log_page(filters, form.after.data, form.per_page.data),
        form=form,
        as_of=filters.as_of,
        known_at=filters.known_at,
        counts=letter_counts(filters.as_of, filters.known_at),
        can_edit=user_has(Role.EDITOR),
    ), 200 if form.valid else 400


@bp.get("/deferrals/jurisdiction-options")
@requires(Role.VIEWER)
def jurisdiction_options():
    return jsonify(lookup.jurisdiction_options(request.args.get("q", "")))


# --- logging a letter ------------------------------------------------------------------------


@bp.route("/deferrals/new", methods=["GET", "POST"])
@requires(Role.EDITOR)
def new_deferral():
    form = NewDeferralForm()
    limit = current_app.config["TRACKER_UPLOAD_MAX_MB"]
    form.attachments.description += f" At most {limit} MB each."
    if request.method != "POST":
        return render_template("deferrals/new.html", form=form)
    fields = {
        "jurisdiction": form.jurisdiction.data,
        "letter_date": form.letter_date.data,
        "received_on": form.received_on.data,
        "channel": form.channel.data,
        "sender_name": form.sender_name.data,
        "sender_title": form.sender_title.data,
        "sender_agency": form.sender_agency.data,
        "sender_email": form.sender_email.data,
        "sender_address": form.sender_address.data,
        "addressed_to": form.addressed_to.data,
        "kind": form.kind.data,
        "requested_date": form.requested_date.data,
        "summary": form.summary.data,
        "uploads": _uploads(form.attachments.data or []),
    }
    if form.validate_on_submit():
        try:
            created = letters.log_request(**fields)
        except letters.InvalidRequest as exc:
            db.session.rollback()
            _add_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(
                f"Deferral request #{created.id} from {created.jurisdiction.label} logged "
                f"with {len(created.attachments)} attachment(s).",
                "success",
            )
            return redirect(url_for("deferrals.show_deferral", request_id=created.id), 303)
    else:
        # Show the rules' verdicts beside the form's own, so every problem is listed at once.
        _add_errors(form, letters.letter_errors(**fields))
    return render_template("deferrals/new.html", form=form), 400


def _add_errors(form: NewDeferralForm | EditDeferralForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [*field.errors, message]


# --- one letter --------------------------------------------------------------------------------


def _load(request_id: int) -> DeferralRequest:
    return queries.get_request(request_id)


def _render_detail(letter: DeferralRequest, status: int = 200, problem: str | None = None, **forms):
    version = letter.version_id
    step_forms = {
        "request_meeting": StepForm(prefix="request_meeting", version=version),
        "hold_meeting": StepForm(prefix="hold_meeting", version=version),
        "resolve": ResolveForm(prefix="resolve", version=version),
        "withdraw": StepForm(prefix="withdraw", version=version),
    }
    for name, form in forms.items():
        if name in step_forms:
            step_forms[name] = form
    as_of = today()
    letter = db.session.scalars(
        select(DeferralRequest)
        .where(DeferralRequest.id == letter.id)
        .options(selectinload(DeferralRequest.attachments), selectinload(DeferralRequest.notes))
    ).one()
    badges = badges_for([letter], as_of)[letter.id]
    return render_template(
        "deferrals/show.html",
        letter=letter,
        badges=badges,
        standing=standing(letter, badges),
        warnings=clock_warnings(letter, badges, as_of),
        steps=workflow.allowed_steps(letter),
        can_edit=user_has(Role.EDITOR),
        step_forms=step_forms,
        note_form=forms.get("note") or NoteForm(prefix="note"),
        attachment_form=forms.get("attachment") or AttachmentForm(prefix="attachment"),
        undo_form=forms.get("undo") or UndoForm(prefix="undo", version=version),
        latest_step=corrections.latest_step(letter),
        undo_line=corrections.undo_line(letter) if corrections.latest_step(letter) else None,
        undo_voids=corrections.undo_voids_plan(letter),
        versions=queries.versions_of(letter),
        history=queries.history(letter),
        timeline=queries.timeline_steps(letter),
        plan_changes=queries.linked_plan_changes(letter),
        problem=problem,
    ), status


@bp.get("/deferrals/<int:request_id>")
@requires(Role.VIEWER)
def show_deferral(request_id: int):
    return _render_detail(_load(request_id))


_STEP_ACTIONS = {
    "request_meeting": ("Meeting requested", workflow.request_meeting),
    "hold_meeting": ("Meeting recorded as held", workflow.hold_meeting),
    "withdraw": ("Request recorded as withdrawn", workflow.withdraw),
}


@bp.post("/deferrals/<int:request_id>/<any(request_meeting, hold_meeting, withdraw):step>")
@requires(Role.EDITOR)
def take_step(request_id: int, step: str):
    letter = _load(request_id)
    form = StepForm(prefix=step)
    if form.validate_on_submit():
        message, action = _STEP_ACTIONS[step]
        try:
            action(letter, form.on.data, expected_version=parse_version(form.version.data))
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "on":
                form.on.errors.append(exc.message)
            return _render_detail(_load(request_id), exc.status_code, exc.message, **{step: form})
        db.session.commit()
        flash(f"{message} on {form.on.data.isoformat()}.", "success")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    return _render_detail(letter, 400, "Check the date and try again.", **{step: form})


@bp.post("/deferrals/<int:request_id>/resolve")
@requires(Role.EDITOR)
def resolve_deferral(request_id: int):
    letter = _load(request_id)
    form = ResolveForm(prefix="resolve")
    if form.validate_on_submit():
        try:
            workflow.resolve(
                letter,
                form.resolution.data,
                form.on.data,
                adjusted_to=form.adjusted_to.data,
                reason=form.reason.data,
                expected_version=parse_version(form.version.data),
            )
        except DomainError as exc:
            db.session.rollback()
            field = {"on": form.on, "adjusted_to": form.adjusted_to, "resolution": form.resolution}
            if exc.field in field:
                field[exc.field].errors.append(exc.message)
            return _render_detail(_load(request_id), exc.status_code, exc.message, resolve=form)
        db.session.commit()
        label = letter.resolution.label
        flash(f"Request #{request_id} resolved: {label}.", "success")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    return _render_detail(letter, 400, "Check the resolution form and try again.", resolve=form)


@bp.post("/deferrals/<int:request_id>/notes")
@requires(Role.EDITOR)
def add_note(request_id: int):
    letter = _load(request_id)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        try:
            letters.add_note(letter, form.body.data)
        except DomainError as exc:
            db.session.rollback()
            form.body.errors.append(exc.message)
            return _render_detail(_load(request_id), 400, note=form)
        db.session.commit()
        flash("Note added.", "success")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id) + "#notes", 303)
    return _render_detail(letter, 400, note=form)


@bp.post("/deferrals/<int:request_id>/attachments")
@requires(Role.EDITOR)
def add_attachments(request_id: int):
    letter = _load(request_id)
    form = AttachmentForm(prefix="attachment")
    if form.validate_on_submit():
        uploads = _uploads(form.attachments.data or [])
        try:
            if not uploads:
                raise DomainError("Choose at least one file to attach.", field="attachments")
            for upload in uploads:
                letters.add_attachment(letter, upload)
        except DomainError as exc:
            db.session.rollback()
            form.attachments.errors.append(exc.message)
            return _render_detail(_load(request_id), 400, attachment=form)
        db.session.commit()
        flash(f"{len(uploads)} attachment(s) added.", "success")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    return _render_detail(letter, 400, attachment=form)


@bp.get("/deferrals/<int:request_id>/attachments/<int:attachment_id>")
@requires(Role.VIEWER)
def download_attachment(request_id: int, attachment_id: int):
    attachment = letters.get_attachment(request_id, attachment_id)
    # content_type is set verbatim: Flask would otherwise append a charset to text/plain.
    response = Response(attachment.content, content_type=attachment.media_type)
    response.headers["Content-Disposition"] = content_disposition(attachment.download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- corrections -----------------------------------------------------------------------------


def _letter_values(letter: DeferralRequest) -> dict:
    """The edit form's starting values: the letter as it is now."""
    values = {name: getattr(letter, name) for name in LOGGED_FIELDS}
    values["jurisdiction"] = f"{letter.jurisdiction.label} ({letter.jurisdiction_fips})"
    for name in ("channel", "addressed_to", "kind"):
        values[name] = values[name].value
    return values


@bp.route("/deferrals/<int:request_id>/edit", methods=["GET", "POST"])
@requires(Role.EDITOR)
def edit_deferral(request_id: int):
    letter = _load(request_id)
    if request.method == "GET":
        form = EditDeferralForm(formdata=None, version=letter.version_id, **_letter_values(letter))
        return render_template("deferrals/edit.html", form=form, letter=letter)
    form = EditDeferralForm()
    # The form names the jurisdiction as people type it; the letter holds its code.
    fields = {
        name.removesuffix("_fips"): form[name.removesuffix("_fips")].data for name in LOGGED_FIELDS
    }
    status, problem = 400, None
    if form.validate_on_submit():
        try:
            corrections.edit_letter(
                letter,
                reason=form.reason.data,
                expected_version=parse_version(form.version.data),
                **fields,
            )
        except letters.InvalidRequest as exc:
            db.session.rollback()
            _add_errors(form, exc.errors)
        except DomainError as exc:
            db.session.rollback()
            status, problem = exc.status_code, exc.message
        else:
            db.session.commit()
            flash(f"Deferral request #{request_id} corrected.", "success")
            return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    else:
        _add_errors(form, letters.letter_errors(**fields))
    letter = _load(request_id)
    return render_template("deferrals/edit.html", form=form, letter=letter, problem=problem), status


@bp.post("/deferrals/<int:request_id>/undo")
@requires(Role.EDITOR)
def undo_deferral_step(request_id: int):
    letter = _load(request_id)
    form = UndoForm(prefix="undo")
    if form.validate_on_submit():
        try:
            corrections.undo_step(
                letter, reason=form.reason.data, expected_version=parse_version(form.version.data)
            )
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "reason":
                form.reason.errors.append(exc.message)
            return _render_detail(_load(request_id), exc.status_code, exc.message, undo=form)
        db.session.commit()
        flash(f"The latest step of request #{request_id} was undone.", "success")
        return redirect(url_for("deferrals.show_deferral", request_id=request_id), 303)
    return _render_detail(letter, 400, "Give the reason for undoing the step.", undo=form)
