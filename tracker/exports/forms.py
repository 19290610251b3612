"""The release form (it validates; publish_release() writes) and the public lists' filters."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.dates import today
from tracker.exports.sources import DATE_WORDS, SORTS
from tracker.forms import DateField, Form
from tracker.params import ChoiceParam, DateParam, NotAfter, PagedFilterForm, known_at_param
from tracker.registry.forms import StateParam


class ReleaseForm(Form):
    as_of = DateField(
        "List as of",
        validators=[DataRequired(message="Give the date the list is as of (YYYY-MM-DD).")],
        default=today,
        description="The activated list is frozen as it stood on this date (today or earlier).",
    )
    notes = TextAreaField(
        "Release notes",
        validators=[Optional(), Length(max=2000)],
        description="Optional; for staff: shown to signed-in staff with the release, never to "
        "the public (public pages carry no text typed by staff).",
    )


class ListFilterForm(PagedFilterForm):
    """/activated and /planned, their downloads, /api/v1/activations and `tracker export`:
    as_of, known_at, state, and a range on the list's date (activated on, or scheduled for)."""

    as_of = DateParam("As of", default=today)
    known_at = known_at_param()
    state = StateParam(any_label="All states and territories")
    date_from = DateParam("From", name="from", validators=[NotAfter("date_to")])
    date_to = DateParam("To", name="to")
    sort = ChoiceParam(
        "Sort within each state", choices=list(SORTS.items()), default="fips", any_label=None
    )

    def __init__(self, list_name: str = "activated", args=None, **kwargs) -> None:
        super().__init__(args, **kwargs)
        self.date_from.label.text = f"{DATE_WORDS[list_name]} from"
        self.date_to.label.text = f"{DATE_WORDS[list_name]} to"

    def list_filters(self) -> dict:
        """The keyword arguments of the list sources and build_export()."""
        return {
            "as_of": self.as_of.data,
            "known_at": self.known_at.data,
            "state": self.state.data,
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
        }
