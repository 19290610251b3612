"""A fixture for the import tests: a snapshot of what the database holds."""

from __future__ import annotations

import pytest

from tests.plan_import.files import database_counts


@pytest.fixture()
def counts(app):
    """counts() -> the row counts, read in a fresh app context (sees committed savepoints)."""

    def _counts() -> dict[str, int]:
        with app.app_context():
            return database_counts()

    return _counts
