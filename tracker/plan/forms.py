"""Plan import forms: they validate the upload; the import service does the rest."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from tracker.forms import Form

# A full national plan is about 150 KB as CSV; the limit leaves room for notes and formatting
# while keeping the signed copy carried to the confirmation page small.
IMPORT_MAX_MB = 5
IMPORT_MAX_BYTES = IMPORT_MAX_MB * 1024 * 1024


def upload_form(label: str, description: str) -> type[Form]:
    """The upload form of one kind of import: one CSV or XLSX file, required."""

    class UploadForm(Form):
        file = FileField(
            label,
            validators=[
                FileRequired("Choose a CSV or XLSX file."),
                FileAllowed(["csv", "txt", "xlsx"], "Upload a CSV or XLSX file."),
            ],
            description=description,
        )

    return UploadForm


PlanUploadForm = upload_form(
    "Plan file",
    f"CSV or XLSX, up to {IMPORT_MAX_MB} MB. Columns: state, jurisdiction, scheduled_on, "
    "activated_on, decided_on, reason.",
)


class ConfirmImportForm(Form):
    payload = HiddenField(validators=[DataRequired()])
    fingerprint = HiddenField(validators=[DataRequired()])
