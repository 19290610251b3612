"""Settings: one table, environment overrides, and production's refusal to run without a key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.config import SETTINGS, ConfigurationError, build_flask_config

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="TRACKER_SECRET_KEY"):
        build_flask_config(
            environ={"TRACKER_ENV": "production", "TRACKER_INSTANCE_PATH": str(tmp_path)}
        )


def test_production_is_the_default_environment(tmp_path):
    with pytest.raises(ConfigurationError):
        build_flask_config(environ={"TRACKER_INSTANCE_PATH": str(tmp_path)})


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    environ = {"TRACKER_ENV": "development", "TRACKER_INSTANCE_PATH": str(tmp_path)}
    first = build_flask_config(environ=environ)["SECRET_KEY"]
    second = build_flask_config(environ=environ)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    config = build_flask_config(
        environ={"TRACKER_ENV": "development", "TRACKER_INSTANCE_PATH": str(tmp_path)}
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite3'}"


def test_environment_overrides_defaults_and_bad_values_name_the_variable(tmp_path):
    environ = {
        "TRACKER_ENV": "production",
        "TRACKER_SECRET_KEY": "k" * 40,
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_UPLOAD_MAX_MB": "7",
    }
    assert build_flask_config(environ=environ)["TRACKER_UPLOAD_MAX_MB"] == 7
    environ["TRACKER_UPLOAD_MAX_MB"] = "lots"
    with pytest.raises(ConfigurationError, match="TRACKER_UPLOAD_MAX_MB"):
        build_flask_config(environ=environ)


def test_https_setting_marks_cookies_secure(tmp_path):
    environ = {
        "TRACKER_ENV": "development",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_HTTPS": "true",
    }
    config = build_flask_config(environ=environ)
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_setting_is_documented(document):
    text = (ROOT / document).read_text()
    missing = [s.name for s in SETTINGS if not re.search(rf"\b{s.name}\b", text)]
    assert not missing, f"{document} does not mention {missing}"


def test_every_setting_has_help_text():
    assert all(len(setting.help) > 20 for setting in SETTINGS)
