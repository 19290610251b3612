"""Imports every API module so its routes register on the blueprint. One line per module."""

from tracker.api import activations as _activations  # noqa: F401
from tracker.api import bp  # noqa: F401
from tracker.api import briefings as _briefings  # noqa: F401
from tracker.api import deferrals as _deferrals  # noqa: F401
from tracker.api import jurisdictions as _jurisdictions  # noqa: F401
from tracker.api import openapi as _openapi  # noqa: F401
from tracker.api import stats as _stats  # noqa: F401
from tracker.api import status as _status  # noqa: F401
