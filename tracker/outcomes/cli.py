"""`tracker import stats FILE [--dry-run]`: preview a statistics file, apply it when clean."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.outcomes.applying import apply_statistics_import
from tracker.outcomes.importing import preview_statistics_import, read_statistics_file
from tracker.plan.importing.command import ImportCommand, run_import

STATISTICS_COMMAND = ImportCommand(
    actor="tracker import stats",
    read=read_statistics_file,
    preview=preview_statistics_import,
    apply=apply_statistics_import,
    done=lambda result: (
        f"Imported: {result.added} months added and {result.replaced} months replaced (the "
        "earlier figures are kept as history)."
    ),
    nothing_new="Nothing to import: every row matches the statistics recorded.",
)


@click.command("stats")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report every row; write nothing.")
@with_appcontext
def import_statistics_command(file: Path, dry_run: bool) -> None:
    """Import monthly statistics from FILE (CSV or XLSX); see docs/statistics.md.

    One row per jurisdiction and month: month (YYYY-MM), fips or state and jurisdiction,
    submissions, matches, level1, level2, level3, non_criminal, removed. Prints `N rows: A new,
    B changed, C unchanged, E errors` and one line per error; any error refuses the whole file
    (exit status 1). A month imported again replaces the figures in force and keeps the earlier
    ones as history.
    """
    run_import(STATISTICS_COMMAND, file, dry_run)
