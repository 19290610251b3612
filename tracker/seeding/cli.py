"""`tracker seed [--demo]`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.audit.services import set_command_actor
from tracker.extensions import db
from tracker.seeding import demo, registry


@click.command("seed")
@click.option("--demo", "with_demo", is_flag=True, help="Also add the deterministic demo rollout.")
@with_appcontext
def seed_command(with_demo: bool) -> None:
    """Load every state and county equivalent and the real activation records (idempotent)."""
    set_command_actor("tracker seed")
    report = registry.seed_national()
    for line in report.lines():
        click.echo(line)
    demo_counts = demo.seed_demo() if with_demo else None
    db.session.commit()
    if with_demo:
        if demo_counts is None:
            click.echo("demo: already present, nothing changed")
        else:
            click.echo(
                f"demo: {demo_counts.plan_changes} plan changes, {demo_counts.activations} activations, "
                f"{demo_counts.monthly_statistics} months of statistics "
                f"(labelled as demo data; the demo story is told as of {demo.DEMO_AS_OF.isoformat()})"
            )
    if not report.changed_anything and not demo_counts:
        click.echo("Nothing changed: the database already holds this data.")
