"""`tracker intake PATH…`: e-mails (.eml files, folders of them, or Maildir folders) in as drafts."""

from __future__ import annotations

import mailbox
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.audit.services import set_command_actor
from tracker.correspondence.intake import DuplicateMessage, take_in
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.importing.resolver import Resolver


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def messages(paths: tuple[Path, ...]) -> Iterator[tuple[str, bytes]]:
    """(source name, bytes) of every message under `paths`, in a stable order."""
    for path in paths:
        if _is_maildir(path):
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield f"{path.name}/{key}", box.get_bytes(key)
        elif path.is_dir():
            for file in sorted(path.glob("*.eml")):
                yield file.name, file.read_bytes()
        else:
            yield path.name, path.read_bytes()


@click.command("intake")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def intake_command(paths: tuple[Path, ...]) -> None:
    """Take e-mails in as draft letters, each whole or not at all.

    PATH is an .eml file, a folder of .eml files or a Maildir folder (cur/ and new/). A message
    already taken in (same Message-ID) is skipped; a malformed one, one in an unknown character
    set or with a refused attachment is reported and skipped (exit status 1). Drafts wait at
    /deferrals/drafts for an editor to confirm or discard them.
    """
    set_command_actor("tracker intake")
    resolver = Resolver.from_database()
    created = skipped = refused = 0
    for source, data in messages(paths):
        try:
            draft = take_in(data, source, resolver=resolver)
        except DuplicateMessage as exc:
            db.session.rollback()
            click.echo(f"skipped: {exc.message}")
            skipped += 1
            continue
        except DomainError as exc:
            db.session.rollback()
            click.echo(f"refused: {exc.message}", err=True)
            refused += 1
            continue
        db.session.commit()
        guess = draft.guessed_jurisdiction.label if draft.guessed_jurisdiction else "jurisdiction ?"
        click.echo(
            f"draft #{draft.id}: {source}: “{draft.subject}” from {draft.from_address} ({guess})"
        )
        created += 1
    click.echo(f"{created} drafts created, {skipped} already taken in, {refused} refused.")
    if refused:
        sys.exit(1)
