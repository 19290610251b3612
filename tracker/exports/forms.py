"""The release form: it validates; publish_release() writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.dates import today


class ReleaseForm(FlaskForm):
    as_of = DateField(
        "List as of",
        validators=[DataRequired(message="Give the date the list is as of (YYYY-MM-DD).")],
        default=today,
        description="The activated list is frozen as it stood on this date (today or earlier).",
    )
    notes = TextAreaField(
        "Release notes",
        validators=[Optional(), Length(max=2000)],
        description="Optional; shown publicly with the release.",
    )

    def validate_as_of(self, field) -> None:
        if field.data and field.data > today():
            from wtforms.validators import ValidationError

            raise ValidationError("A release cannot be as of a future date.")
