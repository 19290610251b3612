"""The list of corrections (/corrections and its CSV): its filters and its one query."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select

from tracker.corrections.models import Correction, FactKind
from tracker.dates import end_of_day
from tracker.enums import enum_choices
from tracker.pagination import SortKey
from tracker.params import ChoiceParam, DateParam, NotAfter, SeekFilterForm, TextParam

# Newest first, on ix_correction_recorded_at read backwards: the list pages by this key.
CORRECTIONS_NEWEST_FIRST = (
    SortKey(Correction.recorded_at, descending=True),
    SortKey(Correction.id, True),
)


class CorrectionFilterForm(SeekFilterForm):
    """/corrections and /corrections/export.csv: what was corrected, by whom, and when (days in
    the office's time zone)."""

    kind = ChoiceParam("What was corrected", choices=enum_choices(FactKind))
    who = TextParam("Who", max_length=254, description="Part of an e-mail address")
    recorded_from = DateParam("Recorded from", validators=[NotAfter("recorded_to")])
    recorded_to = DateParam("Recorded to")


def corrections_statement(form: CorrectionFilterForm) -> Select:
    """The corrections the filters select (in the order of NEWEST_FIRST when paged or written
    out)."""
    statement = select(Correction)
    if form.kind.data:
        statement = statement.where(Correction.fact_kind == FactKind(form.kind.data))
    if form.who.data:
        statement = statement.where(Correction.recorded_by_label.ilike(f"%{form.who.data}%"))
    if form.recorded_from.data:
        since = end_of_day(form.recorded_from.data - dt.timedelta(days=1))
        statement = statement.where(Correction.recorded_at > since)
    if form.recorded_to.data:
        statement = statement.where(Correction.recorded_at <= end_of_day(form.recorded_to.data))
    return statement


def fact_link(correction: Correction) -> tuple[str, dict] | None:
    """(endpoint, values) of the page where the corrected fact is shown."""
    if correction.fact_kind is FactKind.DEFERRAL_REQUEST:
        return "deferrals.show_deferral", {"request_id": int(correction.fact_id)}
    if correction.fact_kind is FactKind.BRIEFING:
        return "briefings.show_briefing", {"briefing_id": int(correction.fact_id)}
    if correction.fact_kind is FactKind.STATE:
        return "states.show_state", {"postal": correction.fact_id}
    if correction.jurisdiction_fips:
        return "jurisdictions.show_jurisdiction", {"fips": correction.jurisdiction_fips}
    return None
