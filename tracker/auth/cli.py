"""`tracker users create --email E --role R`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from tracker.access import Role
from tracker.audit.services import set_command_actor
from tracker.auth import services
from tracker.errors import DomainError
from tracker.extensions import db

users_group = click.Group("users", help="Manage staff accounts.")


def _read_password() -> str:
    """From a prompt when a person is typing, else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_group.command("create")
@click.option("--email", required=True, help="The person's e-mail address (their sign-in name).")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="What they may do."
)
@click.option(
    "--name", default="", help="Their name as shown in the audit log (default: the e-mail)."
)
@with_appcontext
def create_user_command(email: str, role: str, name: str) -> None:
    """Create an account; the password comes from a prompt, or standard input when piped."""
    set_command_actor("tracker users create")
    password = _read_password()
    try:
        user = services.create_user(email, name, password, role)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users_group.command("set-password")
@click.option("--email", required=True, help="The account's e-mail address.")
@with_appcontext
def set_password_command(email: str) -> None:
    """Set an account's password (from a prompt, or standard input when piped); every session
    of the account ends."""
    set_command_actor("tracker users set-password")
    password = _read_password()
    try:
        user = services.reset_password(email, password)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Password set for {user.email}; every session of the account has ended.")
