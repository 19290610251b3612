"""What every bulk import shows before it writes: each row's outcome, changes and errors.

The plan import and the statistics import both build an ImportPreview of their own rows (each a
PreviewRow). The preview counts the outcomes, lists the errors as `row R: FIELD: message`, and
digests what applying would do into a fingerprint, so a confirmation can tell whether the data
moved since the person looked at the preview.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from tracker.errors import DomainError
from tracker.plan.importing.reader import SourceFile, SourceRow

Progress = Callable[[int], None]
PROGRESS_STEP = 250
_T = TypeVar("_T")


class Outcome(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RowError:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass
class PreviewRow:
    """One file row: what it resolved to, what applying it would change, or what is wrong."""

    number: int
    fips: str | None = None
    label: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    outcome: Outcome = Outcome.UNCHANGED

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(RowError(field_name, message))

    @property
    def written(self) -> tuple[str, ...]:
        """How the file names the row's subject, one cell per ImportPreview.written_headings."""
        return ()

    @property
    def note(self) -> str:
        """A line under the changes (e.g. the plan decision's date and reason); may be empty."""
        return ""

    def effect(self) -> list:
        """What applying the row does, as JSON-able data for the preview's fingerprint."""
        changes = [[c.field, str(c.before), str(c.after)] for c in self.changes]
        return [self.number, self.fips, self.outcome, changes]


def flag_uncalculated(row: PreviewRow, source: SourceRow) -> None:
    """An error for each cell holding a formula that was never calculated (no saved value)."""
    for column in sorted(source.uncalculated):
        row.error(
            column,
            "the cell holds a formula with no saved value; open the file in a spreadsheet "
            "program, save it, and import it again.",
        )


def with_progress(items: Iterable[_T], progress: Progress | None) -> Iterator[_T]:
    """`items`, telling `progress` (a progress bar's update) every PROGRESS_STEP items and once
    more for the rest at the end."""
    done = 0
    for item in items:
        yield item
        done += 1
        if progress is not None and done % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress is not None and done % PROGRESS_STEP:
        progress(done % PROGRESS_STEP)


@dataclass
class ImportPreview:
    filename: str
    sha256: str
    rows: list
    ignored_columns: list[str]
    # Headings of the cells each row's `written` gives: how the file names the row's subject.
    written_headings: tuple[str, ...] = ()

    @classmethod
    def of_file(
        cls,
        filename: str,
        data: bytes,
        source: SourceFile,
        rows: list,
        written_headings: tuple[str, ...],
    ) -> ImportPreview:
        """The preview of a file's checked rows, known by the SHA-256 of its bytes (what the
        import's audit event records and the fingerprint starts from), with the columns the
        reader passed over."""
        return cls(
            filename=filename,
            sha256=hashlib.sha256(data).hexdigest(),
            rows=rows,
            ignored_columns=source.ignored_columns,
            written_headings=written_headings,
        )

    @property
    def counts(self) -> dict[Outcome, int]:
        counts = dict.fromkeys(Outcome, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def refuse_if_errors(self) -> None:
        """Applying a file with any error row is refused whole (DomainError)."""
        if self.has_errors:
            raise DomainError(
                f"{self.filename} has {self.counts[Outcome.ERROR]} rows with errors; "
                "nothing was imported.",
                field="file",
            )

    @property
    def changes_anything(self) -> bool:
        """True when some row is new or changed: applying would write something."""
        counts = self.counts
        return counts[Outcome.NEW] + counts[Outcome.CHANGED] > 0

    def rows_for_review(self) -> list:
        """Rows in the order a reviewer needs them: errors, changes, new rows, then unchanged."""
        order = {Outcome.ERROR: 0, Outcome.CHANGED: 1, Outcome.NEW: 2, Outcome.UNCHANGED: 3}
        return sorted(self.rows, key=lambda row: (order[row.outcome], row.number))

    def error_lines(self) -> list[str]:
        """One line per error: `row R: FIELD: message`."""
        return [
            f"row {row.number}: {error.field}: {error.message}"
            for row in self.rows
            for error in row.errors
        ]

    def summary(self) -> str:
        """`N rows: A new, B changed, C unchanged, E errors` (E counts rows with errors)."""
        counts = self.counts
        return (
            f"{len(self.rows)} rows: {counts[Outcome.NEW]} new, {counts[Outcome.CHANGED]} "
            f"changed, {counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.ERROR]} errors"
        )

    def audit_summary(self) -> dict[str, object]:
        """What every import's audit event records of the file: its name, SHA-256, and how many
        rows were new, changed and unchanged."""
        counts = self.counts
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "rows": len(self.rows),
            "new": counts[Outcome.NEW],
            "changed": counts[Outcome.CHANGED],
            "unchanged": counts[Outcome.UNCHANGED],
        }

    def fingerprint(self) -> str:
        """A digest of what applying would do, to tell whether the data moved since a preview."""
        digest = hashlib.sha256(self.sha256.encode())
        for row in self.rows:
            if row.outcome in (Outcome.NEW, Outcome.CHANGED):
                digest.update(json.dumps(row.effect()).encode())
        return digest.hexdigest()
