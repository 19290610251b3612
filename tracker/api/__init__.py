"""The JSON API at /api/v1: one blueprint, one parameter style, one error format, one paging shape.

Endpoint modules register on `bp`; tracker/api/endpoints.py imports them all.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
