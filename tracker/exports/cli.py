"""`tracker export activated|planned`: the same file the web serves, to a file or stdout."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.audit.services import set_command_actor
from tracker.dates import parse_iso_date, today
from tracker.errors import DomainError
from tracker.exports.services import record_export, render_export
from tracker.exports.writers import FORMAT_NAMES
from tracker.extensions import db
from tracker.registry.models import State


@click.command("export")
@click.argument("list_name", type=click.Choice(["activated", "planned"]))
@click.option("--as-of", "as_of", help="The date the list is as of (YYYY-MM-DD); default today.")
@click.option("--state", help="Only this state (postal code, e.g. TX, or state FIPS code).")
@click.option("--from", "date_from", help="Only dates (activated / scheduled) on or after this.")
@click.option("--to", "date_to", help="Only dates (activated / scheduled) on or before this.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_NAMES), required=True, help="File format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write; default stdout.",
)
@with_appcontext
def export_command(
    list_name: str,
    as_of: str | None,
    state: str | None,
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    output,
):
    """Export the activated (or planned) list as of a date; logged as a CLI export."""
    set_command_actor("cli: tracker export")
    try:
        day = parse_iso_date(as_of, "--as-of", default=today())
        postal = _state(state)
        start = parse_iso_date(date_from, "--from")
        end = parse_iso_date(date_to, "--to")
        if start and end and start > end:
            raise DomainError("--from must be on or before --to.")
    except DomainError as exc:
        raise click.BadParameter(exc.message) from exc
    rendered = render_export(list_name, fmt, day, state=postal, date_from=start, date_to=end)
    db.session.rollback()  # the log is written in a transaction of its own: see record_export
    record_export(
        list_name, fmt, day, rendered.filters, rendered.row_count, channel="cli", user_id=None
    )
    db.session.commit()
    if output:
        with open(output, "wb") as handle:
            handle.write(rendered.content)
        click.echo(f"Wrote {rendered.row_count:,} rows to {output}.", err=True)
    else:
        sys.stdout.buffer.write(rendered.content)
        sys.stdout.buffer.flush()


def _state(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().upper()
    column = State.fips if value.isdigit() else State.postal
    postal = db.session.scalar(select(State.postal).where(column == value))
    if postal is None:
        raise DomainError(f"--state must be a state postal code or FIPS code, got {value!r}.")
    return postal
