"""Imports every API module so its routes register on the blueprint. One line per module."""

from tracker.api import bp  # noqa: F401
