"""Importing monthly statistics: every row validated into a preview, then applied all-or-nothing.

The file is read by the plan import's reader (one row per jurisdiction and month; columns in
STATISTICS_LAYOUT) and names its jurisdiction through the same resolver. Rules, in the order a
row meets them:
- the row names one jurisdiction: by `fips`, or by `state` and `jurisdiction` (when both are
  given they must agree), and one month (YYYY-MM, or any date within it), at most once per file;
- every count is a whole number, 0 or more; matches <= submissions; level1 + level2 + level3 +
  non_criminal <= matches;
- the month has ended, and is not before the month the jurisdiction activated (statistics exist
  only after activation: a jurisdiction that has not activated has none);
- against the version in force, a row is *new* when the month has no figures yet, *unchanged*
  when it repeats them, *changed* otherwise.
Applying adds a version for each new and changed row; a changed month's earlier version stays,
stamped with the moment it was superseded, so the history of every month is kept. One audit
event records the import; importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import select

from tracker.dates import today
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.outcomes.models import COUNT_FIELDS, LEVEL_FIELDS, MonthlyStatistics
from tracker.outcomes.quarters import month_start
from tracker.plan.importing.dates import parse_date
from tracker.plan.importing.preview import (
    FieldChange,
    ImportPreview,
    Outcome,
    PreviewRow,
    Progress,
    flag_uncalculated,
    with_progress,
)
from tracker.plan.importing.reader import (
    COLUMN_ALIASES,
    Layout,
    SourceFile,
    SourceRow,
    cell_text,
    read_import_file,
)
from tracker.plan.importing.resolver import Resolver
from tracker.plan.models import Activation

STATISTICS_ALIASES: dict[str, str] = {
    **{name: "state" for name, column in COLUMN_ALIASES.items() if column == "state"},
    **{name: "jurisdiction" for name in ("jurisdiction", "jurisdiction_name", "county",
                                          "county_name", "county_equivalent", "name")},
    **{name: "fips" for name in ("fips", "fips_code", "county_fips", "jurisdiction_fips")},
    **{name: "month" for name in ("month", "reporting_month", "period", "month_of")},
    **{name: "submissions" for name in ("submissions", "fingerprints_submitted",
                                         "fingerprint_submissions", "submitted")},
    **{name: "matches" for name in ("matches", "idr_matches", "matched")},
    **{name: "level1" for name in ("level1", "level_1", "l1", "level_1_identifications")},
    **{name: "level2" for name in ("level2", "level_2", "l2", "level_2_identifications")},
    **{name: "level3" for name in ("level3", "level_3", "l3", "level_3_identifications")},
    **{name: "non_criminal" for name in ("non_criminal", "noncriminal", "no_conviction",
                                          "non_criminal_identifications")},
    **{name: "removed" for name in ("removed", "removals", "removed_count")},
}  # fmt: skip
STATISTICS_LAYOUT = Layout(
    aliases=STATISTICS_ALIASES,
    required=("month", *COUNT_FIELDS),
    one_of=(("fips", "jurisdiction"),),
    markers=("month", "fips", "jurisdiction"),
    # Ten years of every jurisdiction's months (3,233 x 120 = 387,960) fit in one file.
    max_rows=500_000,
    guide="docs/statistics.md",
)
# Where the identification counts sit among COUNT_FIELDS.
LEVELS = slice(COUNT_FIELDS.index(LEVEL_FIELDS[0]), COUNT_FIELDS.index(LEVEL_FIELDS[-1]) + 1)
WRITTEN_HEADINGS = ("Month", "State", "Jurisdiction or FIPS (as written)")
_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass
class StatisticsRow(PreviewRow):
    """One file row: a jurisdiction's counts for one month, and what applying them would do."""

    month_text: str = ""
    state: str = ""
    jurisdiction: str = ""
    month: dt.date | None = None
    counts: tuple[int, ...] | None = None  # in COUNT_FIELDS order
    replaces_id: int | None = None  # the version in force that a changed row supersedes

    @property
    def written(self) -> tuple[str, ...]:
        return (self.month_text, self.state, self.jurisdiction)

    @property
    def note(self) -> str:
        if self.outcome is not Outcome.NEW or self.counts is None:
            return ""
        return "; ".join(
            f"{name} {value:,}" for name, value in zip(COUNT_FIELDS, self.counts, strict=True)
        )

    def effect(self) -> list:
        return [self.number, self.fips, str(self.month), self.outcome, list(self.counts or ())]


