"""`tracker import plan FILE [--dry-run]`: preview a plan file, and apply it when it is clean."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.dates import parse_known_at
from tracker.errors import DomainError
from tracker.plan.importing.command import ImportCommand, run_import
from tracker.plan.importing.reader import read_plan_file
from tracker.plan.importing.service import apply_import, preview_import
from tracker.plan.services import check_recorded_at

PLAN_COMMAND = ImportCommand(
    actor="tracker import plan",
    read=read_plan_file,
    preview=preview_import,
    apply=apply_import,
    done=lambda result: (
        f"Imported: {result.plan_changes} plan changes and {result.activations} activations "
        "recorded."
    ),
    nothing_new="Nothing to import: every row matches the plan in force.",
)


@click.group("import")
def import_group() -> None:
    """Bulk imports from CSV and XLSX files."""


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
    try:
        moment = parse_known_at(recorded_at, "--recorded-at")
        check_recorded_at(moment)
    except DomainError as exc:
        raise click.BadParameter(exc.message, param_hint="--recorded-at") from exc
    actor = f"tracker import plan --recorded-at {recorded_at}" if moment is not None else None
    run_import(PLAN_COMMAND, file, dry_run, actor=actor, recorded_at=moment)
