"""`tracker export activated|planned`: the same file the web serves, to a file or stdout."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from tracker.audit.services import set_command_actor
from tracker.errors import DomainError
from tracker.exports.forms import ListFilterForm
from tracker.exports.services import commit_export_record, render_export
from tracker.exports.writers import FORMAT_NAMES

# The query parameter each option fills, for naming the option in a refusal.
OPTION_NAMES = {
    "as_of": "--as-of",
    "known_at": "--known-at",
    "state": "--state",
    "from": "--from",
    "to": "--to",
}


@click.command("export")
@click.argument("list_name", type=click.Choice(["activated", "planned"]))
@click.option("--as-of", "as_of", help="The date the list is as of (YYYY-MM-DD); default today.")
@click.option(
    "--known-at",
    "known_at",
    help="Read the records as they stood at this moment: YYYY-MM-DD (the end of that day in "
    "TRACKER_TIMEZONE) or an ISO 8601 timestamp; default now.",
)
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
    known_at: str | None,
    state: str | None,
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    output,
):
    """Export the activated (or planned) list as of a date (and as the records stood at a
    moment, with --known-at); logged as a CLI export."""
    set_command_actor("cli: tracker export")
    options = {
        "as_of": as_of,
        "known_at": known_at,
        "state": state,
        "from": date_from,
        "to": date_to,
    }
    form = ListFilterForm(list_name, MultiDict({k: v for k, v in options.items() if v}))
    try:
        form.checked()
    except DomainError as exc:
        raise click.BadParameter(exc.message, param_hint=OPTION_NAMES[exc.field]) from exc
    rendered = render_export(list_name, fmt, **form.list_filters())
    commit_export_record(
        list_name, fmt, rendered.as_of, rendered.filters, rendered.row_count, channel="cli"
    )
    if output:
        with open(output, "wb") as handle:
            handle.write(rendered.content)
        click.echo(f"Wrote {rendered.row_count:,} rows to {output}.", err=True)
    else:
        sys.stdout.buffer.write(rendered.content)
        sys.stdout.buffer.flush()
