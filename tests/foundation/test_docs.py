"""The README is the manual: every command of `tracker` is documented there."""

from __future__ import annotations

from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
# Flask's own commands that the tracker neither adds nor advertises.
FLASK_BUILT_INS = {"run", "shell", "routes"}


def command_paths(group: click.Group, context: click.Context, prefix: str = "") -> list[str]:
    paths = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = f"{prefix}{name}"
        if isinstance(command, click.Group) and name != "db":
            paths.extend(command_paths(command, context, path + " "))
        else:
            paths.append(path)
    return paths


def test_every_command_is_in_the_readme(app):
    from tracker.cli import cli

    readme = (ROOT / "README.md").read_text()
    with app.app_context():
        context = click.Context(cli)
        commands = [
            path
            for path in command_paths(app.cli, context)
            if path.split()[0] not in FLASK_BUILT_INS
        ]
    assert "seed" in commands and "users create" in commands
    missing = [path for path in commands if f"tracker {path}" not in readme]
    assert not missing, f"README.md does not document: {missing}"
