"""`tracker serve`: gunicorn with the settings an operator chose."""

from __future__ import annotations

import pytest

from tracker.config import ConfigurationError, build_flask_config
from tracker.serve import TrackerServer


@pytest.fixture
def started(monkeypatch):
    """The options `tracker serve` would start gunicorn with (gunicorn itself is not started)."""
    seen: list[dict] = []
    monkeypatch.setattr(TrackerServer, "run", lambda server: seen.append(server.options))
    return seen


def test_workers_are_replaced_after_the_configured_number_of_requests(app, cli_runner, started):
    app.config["TRACKER_WORKER_MAX_REQUESTS"] = 2000
    result = cli_runner.invoke(args=["serve", "--port", "8123", "--workers", "3"])
    assert result.exit_code == 0, result.output
    options = started[0]
    assert options["bind"] == "127.0.0.1:8123" and options["workers"] == 3
    assert options["max_requests"] == 2000
    assert 0 < options["max_requests_jitter"] <= 200  # staggered, so they don't restart at once


def test_zero_keeps_every_worker(app, cli_runner, started):
    app.config["TRACKER_WORKER_MAX_REQUESTS"] = 0
    assert cli_runner.invoke(args=["serve"]).exit_code == 0
    assert started[0]["max_requests"] == 0  # gunicorn's "never"
    assert started[0]["workers"] == app.config["TRACKER_WORKERS"]


def test_the_setting_defaults_to_5000_and_refuses_negative_numbers(tmp_path):
    environ = {"TRACKER_ENV": "development", "TRACKER_INSTANCE_PATH": str(tmp_path)}
    assert build_flask_config(environ=environ)["TRACKER_WORKER_MAX_REQUESTS"] == 5000
    environ["TRACKER_WORKER_MAX_REQUESTS"] = "-1"
    with pytest.raises(ConfigurationError, match="TRACKER_WORKER_MAX_REQUESTS"):
        build_flask_config(environ=environ)