def parse_month(value: object, field: str = "month") -> dt.date:
    """The month a cell names, as its first day: "2010-09", "2010/9", or any date within it."""
    if isinstance(value, str) and (match := _MONTH.fullmatch(value.strip())):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise DomainError(f"{value!r} is not a month: there is no month {month}.", field=field)
    try:
        day = parse_date(value, field)
    except DomainError as exc:
        raise DomainError(
            f"{value!r} is not a month: write it as 2010-09 (or a date within the month).",
            field=field,
        ) from exc
    if day is None:
        raise DomainError("the month is blank: write it as 2010-09.", field=field)
    return month_start(day)


def parse_count(value: object, field: str) -> int:
    """A count cell as a whole number, 0 or more ("1,234" and 12.0 are accepted)."""
    if isinstance(value, bool):
        raise DomainError(f"{value!r} is not a count.", field=field)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            value = None
        elif _THOUSANDS.fullmatch(text):
            value = int(text.replace(",", ""))
        elif re.fullmatch(r"[-+]?\d+(?:\.0+)?", text):
            value = int(float(text))
    if value is None:
        raise DomainError("is blank: give a whole number (0 when there were none).", field=field)
    if not isinstance(value, int):
        raise DomainError(f"{value!r} is not a whole number.", field=field)
    if value < 0:
        raise DomainError(f"{value} is negative: counts are 0 or more.", field=field)
    return value


def read_statistics_file(filename: str, data: bytes) -> SourceFile:
    """The rows of a CSV or XLSX statistics file; ImportFileError when it cannot be one."""
    return read_import_file(filename, data, STATISTICS_LAYOUT)


@dataclass(frozen=True, slots=True)
class _InForce:
    id: int
    counts: tuple[int, ...]


def _in_force(months: set[dt.date]) -> dict[tuple[str, dt.date], _InForce]:
    """The version in force of every (jurisdiction, month) for the given months."""
    if not months:
        return {}
    columns = [getattr(MonthlyStatistics, name) for name in COUNT_FIELDS]
    statement = select(
        MonthlyStatistics.id, MonthlyStatistics.jurisdiction_fips, MonthlyStatistics.month, *columns
    ).where(
        MonthlyStatistics.in_force(),
        MonthlyStatistics.month.between(min(months), max(months)),
    )
    return {
        (fips, month): _InForce(row_id, tuple(counts))
        for row_id, fips, month, *counts in db.session.execute(statement)
    }


