"""`tracker calendar extend --through YEAR`: more years of business days for the clocks."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.audit.services import set_command_actor
from tracker.calendar.services import calendar_span, extend_calendar
from tracker.dates import DOMAIN_FIRST, DOMAIN_LAST
from tracker.extensions import db


@click.group("calendar")
def calendar_group() -> None:
    """The business-day calendar the letter clocks count on."""


@calendar_group.command("extend")
@click.option(
    "--through",
    "through_year",
    type=click.IntRange(DOMAIN_FIRST.year, DOMAIN_LAST.year),
    required=True,
    help="Add every date through 31 December of this year.",
)
@with_appcontext
def extend_command(through_year: int) -> None:
    """Add the dates after the calendar's last day through 31 December YEAR (idempotent)."""
    set_command_actor("cli: tracker calendar extend")
    added = extend_calendar(through_year)
    db.session.commit()
    span = calendar_span()
    click.echo(
        f"Added {added:,} dates. The business-day calendar runs from {span.first.isoformat()} "
        f"to {span.last.isoformat()}."
    )
