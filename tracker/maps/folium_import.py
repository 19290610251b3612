"""Folium, imported without pandas.

Folium imports pandas whenever it is installed, only to accept DataFrames (the map never passes
one); that costs each worker about 40 MiB. pandas is hidden while Folium loads, then visible
again for anyone else who wants it.
"""

from __future__ import annotations

import sys

_hide_pandas = "pandas" not in sys.modules
if _hide_pandas:
    sys.modules["pandas"] = None  # type: ignore[assignment]
try:
    import folium
    from branca.element import Element, MacroElement
    from folium.template import Template
finally:
    if _hide_pandas:
        del sys.modules["pandas"]

__all__ = ["Element", "MacroElement", "Template", "folium"]
