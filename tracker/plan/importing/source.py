"""What every part of the import reader shares: the file-level error and the bounds of a file."""

from __future__ import annotations

from tracker.errors import DomainError

PLAN_ROWS = 100_000  # the data rows a plan file may have
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 10


class ImportFileError(DomainError):
    """The file as a whole cannot be read (empty, wrong headers, not CSV/XLSX...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")
