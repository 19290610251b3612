"""Fixtures for the import tests: a frozen today and a snapshot of what the database holds."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

NOW = dt.datetime(2011, 6, 1, 12)


@pytest.fixture()
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def database_counts(app=None) -> dict[str, int]:
    """How many plan changes, activations and audit events the database holds."""
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db
    from tracker.plan.models import Activation, PlanChange

    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (PlanChange, Activation, AuditEvent)
    }


@pytest.fixture()
def counts(app):
    """counts() -> the row counts, read in a fresh app context (sees committed savepoints)."""

    def _counts() -> dict[str, int]:
        with app.app_context():
            return database_counts()

    return _counts
