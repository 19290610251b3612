"""`tracker import plan FILE [--dry-run]`: preview a plan file, and apply it when it is clean."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import set_command_actor
from tracker.dates import parse_known_at
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.importing.reader import ImportFileError, read_plan_file
from tracker.plan.importing.service import Outcome, apply_import, preview_import
from tracker.plan.services import check_recorded_at

# Files longer than this show a progress bar (on stderr, so stdout stays parseable).
PROGRESS_THRESHOLD = 1000


@click.group("import")
def import_group() -> None:
    """Bulk imports from CSV and XLSX files."""


def _progress(label: str, length: int):
    if length <= PROGRESS_THRESHOLD:
        return contextlib.nullcontext(None)
    return click.progressbar(length=length, label=label, file=sys.stderr)


@import_group.command("plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report every row; write nothing.")
@click.option(
    "--recorded-at",
    "recorded_at",
    help="Legacy records (administrators): record every fact as learned at this past moment, "
    "YYYY-MM-DD (the end of that day in TRACKER_TIMEZONE) or an ISO 8601 timestamp, instead "
    "of now. Audited with the import.",
)
@with_appcontext
def import_plan_command(file: Path, dry_run: bool, recorded_at: str | None) -> None:
    """Import the deployment plan from FILE (CSV or XLSX); see docs/import.md.

    Prints `N rows: A new, B changed, C unchanged, E errors` and one line per error. Any error
    refuses the whole file (exit status 1, nothing written); otherwise the changes are committed
    in one transaction, unless --dry-run.
    """
    set_command_actor("tracker import plan")
    try:
        moment = parse_known_at(recorded_at, "--recorded-at")
        check_recorded_at(moment)
    except DomainError as exc:
        raise click.BadParameter(exc.message, param_hint="--recorded-at") from exc
    if moment is not None:
        set_command_actor(f"tracker import plan --recorded-at {recorded_at}")
    data = file.read_bytes()
    try:
        source = read_plan_file(file.name, data)
        with _progress("Checking rows", len(source.rows)) as bar:
            preview = preview_import(
                file.name, data, source=source, progress=bar.update if bar else None
            )
    except ImportFileError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    click.echo(preview.summary())
    for line in preview.error_lines():
        click.echo(line)
    if preview.ignored_columns:
        click.echo("ignored columns: " + ", ".join(preview.ignored_columns), err=True)
    if preview.has_errors:
        db.session.rollback()
        click.echo(
            "Nothing was imported: correct the rows above and run the import again.", err=True
        )
        sys.exit(1)
    if preview.counts[Outcome.NEW] + preview.counts[Outcome.CHANGED] == 0:
        db.session.rollback()
        click.echo("Nothing to import: every row matches the plan in force.")
        return
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
        return
    try:
        with _progress("Applying", len(preview.rows)) as bar:
            result = apply_import(preview, progress=bar.update if bar else None, recorded_at=moment)
        db.session.commit()
    except (DomainError, StaleDataError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else "the plan changed meanwhile"
        raise click.ClickException(f"Nothing was imported: {message}") from exc
    click.echo(
        f"Imported: {result.plan_changes} plan changes and {result.activations} activations "
        "recorded."
    )
