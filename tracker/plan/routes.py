"""/plan/import: upload a plan file, review the row-by-row preview, confirm to apply it."""

from __future__ import annotations

from flask import Blueprint

from tracker.access import Role, requires
from tracker.plan.forms import IMPORT_MAX_BYTES, IMPORT_MAX_MB, ConfirmImportForm, PlanUploadForm
from tracker.plan.importing.sealing import SALT
from tracker.plan.importing.service import apply_import, preview_import
from tracker.plan.importing.web import ImportPages, confirm_upload, show_upload

bp = Blueprint("plan", __name__)

PLAN_PAGES = ImportPages(
    title="Import the deployment plan",
    upload_endpoint="plan.import_plan",
    confirm_endpoint="plan.confirm_import",
    upload_template="plan/import.html",
    salt=SALT,
    max_mb=IMPORT_MAX_MB,
    max_bytes=IMPORT_MAX_BYTES,
    preview=preview_import,
    apply=apply_import,
    done=lambda filename, preview, result: (
        f"Imported {filename}: {preview.summary()}. {result.plan_changes} plan changes and "
        f"{result.activations} activations recorded."
    ),
    nothing_new="Every row matches the plan in force: importing this file would change nothing.",
    moved="The plan changed since your preview, so nothing was imported. Review the updated "
    "preview below and confirm again.",
)


@bp.route("/plan/import", methods=["GET", "POST"])
@requires(Role.EDITOR)
def import_plan():
    return show_upload(PLAN_PAGES, PlanUploadForm(), ConfirmImportForm)


@bp.post("/plan/import/confirm")
@requires(Role.EDITOR)
def confirm_import():
    return confirm_upload(PLAN_PAGES, ConfirmImportForm)
