"""`tracker digest [--as-of D] [--dry-run]`: the daily digest, for cron."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from tracker.audit.services import set_command_actor
from tracker.dates import today
from tracker.digest.services import already_sent, compose, deliver, digest_text, recipients
from tracker.extensions import db
from tracker.mail import MailError, mail_configured


@click.command("digest")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the digest is for (YYYY-MM-DD); default today.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the digest and who would get it; send nothing."
)
@with_appcontext
def digest_command(as_of, dry_run: bool) -> None:
    """E-mail each active editor and administrator the day's digest, once a day.

    Lists letters overdue or urgent, activations due within 7 days that are not ready, and
    e-mails waiting as drafts. Run it again the same day and it sends nothing new; a person the
    mail server refused is tried again on the next run (exit status 1 when anyone was not
    reached). Nothing is sent on a day with nothing to list.
    """
    set_command_actor("tracker digest")
    day = as_of.date() if as_of else today()
    if not dry_run and not mail_configured():
        raise click.ClickException(
            "TRACKER_SMTP_URL is not set: the tracker has no mail server to send the digest "
            "through (try --dry-run to see it)."
        )
    digest = compose(day)
    click.echo(f"{day.isoformat()}: {digest.subject.split(': ', 1)[1]}")
    people = recipients()
    if digest.item_count == 0:
        click.echo("Nothing to report: no digest sent.")
        return
    if dry_run and people:
        click.echo("")
        click.echo(digest_text(digest, people[0]))
    failures = 0
    for user in people:
        if already_sent(user, day):
            click.echo(f"{user.email}: already sent for {day.isoformat()}")
            continue
        if dry_run:
            click.echo(f"{user.email}: would be sent")
            continue
        try:
            deliver(digest, user)
        except IntegrityError:  # another run sent it a moment ago
            db.session.rollback()
            click.echo(f"{user.email}: already sent for {day.isoformat()}")
            continue
        except MailError as exc:
            db.session.rollback()
            click.echo(f"{user.email}: NOT SENT: {exc.message}", err=True)
            failures += 1
            continue
        db.session.commit()
        click.echo(f"{user.email}: sent")
    if failures:
        sys.exit(1)
