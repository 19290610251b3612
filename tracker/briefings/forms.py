"""The briefing form (shapes only; the coverage and date rules live in services) and the log's
filters."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tracker.briefings.log import briefings_query
from tracker.briefings.models import BriefingKind
from tracker.enums import enum_choices
from tracker.forms import DateField, Form
from tracker.params import (
    ChoiceParam,
    DateParam,
    Needed,
    NotAfter,
    PagedFilterForm,
    known_at_param,
)
from tracker.registry.forms import StateParam


class BriefingForm(Form):
    held_on = DateField("Date held", validators=[Needed()])
    kind = SelectField(
        "Kind",
        choices=enum_choices(BriefingKind),
        validators=[DataRequired()],
    )
    jurisdictions = TextAreaField(
        "Jurisdictions covered",
        validators=[Optional(), Length(max=100_000)],
        description=(
            'One a line: a 5-digit FIPS code (48453) or "Name, ST" (Travis County, TX). '
            "Leave empty if the briefing covered whole states only."
        ),
        render_kw={"rows": 6, "spellcheck": "false"},
    )
    every_jurisdiction_in = SelectMultipleField(
        "Every jurisdiction in these states",
        validators=[Optional()],
        description=(
            "Adds each jurisdiction of the chosen states to the list above. Hold Ctrl (or ⌘) to "
            "choose several."
        ),
        render_kw={"size": 6},
    )
    states = SelectMultipleField(
        "States covered",
        validators=[Optional()],
        description=(
            "The states the briefing covered as a whole (a SIB meeting, a notice to the state "
            "government). Hold Ctrl (or ⌘) to choose several."
        ),
        render_kw={"size": 6},
    )
    presenter = StringField("Presenter", validators=[Optional(), Length(max=200)])
    attendees = TextAreaField("Attendees", validators=[Optional()], render_kw={"rows": 3})
    materials_version = StringField(
        "Materials version",
        validators=[Optional(), Length(max=100)],
        description="The version of the briefing deck or handout used, e.g. 2009-03.",
    )
    notes = TextAreaField("Notes", validators=[Optional()], render_kw={"rows": 3})
    reason = TextAreaField(
        "Reason for the correction",
        validators=[Optional(), Length(max=2000)],
        description="Required when correcting a logged briefing; the briefing as it was is kept.",
    )
    version = HiddenField()

    def set_state_choices(self, states) -> None:
        choices = [SelectChoice(s.postal, f"{s.name} ({s.postal})") for s in states]
        self.every_jurisdiction_in.choices = choices
        self.states.choices = choices


class BriefingFilterForm(PagedFilterForm):
    """The filters of /briefings and /api/v1/briefings, and the moment whose records they read
    (`known_at`, default now)."""

    kind = ChoiceParam("Kind", choices=enum_choices(BriefingKind))
    state = StateParam(description=None)
    held_from = DateParam("Held from", name="from", validators=[NotAfter("held_to")])
    held_to = DateParam("Held to", name="to")
    known_at = known_at_param()

    def query_statement(self):
        """The briefings these filters select, newest first, as the records stood at
        `known_at`."""
        return briefings_query(
            kind=self.kind.data,
            state=self.state.data,
            date_from=self.held_from.data,
            date_to=self.held_to.data,
            known_at=self.known_at.data,
        )
