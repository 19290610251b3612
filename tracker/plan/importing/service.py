"""Importing a plan file: every row validated into a preview, then applied all-or-nothing.

Rules, in the order a row meets them:
- the row names one jurisdiction (resolver.py) and appears once in the file;
- it gives scheduled_on, activated_on or both; decided_on defaults to today and reason to
  "Imported from <file name>"; no date may be impossible, no decision or activation in the future;
- compared with what is in force today (the latest plan change, the activation), a row is
  *unchanged* when it says nothing new, *new* when the jurisdiction had neither a plan nor an
  activation, *changed* otherwise;
- a scheduled date that differs from the plan in force becomes a plan change, unless the
  jurisdiction activated on or before the decision date (its plan can no longer change) or the
  plan in force was decided after this row's decided_on (the row would not take effect);
- an activation is recorded once: the same date again is unchanged, a different one an error.
A file with any error row is refused whole; nothing is written. Applying writes through
tracker.plan.services (each change audited there) plus one "plan.import" audit event, so
importing the same file again finds every row unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.audit.services import record
from tracker.dates import today
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan import services as plan
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
from tracker.plan.importing.reader import SourceFile, SourceRow, cell_text, read_plan_file
from tracker.plan.importing.resolver import Resolver
from tracker.plan.models import Activation, PlanChangeKind


@dataclass
class RowPreview(PreviewRow):
    """One plan row: what it says, what it resolved to, and what applying it would do."""

    state: str = ""
    jurisdiction: str = ""
    scheduled_on: dt.date | None = None
    activated_on: dt.date | None = None
    decided_on: dt.date | None = None
    reason: str = ""
    schedule: bool = False
    activate: bool = False

    @property
    def written(self) -> tuple[str, ...]:
        return (self.state, self.jurisdiction)

    @property
    def note(self) -> str:
        if not self.schedule:
            return ""
        return f"decided {self.decided_on.isoformat()}; reason: {self.reason}"


WRITTEN_HEADINGS = ("State", "Jurisdiction (as written)")


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan_changes: int
    activations: int


@dataclass(frozen=True, slots=True)
class _InForce:
    kind: PlanChangeKind
    scheduled_on: dt.date | None
    decided_on: dt.date


def default_reason(filename: str) -> str:
    return f"Imported from {filename}"


def import_source(filename: str) -> str:
    return f"import: {filename}"[:300]


def _plans_in_force() -> dict[str, _InForce]:
    """The latest plan change of every jurisdiction, in one query."""
    in_force = plan.plan_in_force()
    return {
        fips: _InForce(PlanChangeKind(kind), scheduled_on, decided_on)
        for fips, kind, scheduled_on, decided_on in db.session.execute(select(in_force))
    }


def _activations() -> dict[str, dt.date]:
    statement = select(Activation.jurisdiction_fips, Activation.activated_on).where(
        Activation.in_force()
    )
    return {fips: activated_on for fips, activated_on in db.session.execute(statement)}


def preview_import(
    filename: str,
    data: bytes,
    *,
    source: SourceFile | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and validate every row of a plan file against the plan in force; write nothing.

    Raises ImportFileError when the file as a whole is unusable (empty, no header, missing
    columns); row problems are collected in the preview instead, so all of them are reported
    at once. The registry, the plans in force and the activations are each loaded in one query.
    `source` is the file already read by read_plan_file (to size a progress bar first).
    """
    source = source or read_plan_file(filename, data)
    resolver = Resolver.from_database()
    in_force = _plans_in_force()
    activations = _activations()
    on = today()
    first_row: dict[str, int] = {}
    rows: list[RowPreview] = []
    for source_row in with_progress(source.rows, progress):
        row = _check_row(source_row, filename, resolver, on)
        if row.fips is not None:
            if row.fips in first_row:
                row.error(
                    "jurisdiction",
                    f"{row.label} is also on row {first_row[row.fips]}; give each "
                    "jurisdiction once per file.",
                )
            else:
                first_row[row.fips] = row.number
            if not row.errors:
                _compare(row, in_force.get(row.fips), activations.get(row.fips))
        row.outcome = _outcome(row, in_force, activations)
        rows.append(row)
    return ImportPreview.of_file(filename, data, source, rows, WRITTEN_HEADINGS)


