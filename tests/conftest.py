"""The suite's fixtures live in the plugin tests/support/plugin.py; tests import plain helpers
from tests.support, never from a conftest."""

pytest_plugins = ["tests.support.plugin"]
