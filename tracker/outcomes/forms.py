"""Forms of the outcomes pages: they check shape; the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.outcomes.models import Disposition
from tracker.plan.forms import upload_form

# A quarter for every jurisdiction is about 10,000 rows (0.5 MB); a year about 2 MB. Larger
# loads (ten years, 390,000 rows) go through `tracker import stats`.
STATISTICS_MAX_MB = 5
STATISTICS_MAX_BYTES = STATISTICS_MAX_MB * 1024 * 1024
NOTE_MAX = 4000


StatisticsUploadForm = upload_form(
    "Statistics file",
    f"CSV or XLSX, up to {STATISTICS_MAX_MB} MB: one row per jurisdiction and month.",
)


class DispositionForm(FlaskForm):
    disposition = RadioField(
        "Disposition",
        choices=[SelectChoice(d.value, d.label) for d in Disposition],
        validators=[DataRequired("Choose a disposition.")],
    )
    note = TextAreaField(
        "Note",
        validators=[
            DataRequired("Write a note: what was found, or why no action is needed."),
            Length(max=NOTE_MAX),
        ],
    )
    # The disposition this form was rendered over ("" for none): a stale form is refused.
    revises = HiddenField()
