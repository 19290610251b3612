"""Forms of the outcomes pages: they check shape; the services check the rules."""

from __future__ import annotations

import datetime as dt

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.dates import check_in_range
from tracker.enums import enum_choices
from tracker.errors import DomainError
from tracker.forms import Form
from tracker.outcomes.models import Disposition
from tracker.outcomes.quarters import month_start
from tracker.outcomes.services import StatisticsFilters, available_quarters
from tracker.params import (
    AsKnownForm,
    ChoiceParam,
    DateParam,
    NotAfter,
    PagedFilterForm,
    TextParam,
    known_at_param,
)
from tracker.plan.forms import upload_form
from tracker.registry.forms import StateParam
from tracker.registry.lookup import find_state

# A quarter for every jurisdiction is about 10,000 rows (0.5 MB); a year about 2 MB. Larger
# loads (ten years, 390,000 rows) go through `tracker import stats`.
STATISTICS_MAX_MB = 5
STATISTICS_MAX_BYTES = STATISTICS_MAX_MB * 1024 * 1024
NOTE_MAX = 4000


StatisticsUploadForm = upload_form(
    "Statistics file",
    f"CSV or XLSX, up to {STATISTICS_MAX_MB} MB: one row per jurisdiction and month.",
)


class DispositionForm(Form):
    disposition = RadioField(
        "Disposition",
        choices=enum_choices(Disposition),
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


class PublicationForm(Form):
    """Publish or withdraw a quarter's totals: no field but the CSRF token, yet the same checks
    of what was posted as every form."""


class MonthParam(DateParam):
    """A month written YYYY-MM (or a date within it); its data is the month's first day."""

    def process_formdata(self, valuelist: list[str]) -> None:
        value = valuelist[0].strip() if valuelist else ""
        if not value:
            return
        self.data = None
        try:
            day = dt.date.fromisoformat(value + "-01" if len(value) == 7 else value)
        except ValueError as exc:
            raise ValueError(
                f"{self.name} must be a month written YYYY-MM, got {value!r}."
            ) from exc
        try:
            self.data = month_start(check_in_range(day, self.name))
        except DomainError as exc:
            raise ValueError(exc.message) from exc


def _five_digits(form, field) -> None:
    if field.data and not (len(field.data) == 5 and field.data.isdigit()):
        raise ValidationError(f"fips must be a 5-digit FIPS code, got {field.data!r}.")


class StatisticsFilterForm(PagedFilterForm):
    """/api/v1/stats: one jurisdiction or state, a range of months, and the moment known at."""

    fips = TextParam("FIPS", max_length=20, validators=[_five_digits])
    state = StateParam(any_label="All states and territories")
    month_from = MonthParam("From", name="from", validators=[NotAfter("month_to")])
    month_to = MonthParam("To", name="to")
    known_at = known_at_param()

    def statistics_filters(self) -> StatisticsFilters:
        state = find_state(self.state.data) if self.state.data else None
        return StatisticsFilters(
            fips=self.fips.data,
            state_fips=state.fips if state else None,
            month_from=self.month_from.data,
            month_to=self.month_to.data,
            known_at=self.known_at.data,
        )


def _quarter_choices() -> list[SelectChoice]:
    return [SelectChoice(str(q), str(q)) for q in available_quarters()]


class QuarterParam(ChoiceParam):
    """?quarter= one of the quarters with statistics (YYYY-Qn); its data is the text."""

    def __init__(self, label="Quarter", validators=None, **kwargs):
        super().__init__(label, validators, choices=_quarter_choices, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        value = valuelist[0].strip().upper() if valuelist else ""
        if value:
            self.data = value

    def refusal(self) -> str:
        return f"{self.name} must be a quarter with statistics, written YYYY-Qn; got {self.data!r}."


class DashboardForm(AsKnownForm):
    """/dashboard: the date, the moment known at, and the quarter whose national outcome totals
    to show (default: the latest quarter with statistics begun by that date)."""

    quarter = QuarterParam(any_label="Latest")