def _check_row(source: SourceRow, filename: str, resolver: Resolver, on: dt.date) -> RowPreview:
    values = source.values
    row = RowPreview(
        number=source.number,
        state=cell_text(values.get("state")),
        jurisdiction=cell_text(values.get("jurisdiction")),
        reason=cell_text(values.get("reason")) or default_reason(filename),
    )
    flag_uncalculated(row, source)
    try:
        entry = resolver.resolve(row.state, row.jurisdiction)
        row.fips, row.label = entry.fips, entry.label
    except DomainError as exc:
        row.error(exc.field or "jurisdiction", exc.message)
    for column in ("scheduled_on", "activated_on", "decided_on"):
        try:
            setattr(row, column, parse_date(values.get(column), column))
        except DomainError as exc:
            row.error(column, exc.message)
    if row.errors:
        return row
    if row.scheduled_on is None and row.activated_on is None:
        row.error("scheduled_on", "give scheduled_on, activated_on or both.")
    row.decided_on = row.decided_on or on
    if row.decided_on > on:
        row.error("decided_on", f"{row.decided_on.isoformat()} is in the future.")
    if row.activated_on is not None and row.activated_on > on:
        row.error(
            "activated_on",
            f"{row.activated_on.isoformat()} is in the future; record an activation once it "
            "has happened (use scheduled_on for a planned date).",
        )
    return row


def _compare(row: RowPreview, current: _InForce | None, activated_on: dt.date | None) -> None:
    """Decide what applying the row would do, against the plan and activation in force."""
    if row.activated_on is not None:
        if activated_on is None:
            row.activate = True
            row.changes.append(FieldChange("activated_on", None, row.activated_on))
        elif activated_on != row.activated_on:
            row.error(
                "activated_on",
                f"{row.label} already activated on {activated_on.isoformat()}; the file says "
                f"{row.activated_on.isoformat()}. An import never changes a recorded activation: "
                f"if it is wrong, correct it with a reason on /jurisdictions/{row.fips} "
                "(“Correct this entry” on its timeline).",
            )
    if row.scheduled_on is None:
        return
    planned = current.scheduled_on if current and current.kind is PlanChangeKind.SCHEDULED else None
    if planned == row.scheduled_on:
        return
    was = planned.isoformat() if planned else "not scheduled"
    if activated_on is not None and activated_on <= row.decided_on:
        row.error(
            "scheduled_on",
            f"{row.label} activated on {activated_on.isoformat()}; its plan can no longer "
            f"change (in force: {was}; the file says {row.scheduled_on.isoformat()}).",
        )
    elif current is not None and row.decided_on < current.decided_on:
        in_force_text = plan.plan_text(current.kind, current.scheduled_on)
        row.error(
            "decided_on",
            plan.earlier_decision_message(
                row.label, current.decided_on, in_force_text, row.decided_on
            ),
        )
    else:
        row.schedule = True
        row.changes.insert(0, FieldChange("scheduled_on", planned, row.scheduled_on))


def _outcome(
    row: RowPreview, in_force: dict[str, _InForce], activations: dict[str, dt.date]
) -> Outcome:
    if row.errors:
        row.schedule = row.activate = False
        row.changes.clear()
        return Outcome.ERROR
    if not (row.schedule or row.activate):
        return Outcome.UNCHANGED
    if row.fips not in in_force and row.fips not in activations:
        return Outcome.NEW
    return Outcome.CHANGED


def apply_import(
    preview: ImportPreview,
    *,
    progress: Progress | None = None,
    recorded_at: dt.datetime | None = None,
) -> ImportResult:
    """Write every new and changed row of `preview` through the plan services; flush only.
    With `recorded_at` (legacy records: `tracker import plan --recorded-at`, CLI only) every
    fact is recorded at that past moment rather than now, and the import's audit event says so.

    The preview must have been computed in this same transaction (the caller commits once,
    or rolls back on any error: all or nothing). A preview with errors is refused whole; one
    with nothing new or changed writes nothing at all, not even an audit event.
    """
    preview.refuse_if_errors()
    if not any(row.schedule or row.activate for row in preview.rows):
        # Nothing to write, so nothing to audit: a repeated import leaves no trace.
        return ImportResult(plan_changes=0, activations=0)
    source = import_source(preview.filename)
    plan_changes = activations = 0
    for row in with_progress(preview.rows, progress):
        if row.schedule:
            plan.schedule(
                row.fips,
                row.scheduled_on,
                decided_on=row.decided_on,
                reason=row.reason,
                source=source,
                recorded_at=recorded_at,
            )
            plan_changes += 1
        if row.activate:
            plan.record_activation(
                row.fips, row.activated_on, source=source, recorded_at=recorded_at
            )
            activations += 1
    record(
        "plan.import",
        "plan_import",
        preview.filename[:60],
        after={
            **preview.audit_summary(),
            "plan_changes": plan_changes,
            "activations": activations,
            "recorded_at": recorded_at,
        },
    )
    db.session.flush()
    return ImportResult(plan_changes=plan_changes, activations=activations)
