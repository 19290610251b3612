"""Plan forms on the jurisdiction pages. They validate input; tracker.plan.services writes.

Every form that changes one jurisdiction carries the version it was rendered from, so a form
left open while someone else changed the plan is refused instead of overwriting their change.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from tracker.dates import today

SOURCE_HELP = "Where the decision came from (a document, an e-mail, a meeting). Optional."
DEFAULT_SOURCE = "staff entry"


def _source_field() -> StringField:
    # Declared last in each form so it renders after the fields that matter most.
    return StringField("Source", validators=[Optional(), Length(max=300)], description=SOURCE_HELP)


class _PlanForm(FlaskForm):
    source: StringField

    def source_or_default(self) -> str:
        return (self.source.data or "").strip() or DEFAULT_SOURCE


class _VersionedForm(_PlanForm):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class RescheduleForm(_VersionedForm):
    scheduled_on = DateField(
        "New scheduled date",
        validators=[InputRequired(message="Give the new scheduled date.")],
    )
    decided_on = DateField(
        "Decided on",
        validators=[InputRequired(message="Give the date the decision was made.")],
        default=today,
        description="The day the decision was made (not in the future).",
    )
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(message="Give the reason for this change."), Length(max=2000)],
    )
    source = _source_field()


class RemoveForm(_VersionedForm):
    decided_on = DateField(
        "Decided on",
        validators=[InputRequired(message="Give the date the decision was made.")],
        default=today,
    )
    reason = TextAreaField(
        "Reason for removal",
        validators=[DataRequired(message="Give the reason for the removal."), Length(max=2000)],
    )
    source = _source_field()


class ActivationForm(_VersionedForm):
    activated_on = DateField(
        "Activation date",
        validators=[InputRequired(message="Give the date it activated.")],
        default=today,
    )
    source = _source_field()


class BulkRescheduleForm(_PlanForm):
    """Reschedule the jurisdictions ticked in the list (values "FIPS:VERSION", name=selected)."""

    scheduled_on = DateField(
        "New scheduled date",
        validators=[InputRequired(message="Give the new scheduled date.")],
    )
    decided_on = DateField(
        "Decided on",
        validators=[InputRequired(message="Give the date the decision was made.")],
        default=today,
    )
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(message="Give the reason for this change."), Length(max=2000)],
    )
    source = _source_field()
