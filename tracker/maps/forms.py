"""The map's parameters: the date it shows and the state it opens on."""

from __future__ import annotations

from tracker.params import AsKnownForm
from tracker.registry.forms import StateParam


class MapForm(AsKnownForm):
    """/map, /map/download and /api/v1/status: ?as_of= (default today), ?known_at= (default
    now) and ?state= (postal or FIPS code)."""

    state = StateParam()
