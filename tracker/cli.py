"""The `tracker` command: a Flask CLI group with each feature's commands attached."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    from tracker.auth.cli import users_group
    from tracker.backup.cli import backup_command, restore_command
    from tracker.exports.cli import export_command
    from tracker.plan.cli import import_group
    from tracker.seeding.cli import seed_command
    from tracker.serve import serve_command

    for command in (
        seed_command,
        users_group,
        import_group,
        export_command,
        backup_command,
        restore_command,
        serve_command,
    ):
        app.cli.add_command(command)


def _create_app():
    from tracker import create_app

    return create_app()


cli = FlaskGroup(
    name="tracker",
    create_app=_create_app,
    add_default_commands=True,
    # The tracker reads its own TRACKER_* settings; .env files are not loaded implicitly.
    load_dotenv=False,
    help="Activation Tracker: database, seeding, accounts, imports, exports and the server.",
)


def main() -> None:
    cli.main(prog_name="tracker")
