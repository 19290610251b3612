"""The `tracker` command: a Flask CLI group with each feature's commands attached
(tracker.features.feature_commands).

Every command is registered on the group itself, so `tracker --help` and `tracker <command>
--help` work before any setting exists; the app is built only when a command that needs it
runs, and a missing or malformed setting is then reported in one line, without a traceback.
Like `flask`, the command reads the nearest `.env` file (python-dotenv) first.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from tracker.features import feature_commands
from tracker.resources import tracker_version


def _create_app() -> Flask:
    from tracker import create_app
    from tracker.config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as exc:
        # The message names the setting and the fix; a traceback would only bury it.
        raise click.ClickException(str(exc)) from None


class TrackerGroup(FlaskGroup):
    """A FlaskGroup that lists and finds its commands without building the app.

    FlaskGroup asks the app for more commands, which means loading the settings first: without
    TRACKER_SECRET_KEY even `--help` would end in a traceback. The tracker's commands are all
    known up front, so the app is left for the command that runs to build. (Other packages'
    `flask.commands` plugins, such as Flask-Limiter's, are therefore not offered.)
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name)


class HelpFirstGroup(click.Group):
    """A group whose own callback builds the app (Flask-Migrate's `db`): `tracker db upgrade
    --help` is answered before that callback runs, so it needs no settings either."""

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and any(arg in ctx.help_option_names for arg in rest):
            # Parsing the subcommand's arguments prints its help and exits.
            command.make_context(name, list(rest), parent=ctx)
        return name, command, rest


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"Activation Tracker {tracker_version()}")
        ctx.exit()


cli = TrackerGroup(
    name="tracker",
    create_app=_create_app,
    add_default_commands=True,
    add_version_option=False,
    load_dotenv=True,
    help="Activation Tracker: database, seeding, accounts, imports, exports and the server.",
    params=[
        click.Option(
            ["--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_print_version,
            help="Show the tracker's version and exit.",
        )
    ],
)
# --app would be ignored (the group always builds the tracker), so it is not offered.
cli.params = [param for param in cli.params if param.name != "app"]


def _add_commands() -> None:
    from flask_migrate.cli import db

    cli.add_command(
        HelpFirstGroup(
            name="db", commands=db.commands, params=db.params, callback=db.callback, help=db.help
        )
    )
    for command in feature_commands():
        cli.add_command(command)


_add_commands()


def main() -> None:
    from sqlalchemy.exc import OperationalError

    try:
        cli.main(prog_name="tracker")
    except OperationalError as exc:
        # A wrong address or password in TRACKER_DATABASE_URL, or a server that is down.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        click.echo(
            f"Error: the database refused the connection or the command ({reason}). "
            "Check TRACKER_DATABASE_URL and that the database server is running.",
            err=True,
        )
        sys.exit(1)
