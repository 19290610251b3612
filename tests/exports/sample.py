"""A small fixed dataset for the writer tests: three states, one hostile cell, a frozen clock."""

from __future__ import annotations

import datetime as dt

from tracker.exports.sources import ACTIVATED_COLUMNS, PLANNED_COLUMNS
from tracker.exports.table import ExportMeta

GENERATED_AT = dt.datetime(2011, 1, 3, 14, 5, 9, tzinfo=dt.UTC)
AS_OF = dt.date(2010, 9, 30)

ACTIVATED_ROWS = [
    ("AZ", "Arizona", "04013", "Maricopa County", dt.date(2009, 5, 12)),
    ("AZ", "Arizona", "04019", "Pima County", dt.date(2010, 8, 10)),
    ("DC", "District of Columbia", "11001", "District of Columbia", dt.date(2010, 6, 1)),
    ("TX", "Texas", "48001", "Anderson County", dt.date(2008, 10, 27)),
    ("TX", "Texas", "48201", "Harris County", dt.date(2008, 10, 27)),
]
PLANNED_ROWS = [
    ("CA", "California", "06037", "Los Angeles County", dt.date(2010, 8, 27), True),
    ("CA", "California", "06073", "San Diego County", dt.date(2010, 11, 2), False),
]
# Each trigger character at the start of a text cell, in every text column.
HOSTILE_ROWS = [
    ("=X", '=HYPERLINK("http://evil")', "48001", "+SUM(A1:A2)", dt.date(2010, 1, 5)),
    ("@X", "-2+3", "48003", "@cmd", dt.date(2010, 1, 6)),
]
HOSTILE_VALUES = ['=HYPERLINK("http://evil")', "+SUM(A1:A2)", "-2+3", "@cmd"]


def activated_meta(**changes) -> ExportMeta:
    values = dict(
        list_name="activated",
        title="Activated jurisdictions as of 30 September 2010",
        as_of=AS_OF,
        generated_at=GENERATED_AT,
        filters={},
    )
    values.update(changes)
    return ExportMeta(**values)


def planned_meta() -> ExportMeta:
    return activated_meta(list_name="planned", title="Planned activations as of 30 September 2010")


__all__ = ["ACTIVATED_COLUMNS", "PLANNED_COLUMNS"]
