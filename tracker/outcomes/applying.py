"""Applying a statistics import (its preview is importing.py): new months added, changed months
corrected, everything recorded at one moment, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from tracker.audit.services import current_actor, record
from tracker.corrections.models import Correction, CorrectionAction, FactKind
from tracker.corrections.services import record_correction
from tracker.db import bulk_insert, utcnow
from tracker.errors import Conflict
from tracker.extensions import db
from tracker.outcomes.importing import StatisticsRow
from tracker.outcomes.models import COUNT_FIELDS, MonthlyStatistics
from tracker.plan.importing.preview import ImportPreview, Outcome, Progress, with_progress


@dataclass(frozen=True, slots=True)
class StatisticsImportResult:
    added: int  # months that had no figures
    replaced: int  # months whose figures were superseded


def import_source(filename: str) -> str:
    return f"import: {filename}"[:300]


CHUNK = 1000


def apply_statistics_import(
    preview: ImportPreview, *, progress: Progress | None = None
) -> StatisticsImportResult:
    """Add a version for each new and changed month of `preview`, all recorded at one moment;
    flush only (the caller commits once).

    A changed month is a correction (corrections.record_correction: "Monthly statistics",
    amended, the reason naming the file, the counts before and after) that supersedes the
    version in force; the new version is its replacement. The preview must have been computed
    in this same transaction. A preview with errors is refused whole; one with nothing new or
    changed writes nothing, not even an audit event. Conflict when another import recorded the
    same months since the preview.
    """
    preview.refuse_if_errors()
    rows = [row for row in preview.rows if row.outcome in (Outcome.NEW, Outcome.CHANGED)]
    if not rows:
        return StatisticsImportResult(added=0, replaced=0)
    now = utcnow()
    actor = current_actor()
    changed = [row for row in rows if row.replaces_id is not None]
    corrections = _correct(changed, preview, now)
    versions = [
        {
            "jurisdiction_fips": row.fips,
            "month": row.month,
            **dict(zip(COUNT_FIELDS, row.counts, strict=True)),
            "source": import_source(preview.filename),
            "is_demo": False,
            "recorded_by_id": actor.id if actor is not None else None,
            "recorded_at": now,
            "superseded_at": None,
            "superseded_by_id": None,
        }
        for row in with_progress(rows, progress)
    ]
    try:
        bulk_insert(db.session, MonthlyStatistics.__table__, versions)
    except IntegrityError as exc:
        raise _moved() from exc
    if corrections:
        replacements = _ids_in_force({(row.fips, row.month) for row in changed})
        for row, correction in zip(changed, corrections, strict=True):
            correction.replacement_id = replacements[(row.fips, row.month)]
    record(
        "stats.import",
        "statistics_import",
        preview.filename[:60],
        after={
            **preview.audit_summary(),
            "months": sorted({row.month.isoformat()[:7] for row in rows}),
        },
    )
    db.session.flush()
    return StatisticsImportResult(added=len(rows) - len(changed), replaced=len(changed))


def _correct(changed: list[StatisticsRow], preview: ImportPreview, now) -> list[Correction]:
    """A correction of each changed month, and its version in force superseded by it."""
    if not changed:
        return []
    corrections = [
        record_correction(
            FactKind.MONTHLY_STATISTICS,
            row.replaces_id,
            CorrectionAction.AMEND,
            reason=f"Imported again from {preview.filename} (SHA-256 {preview.sha256[:12]}…)",
            summary=f"Statistics {row.month:%Y-%m} for {row.label}: "
            + "; ".join(f"{c.field} {c.before:,} → {c.after:,}" for c in row.changes),
            jurisdiction_fips=row.fips,
            before={c.field: c.before for c in row.changes},
            after={c.field: c.after for c in row.changes},
            at=now,
            flush=False,
        )
        for row in changed
    ]
    db.session.flush()  # the corrections get their ids
    pairs = [(row.replaces_id, c.id) for row, c in zip(changed, corrections, strict=True)]
    table = MonthlyStatistics.__table__  # the table itself: an executemany, not the ORM's
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("old"), table.c.superseded_at.is_(None))
        .values(superseded_at=now, superseded_by_id=bindparam("by")),
        [{"old": old, "by": by} for old, by in pairs],
    )
    # Each version in force must now be superseded by our correction: one that another import
    # superseded first (or is still in force) means the data moved since the preview.
    for start in range(0, len(pairs), CHUNK):
        chunk = dict(pairs[start : start + CHUNK])
        ours = db.session.scalar(
            select(func.count())
            .select_from(MonthlyStatistics)
            .where(
                MonthlyStatistics.id.in_(chunk),
                MonthlyStatistics.superseded_by_id.in_(chunk.values()),
            )
        )
        if ours != len(chunk):
            raise _moved()
    return corrections


def _ids_in_force(keys: set[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], int]:
    """The id of the version in force of each (jurisdiction, month)."""
    months = {month for _fips, month in keys}
    statement = select(
        MonthlyStatistics.id, MonthlyStatistics.jurisdiction_fips, MonthlyStatistics.month
    ).where(
        MonthlyStatistics.in_force(),
        MonthlyStatistics.month.in_(months),
        MonthlyStatistics.jurisdiction_fips.in_({fips for fips, _month in keys}),
    )
    return {
        (fips, month): row_id
        for row_id, fips, month in db.session.execute(statement)
        if (fips, month) in keys
    }


def _moved() -> Conflict:
    return Conflict(
        "Another import recorded statistics for the same months meanwhile; nothing was "
        "imported. Preview the file again."
    )
