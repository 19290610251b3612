"""The `tracker` command helps before it is configured, and says what is wrong in one line.

Run as a real process from an empty folder with no TRACKER_* setting, as a new operator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.support.apps import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TRACKER = str(Path(sys.executable).with_name("tracker"))
# The contract's commands (DESIGN.md §3): each must be listed by `tracker --help`.
CONTRACT = ("db", "seed", "users", "import", "export", "backup", "restore", "serve")


def bare_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any tracker or Flask setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "FLASK_"))}
    env.update(extra)
    return env


def tracker(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""):
    return subprocess.run(
        [TRACKER, *args],
        cwd=cwd,
        env=env or bare_environment(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def listed_commands(help_text: str) -> list[str]:
    section = help_text.split("Commands:", 1)[1]
    return [line.split()[0] for line in section.splitlines() if line.startswith("  ")]


def test_help_needs_no_settings_and_lists_every_command(tmp_path):
    from tracker.cli import feature_commands

    result = tracker("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "Traceback" not in result.stdout
    listed = listed_commands(result.stdout)
    assert set(CONTRACT) <= set(listed)
    assert {command.name for command in feature_commands()} <= set(listed)
    assert list(tmp_path.iterdir()) == []  # no instance folder, no database, no secret key file


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


def test_every_command_and_subcommand_explains_itself_without_settings(tmp_path):
    from tracker.cli import cli

    unset = {name: None for name in os.environ if name.startswith(("TRACKER_", "FLASK_"))}
    runner = CliRunner(env={**unset, "FLASK_SKIP_DOTENV": "1"})
    paths = command_paths(cli)
    assert ("db", "upgrade") in paths and ("users", "create") in paths
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"], prog_name="tracker", catch_exceptions=False)
        assert result.exit_code == 0, (path, result.output)
        assert f"Usage: tracker {' '.join(path)}" in result.output


def test_version_is_the_package_version(tmp_path):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = tracker("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"Activation Tracker {declared}\n"


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "TRACKER_SECRET_KEY"),
        ({"TRACKER_ENV": "development", "TRACKER_UPLOAD_MAX_MB": "lots"}, "TRACKER_UPLOAD_MAX_MB"),
        ({"TRACKER_ENV": "staging"}, "TRACKER_ENV"),
        (
            {"TRACKER_ENV": "development", "TRACKER_DATABASE_URL": "tracker.db"},
            "TRACKER_DATABASE_URL",
        ),
        # A server that does not answer: the connection is refused at once on port 1.
        (
            {
                "TRACKER_ENV": "development",
                "TRACKER_DATABASE_URL": "postgresql+psycopg://tracker:x@127.0.0.1:1/tracker",
            },
            "TRACKER_DATABASE_URL",
        ),
    ],
)
def test_a_command_that_needs_the_app_names_the_bad_setting_in_one_line(tmp_path, settings, named):
    env = bare_environment(**settings, TRACKER_INSTANCE_PATH=str(tmp_path / "instance"))
    result = tracker("db", "upgrade", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: ") and named in result.stderr


def test_make_writes_a_dotenv_once_so_readme_commands_work_as_written(tmp_path):
    """`make run` writes .env (development mode) before anything else; the commands read it."""
    make = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), ".env"]
    subprocess.run(make, cwd=tmp_path, check=True, capture_output=True)
    dotenv = tmp_path / ".env"
    assert "TRACKER_ENV=development" in dotenv.read_text().splitlines()

    # The README's commands, exactly as written there, with no TRACKER_ENV in the environment.
    assert tracker("db", "upgrade", cwd=tmp_path).returncode == 0
    created = tracker(
        "users", "create", "--email", "you@example.gov", "--role", "admin",
        cwd=tmp_path, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "instance" / "tracker.sqlite3").exists()  # development defaults applied

    # A developer's own edits survive the next `make run`.
    dotenv.write_text("TRACKER_ENV=development\nTRACKER_WORKERS=3\n")
    subprocess.run(make, cwd=tmp_path, check=True, capture_output=True)
    assert "TRACKER_WORKERS=3" in dotenv.read_text()


def test_the_dotenv_file_is_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".env"], cwd=ROOT, capture_output=True
    )
    assert result.returncode == 0, ".env is not git-ignored"
