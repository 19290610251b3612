"""The compact status encoding the map, the download and /api/v1/status share (pure: no Flask, no DB).

One entry per jurisdiction, keyed by 5-digit FIPS:

    "48001": ["p", "2011-05-10"]     planned, scheduled for that date
    "48003": ["a", "2009-11-03"]     activated on that date
    "48005": ["n"]                   not scheduled
    "48007": ["d", "2011-02-01"]     deferral pending (staff only); the date still in the plan, if any
    "48009": ["r"]                   removed from the plan (staff only)

A planned date before `as_of` means past due. About 60 kB for the whole country (about 12 kB
gzipped), against 1.4 MB of shapes that never change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tracker.status.rule import JurisdictionStatus, Status

STATUS_CODES: dict[Status, str] = {
    Status.ACTIVATED: "a",
    Status.PLANNED: "p",
    Status.NOT_SCHEDULED: "n",
    Status.DEFERRAL_PENDING: "d",
    Status.REMOVED: "r",
}


def encode_row(row: JurisdictionStatus) -> list[str]:
    """[code] or [code, date]: the activation date when activated, else the scheduled date."""
    code = STATUS_CODES[row.status]
    day = row.activated_on if row.status is Status.ACTIVATED else row.scheduled_on
    return [code, day.isoformat()] if day else [code]


def encode_statuses(rows: Iterable[JurisdictionStatus]) -> dict[str, list[str]]:
    """FIPS -> encoded status, in the rows' order (status_as_of orders them by FIPS)."""
    return {row.fips: encode_row(row) for row in rows}


def status_document(
    rows: Iterable[JurisdictionStatus],
    *,
    as_of: str,
    data_version: int,
    public: bool,
    headline: str,
    names: bool = False,
) -> dict[str, Any]:
    """The whole /api/v1/status body (also inlined into a downloaded map). `headline` is the
    sentence the map shows beside it (tracker.status.headline), so the script never composes it.

    With `names`, also "names" (FIPS -> the registry's full name) and "state_names" (postal ->
    name): the map asks for them once, with its first date.
    """
    rows = list(rows)
    document: dict[str, Any] = {
        "as_of": as_of,
        "data_version": data_version,
        "public": public,
        "headline": headline,
        "codes": {code: status.value for status, code in STATUS_CODES.items()},
        "statuses": encode_statuses(rows),
    }
    if names:
        document["names"] = {row.fips: row.full_name for row in rows}
        document["state_names"] = {row.state_postal: row.state_name for row in rows}
    return document


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element: no `</script>`, `<!--` or `]]>` can
    close or confuse it, whatever text (a jurisdiction name, say) the data holds."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
