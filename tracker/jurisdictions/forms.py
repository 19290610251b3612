"""The list's filters, and the plan forms on the jurisdiction pages. The plan forms validate
input; tracker.plan.services writes.

Every form that changes one jurisdiction carries the version it was rendered from, so a form
left open while someone else changed the plan is refused instead of overwriting their change.
"""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from tracker.dates import today
from tracker.forms import DateField, Form
from tracker.jurisdictions.services import (
    SORT_LABELS,
    JurisdictionQuery,
    status_choices,
    status_label,
)
from tracker.params import (
    ChoiceParam,
    DateParam,
    Needed,
    NotAfter,
    PagedFilterForm,
    TextParam,
    known_at_param,
)
from tracker.registry.forms import StateParam

SOURCE_HELP = "Where the decision came from (a document, an e-mail, a meeting). Optional."
DEFAULT_SOURCE = "staff entry"


def _source_field() -> StringField:
    # Declared last in each form so it renders after the fields that matter most.
    return StringField("Source", validators=[Optional(), Length(max=300)], description=SOURCE_HELP)


class _PlanForm(Form):
    source: StringField

    def source_or_default(self) -> str:
        return (self.source.data or "").strip() or DEFAULT_SOURCE


def _decided_on() -> DateField:
    return DateField(
        "Decided on",
        validators=[InputRequired(message="Give the date the decision was made.")],
        default=today,
        description="The day the decision was made (not in the future).",
    )


class _ScheduleForm(_PlanForm):
    """A new scheduled date for one jurisdiction or many."""

    scheduled_on = DateField(
        "New scheduled date",
        validators=[InputRequired(message="Give the new scheduled date.")],
    )
    decided_on = _decided_on()
    reason = TextAreaField("Reason", validators=[Needed(), Length(max=2000)])
    source = _source_field()


class RescheduleForm(_ScheduleForm):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class RemoveForm(_PlanForm):
    decided_on = _decided_on()
    reason = TextAreaField("Reason for removal", validators=[Needed(), Length(max=2000)])
    source = _source_field()
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class ActivationForm(_PlanForm):
    activated_on = DateField(
        "Activation date",
        validators=[InputRequired(message="Give the date it activated.")],
        default=today,
    )
    source = _source_field()
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class _CorrectionForm(Form):
    """A correction: its reason (required) and the jurisdiction's version the page showed."""

    reason = TextAreaField(
        "Reason for the correction",
        validators=[Needed(), Length(max=2000)],
        description="Kept with the correction; staff see it, the public never does.",
    )
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class CorrectActivationForm(_CorrectionForm):
    activated_on = DateField(
        "Corrected activation date",
        validators=[InputRequired(message="Give the corrected activation date.")],
        render_kw={"data-preview-field": "activated_on"},
    )


class VoidForm(_CorrectionForm):
    """Marks an activation or a plan change as entered in error."""


class CorrectPlanChangeForm(_CorrectionForm):
    scheduled_on = DateField(
        "Scheduled date",
        validators=[Optional()],
        description="Leave empty and tick “Removed from the plan” for a removal.",
        render_kw={"data-preview-field": "scheduled_on"},
    )
    removed = BooleanField("Removed from the plan", render_kw={"data-preview-field": "removed"})
    decided_on = DateField(
        "Decided on",
        validators=[InputRequired(message="Give the date the decision was made.")],
        render_kw={"data-preview-field": "decided_on"},
    )
    source = _source_field()

    def validate_scheduled_on(self, field) -> None:
        if self.removed.data and field.data is not None:
            raise ValidationError("A removal has no scheduled date: clear it or untick removal.")
        if not self.removed.data and field.data is None and not field.errors:
            raise ValidationError("Give the scheduled date, or tick “Removed from the plan”.")


class BulkRescheduleForm(_ScheduleForm):
    """Reschedule the jurisdictions ticked in the list (values "FIPS:VERSION", name=selected)."""

    # The ticked rows' checkboxes, each "FIPS:VERSION" (checked by services.parse_selection).
    selected = SelectMultipleField(validate_choice=False)


class JurisdictionFilterForm(PagedFilterForm):
    """The list's filters, for /jurisdictions and /api/v1/jurisdictions (where anonymous callers
    may filter only by the statuses they can see)."""

    q = TextParam("Name or FIPS code", description='e.g. "Travis" or "48453"')
    state = StateParam(any_label="All states")
    status = ChoiceParam("Status", any_label="Any status")
    as_of = DateParam("Status as of", default=today)
    known_at = known_at_param()
    sort = ChoiceParam("Sort by", choices=list(SORT_LABELS.items()), default="name", any_label=None)
    order = ChoiceParam(
        "Order",
        choices=[("asc", "Ascending"), ("desc", "Descending")],
        default="asc",
        any_label=None,
    )
    scheduled_from = DateParam("Scheduled on or after", validators=[NotAfter("scheduled_to")])
    scheduled_to = DateParam("Scheduled on or before")
    activated_from = DateParam("Activated on or after", validators=[NotAfter("activated_to")])
    activated_to = DateParam("Activated on or before")

    def __init__(self, args=None, *, public: bool = False, **kwargs) -> None:
        self._public = public
        super().__init__(args, **kwargs)

    def process(self, *args, **kwargs) -> None:
        self.status.choices = [
            (value, status_label(value)) for value in status_choices(public=self._public)
        ]
        super().process(*args, **kwargs)

    def jurisdiction_query(self) -> JurisdictionQuery:
        return JurisdictionQuery(
            **{
                name: self[name].data or "" if name == "q" else self[name].data
                for name in JurisdictionQuery.__dataclass_fields__
            }
        )
