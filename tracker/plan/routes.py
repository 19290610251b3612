"""/plan/import: upload a plan file, review the row-by-row preview, confirm to apply it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from tracker.access import Role, requires
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.forms import IMPORT_MAX_BYTES, IMPORT_MAX_MB, ConfirmImportForm, PlanUploadForm
from tracker.plan.importing.reader import ImportFileError
from tracker.plan.importing.sealing import SealBroken, seal, unseal
from tracker.plan.importing.service import ImportPreview, apply_import, preview_import

bp = Blueprint("plan", __name__)


def _show_preview(filename: str, data: bytes, preview: ImportPreview, status: int = 200):
    confirm = ConfirmImportForm(
        formdata=None, payload=seal(filename, data), fingerprint=preview.fingerprint()
    )
    return render_template("plan/import_preview.html", preview=preview, confirm=confirm), status


@bp.route("/plan/import", methods=["GET", "POST"])
@requires(Role.EDITOR)
def import_plan():
    form = PlanUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(IMPORT_MAX_BYTES + 1)
        filename = secure_filename(upload.filename or "") or "upload.csv"
        if len(data) > IMPORT_MAX_BYTES:
            form.file.errors.append(f"The file is larger than {IMPORT_MAX_MB} MB.")
        else:
            try:
                preview = preview_import(filename, data)
            except ImportFileError as exc:
                form.file.errors.append(exc.message)
            else:
                # Previewing writes nothing; end the read-only transaction before rendering.
                db.session.rollback()
                return _show_preview(filename, data, preview)
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    return render_template("plan/import.html", form=form), status


@bp.post("/plan/import/confirm")
@requires(Role.EDITOR)
def confirm_import():
    form = ConfirmImportForm()
    try:
        if not form.validate_on_submit():
            raise SealBroken("missing fields")
        filename, data = unseal(form.payload.data)
        preview = preview_import(filename, data)
    except (SealBroken, ImportFileError):
        db.session.rollback()
        flash("That preview expired or could not be verified. Upload the file again.", "danger")
        return redirect(url_for("plan.import_plan"), code=303)
    if preview.has_errors or preview.fingerprint() != form.fingerprint.data:
        db.session.rollback()
        flash(
            "The plan changed since your preview, so nothing was imported. Review the updated "
            "preview below and confirm again.",
            "warning",
        )
        return _show_preview(filename, data, preview, status=409)
    try:
        result = apply_import(preview)
        db.session.commit()
    except (DomainError, StaleDataError):
        db.session.rollback()
        flash(
            "Someone changed the plan while the import was being applied; nothing was imported. "
            "Upload the file again to see a fresh preview.",
            "danger",
        )
        return redirect(url_for("plan.import_plan"), code=303)
    flash(
        f"Imported {filename}: {preview.summary()}. {result.plan_changes} plan changes and "
        f"{result.activations} activations recorded.",
        "success",
    )
    return redirect(url_for("plan.import_plan"), code=303)