def preview_statistics_import(
    filename: str,
    data: bytes,
    *,
    source: SourceFile | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and check every row of a statistics file against what is recorded; write nothing.

    Raises ImportFileError when the file as a whole is unusable; row problems are collected in
    the preview, so all of them are reported at once. The registry, the activations and the
    figures in force are each loaded in one query.
    """
    source = source or read_statistics_file(filename, data)
    resolver = Resolver.from_database()
    activations = dict(
        db.session.execute(
            select(Activation.jurisdiction_fips, Activation.activated_on).where(
                Activation.in_force()
            )
        ).all()
    )
    this_month = month_start(today())
    # A file names the same few thousand jurisdictions and few months over and over: each
    # distinct spelling is resolved and each month parsed once.
    place_of = functools.lru_cache(maxsize=None)(functools.partial(_place, resolver))
    month_of = functools.lru_cache(maxsize=None)(_month)
    rows = [
        _check_row(source_row, place_of, month_of, activations, this_month)
        for source_row in with_progress(source.rows, progress)
    ]
    recorded = _in_force({row.month for row in rows if row.month is not None})
    first_row: dict[tuple[str, dt.date], int] = {}
    for row in rows:
        if row.fips is not None and row.month is not None:
            key = (row.fips, row.month)
            if key in first_row:
                row.error(
                    "month",
                    f"{row.label} has {row.month:%Y-%m} on row {first_row[key]} too; give each "
                    "jurisdiction and month once per file.",
                )
            else:
                first_row[key] = row.number
        _compare(row, recorded)
    return ImportPreview.of_file(filename, data, source, rows, WRITTEN_HEADINGS)


def _place(resolver: Resolver, state: str, fips_text: str, name_text: str) -> tuple:
    """(fips, label, None) for the row's jurisdiction, found by FIPS code or by state and
    name (both must agree), or (None, None, (field, message))."""
    try:
        entry = resolver.resolve(state, fips_text or name_text)
        if fips_text and name_text and not name_text.isdigit() and state:
            named = resolver.resolve(state, name_text)
            if named.fips != entry.fips:
                raise DomainError(
                    f"fips {fips_text} is {entry.label} but the jurisdiction column says "
                    f"{name_text!r} ({named.label}); correct one of them.",
                    field="fips",
                )
    except DomainError as exc:
        return None, None, (exc.field or "jurisdiction", exc.message)
    return entry.fips, entry.label, None


def _month(value: object) -> tuple[dt.date | None, str | None]:
    try:
        return parse_month(value), None
    except DomainError as exc:
        return None, exc.message


def _check_row(
    source: SourceRow,
    place_of,
    month_of,
    activations: dict[str, dt.date],
    this_month: dt.date,
) -> StatisticsRow:
    values = source.values
    fips_text = cell_text(values.get("fips"))
    name_text = cell_text(values.get("jurisdiction"))
    row = StatisticsRow(
        number=source.number,
        month_text=cell_text(values.get("month")),
        state=cell_text(values.get("state")),
        jurisdiction=fips_text or name_text,
    )
    if source.uncalculated:
        flag_uncalculated(row, source)
    row.fips, row.label, problem = place_of(row.state, fips_text, name_text)
    if problem:
        row.error(*problem)
    month = values.get("month")
    row.month, problem = month_of(month) if isinstance(month, Hashable) else _month(month)
    if problem:
        row.error("month", problem)
    counts = []
    for name in COUNT_FIELDS:
        value = values.get(name)
        if type(value) is str and value.isdigit():  # most cells: inline, no call
            counts.append(int(value))
            continue
        try:
            counts.append(parse_count(value, name))
        except DomainError as exc:
            row.error(name, exc.message)
    if row.errors:
        return row
    row.counts = tuple(counts)
    submissions, matches = counts[0], counts[1]
    if matches > submissions:
        row.error(
            "matches",
            f"{matches:,} matches out of {submissions:,} submissions: matches cannot exceed "
            "submissions.",
        )
    identified = sum(counts[LEVELS])
    if identified > matches:
        row.error(
            "non_criminal",
            f"level1 + level2 + level3 + non_criminal = {identified:,}, more than the "
            f"{matches:,} matches.",
        )
    if row.month >= this_month:
        row.error("month", f"{row.month:%Y-%m} has not ended yet.")
    activated_on = activations.get(row.fips)
    if activated_on is None:
        row.error(
            "month",
            f"{row.label} has not activated; statistics start with the month it activates.",
        )
    elif row.month < month_start(activated_on):
        row.error(
            "month",
            f"{row.month:%Y-%m} is before {row.label} activated on "
            f"{activated_on.isoformat()}; statistics start with the month of activation.",
        )
    return row


def _compare(row: StatisticsRow, recorded: dict[tuple[str, dt.date], _InForce]) -> None:
    if row.errors:
        row.outcome = Outcome.ERROR
        return
    current = recorded.get((row.fips, row.month))
    if current is None:
        row.outcome = Outcome.NEW
    elif current.counts == row.counts:
        row.outcome = Outcome.UNCHANGED
    else:
        row.outcome = Outcome.CHANGED
        row.replaces_id = current.id
        row.changes = [
            FieldChange(name, before, after)
            for name, before, after in zip(COUNT_FIELDS, current.counts, row.counts, strict=True)
            if before != after
        ]
