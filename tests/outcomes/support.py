"""Statistics files and activated jurisdictions for the outcomes tests."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from html import unescape
from pathlib import Path

import time_machine
from sqlalchemy import select

from tests.outcomes.data.make_held_out import TEXAS
from tests.plan_import.files import csv_bytes
from tests.support.records import write

HEADER = (
    "month", "fips", "submissions", "matches", "level1", "level2", "level3", "non_criminal",
    "removed",
)  # fmt: skip
# Today, for every outcomes test: statistics up to May 2011 are for months that have ended.
NOW = dt.datetime(2011, 6, 1, 12)
# Anderson County, TX and Andrews County, TX (no real activation record): activated here.
COUNTY, OTHER_COUNTY = "48001", "48003"
ACTIVATED_ON = {COUNTY: dt.date(2010, 3, 10), OTHER_COUNTY: dt.date(2010, 5, 4)}


HELD_OUT = Path(__file__).resolve().parent / "data" / "held_out_2011q1.csv"
# After both quarters the fixtures import have ended.
LATER = dt.datetime(2011, 8, 1, 12)
# A county the held-out quarter plants as a high outlier of the no-conviction share.
HIGH = "48061"


def import_held_out(app) -> None:
    """Every Texas county not yet activated activated on 1 June 2010, and the held-out quarter
    (2011-Q1) imported, recorded in August 2011 when both quarters the fixtures use have ended."""
    from tracker.extensions import db
    from tracker.plan.models import Activation

    with app.app_context():
        already = set(db.session.scalars(select(Activation.jurisdiction_fips)))
    with time_machine.travel(LATER, tick=False):
        activate(app, {fips: dt.date(2010, 6, 1) for fips in TEXAS if fips not in already})
        preview, result = import_file(app, HELD_OUT.read_bytes(), name=HELD_OUT.name)
    assert not preview.has_errors, preview.error_lines()[:5]
    assert result.added == 3 * len(TEXAS)


def stats_csv(rows: Iterable[Sequence[object]], header: Sequence[str] | None = HEADER) -> bytes:
    return csv_bytes(rows, header=header)


def activate(app, activations: dict[str, dt.date] | None = None) -> None:
    """Record the activations (default: the two counties above) and commit."""
    from tracker.plan import services as plan

    def record_all() -> None:
        for fips, day in (activations or ACTIVATED_ON).items():
            plan.record_activation(fips, day, source="test")

    write(app, record_all)


def import_file(app, data: bytes, name: str = "stats.csv"):
    """Preview and apply a statistics file through the service; returns (preview, result)."""
    from tracker.outcomes.applying import apply_statistics_import
    from tracker.outcomes.importing import preview_statistics_import

    def preview_and_apply():
        preview = preview_statistics_import(name, data)
        return preview, None if preview.has_errors else apply_statistics_import(preview)

    return write(app, preview_and_apply)


def upload(client, url: str, data: bytes, name: str = "stats.csv"):
    return client.post(
        url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def hidden(html: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)[1])
