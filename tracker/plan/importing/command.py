"""`tracker import KIND FILE [--dry-run]`, the same for every kind of file.

Prints `N rows: A new, B changed, C unchanged, E errors` and one line per error (stdout stays
parseable; progress bars and notes go to stderr). Any error refuses the whole file (exit status
1, nothing written); otherwise the changes are committed in one transaction, unless --dry-run.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import set_command_actor
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.importing.preview import ImportPreview
from tracker.plan.importing.reader import ImportFileError, SourceFile

# Files longer than this show a progress bar (on stderr, so stdout stays parseable).
PROGRESS_THRESHOLD = 1000


@dataclass(frozen=True)
class ImportCommand:
    """One kind of import as its command runs it."""

    actor: str  # "tracker import plan": who the audit log says made the changes
    read: Callable[[str, bytes], SourceFile]
    # (filename, data, source=, progress=) -> the preview
    preview: Callable[..., ImportPreview]
    apply: Callable[..., Any]  # (preview, progress=) -> result
    done: Callable[[Any], str]  # result -> the closing line
    nothing_new: str


def progress_bar(label: str, length: int):
    """A click progress bar on stderr for long files; nothing for short ones."""
    if length <= PROGRESS_THRESHOLD:
        return contextlib.nullcontext(None)
    return click.progressbar(length=length, label=label, file=sys.stderr)


def run_import(
    command: ImportCommand, file: Path, dry_run: bool, *, actor: str | None = None, **apply_options
) -> None:
    """Preview FILE, report every row's problems, and apply it when clean (unless dry_run);
    `apply_options` go to the command's apply (the plan's recorded_at), `actor` names who the
    audit log says made the changes when it is not the command's own name."""
    set_command_actor(actor or command.actor)
    data = file.read_bytes()
    try:
        source = command.read(file.name, data)
        with progress_bar("Checking rows", len(source.rows)) as bar:
            preview = command.preview(
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
    if not preview.changes_anything:
        db.session.rollback()
        click.echo(command.nothing_new)
        return
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
        return
    try:
        with progress_bar("Applying", len(preview.rows)) as bar:
            result = command.apply(preview, progress=bar.update if bar else None, **apply_options)
        db.session.commit()
    except (DomainError, StaleDataError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else "the records changed meanwhile"
        raise click.ClickException(f"Nothing was imported: {message}") from exc
    click.echo(command.done(result))
