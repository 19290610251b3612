"""The map's parameters: the date it shows and the state it opens on."""

from __future__ import annotations

from tracker.params import AsOfForm
from tracker.registry.forms import StateParam


class MapForm(AsOfForm):
    """/map, /map/download and /api/v1/status: ?as_of= (default today) and ?state= (postal or
    FIPS code)."""

    state = StateParam()
