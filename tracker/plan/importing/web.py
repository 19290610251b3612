"""The pages of a bulk import, the same for every kind of file: upload, preview, confirm.

Uploading previews the file and writes nothing; the preview page carries the file back sealed
(sealing.py) with the fingerprint of what applying would do. Confirming re-reads the sealed file,
previews it again in the writing transaction, and applies it only when the fingerprint still
matches: if the data moved meanwhile, the person sees the new preview (409) and confirms again.
Each import (plan, statistics) describes itself once in an ImportPages; its routes call
show_upload() and confirm_upload().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.importing.preview import ImportPreview
from tracker.plan.importing.reader import ImportFileError
from tracker.plan.importing.sealing import SealBroken, seal, unseal


@dataclass(frozen=True)
class ImportPages:
    """One kind of import as its pages present it."""

    title: str  # "Import the deployment plan"
    upload_endpoint: str
    confirm_endpoint: str
    upload_template: str  # the upload page: the form and the columns the file may have
    salt: str  # seals a previewed file for this import only
    max_mb: int  # the largest file accepted, as people read it
    max_bytes: int  # the same in bytes
    preview: Callable[[str, bytes], ImportPreview]
    apply: Callable[[ImportPreview], Any]
    done: Callable[[str, ImportPreview, Any], str]  # (filename, preview, result) -> message
    nothing_new: str  # shown when every row matches what is recorded
    moved: str  # shown when the data changed between the preview and the confirmation


def _show_preview(pages: ImportPages, form_class, filename: str, data: bytes, preview, status=200):
    confirm = form_class(
        formdata=None, payload=seal(filename, data, pages.salt), fingerprint=preview.fingerprint()
    )
    return (
        render_template("imports/preview.html", preview=preview, confirm=confirm, pages=pages),
        status,
    )


def show_upload(pages: ImportPages, form, confirm_form_class):
    """GET: the upload form. POST: the preview of the uploaded file, or the form with its error."""
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(pages.max_bytes + 1)
        filename = secure_filename(upload.filename or "") or "upload.csv"
        if len(data) > pages.max_bytes:
            form.file.errors.append(f"The file is larger than {pages.max_mb} MB.")
        else:
            try:
                preview = pages.preview(filename, data)
            except ImportFileError as exc:
                form.file.errors.append(exc.message)
            else:
                # Previewing writes nothing; end the read-only transaction before rendering.
                db.session.rollback()
                return _show_preview(pages, confirm_form_class, filename, data, preview)
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    return render_template(pages.upload_template, form=form, pages=pages), status


def confirm_upload(pages: ImportPages, form_class):
    """Apply the sealed file if what it would do is still what the person previewed."""
    # The sealed file comes back in a url-encoded form, which no form-field size limit applies to
    # (only the request's MAX_CONTENT_LENGTH); tests/outcomes/test_import.py posts a large one.
    form = form_class()
    try:
        if not form.validate_on_submit():
            raise SealBroken("missing fields")
        filename, data = unseal(form.payload.data, pages.salt)
        preview = pages.preview(filename, data)
    except (SealBroken, ImportFileError):
        db.session.rollback()
        flash("That preview expired or could not be verified. Upload the file again.", "danger")
        return redirect(url_for(pages.upload_endpoint), code=303)
    if preview.has_errors or preview.fingerprint() != form.fingerprint.data:
        db.session.rollback()
        flash(pages.moved, "warning")
        return _show_preview(pages, type(form), filename, data, preview, status=409)
    try:
        result = pages.apply(preview)
        db.session.commit()
    except (DomainError, StaleDataError):
        db.session.rollback()
        flash(
            "The records changed while the import was being applied; nothing was imported. "
            "Upload the file again to see a fresh preview.",
            "danger",
        )
        return redirect(url_for(pages.upload_endpoint), code=303)
    flash(pages.done(filename, preview, result), "success")
    return redirect(url_for(pages.upload_endpoint), code=303)
