"""`tracker backup FILE` and `tracker restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.audit.services import record, set_command_actor
from tracker.backup.services import backup_database, restore_database
from tracker.errors import DomainError
from tracker.extensions import db


def _database_url():
    return db.engine.url


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent online backup of the database to FILE (the app may keep running)."""
    try:
        result = backup_database(_database_url(), file)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"Backed up the {result.engine} database to {result.path} ({result.size_bytes:,} bytes)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace every record in the database with the backup in FILE."""
    if not yes:
        click.confirm(
            f"Replace everything in {_database_url().render_as_string()} with {file}?", abort=True
        )
    db.session.remove()
    db.engine.dispose()
    try:
        restore_database(_database_url(), file)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    db.engine.dispose()
    set_command_actor("tracker restore")
    record(
        "backup.restore", "database", current_app.config["TRACKER_ENV"], after={"file": file.name}
    )
    db.session.commit()
    click.echo(f"Restored the database from {file}.")
