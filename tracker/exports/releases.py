"""Numbered releases of the activated list: frozen files anyone can cite.

Release N freezes the activated list as of a date into CSV, XLSX, PDF and JSON, each stored with
its SHA-256. The files are written with generated_at = published_at, and nothing may change or
delete a release or its files afterwards (enforced below for every session), so a download next
year is byte-identical to the day it was published. Each release records what changed since
release N-1: jurisdictions added, removed, and those whose activation date changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.audit.services import current_actor, record
from tracker.dates import today
from tracker.db import utcnow
from tracker.errors import Conflict, DomainError, NotFound
from tracker.exports.models import Release, ReleaseFile
from tracker.exports.services import RenderedExport, build_export
from tracker.extensions import db

RELEASE_FORMATS = ("csv", "xlsx", "pdf", "json")


class ReleaseImmutable(DomainError):
    status_code = 409


@event.listens_for(Session, "before_flush")
def _refuse_release_changes(session: Session, flush_context, instances) -> None:
    """Published releases and their files are never updated or deleted."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Release | ReleaseFile) and (
            obj in session.deleted or session.is_modified(obj, include_collections=False)
        ):
            raise ReleaseImmutable("A published release cannot be changed or deleted.")


def get_release(number: int) -> Release:
    release = db.session.get(Release, number)
    if release is None:
        raise NotFound(f"There is no release {number}.", field="number")
    return release


def release_file(number: int, fmt: str) -> ReleaseFile:
    found = db.session.scalar(
        select(ReleaseFile).where(ReleaseFile.release_number == number, ReleaseFile.format == fmt)
    )
    if found is None:
        raise NotFound(f"Release {number} has no {fmt} file.", field="format")
    return found


def _rows_of(json_bytes: bytes) -> dict[str, dict]:
    return {row["fips"]: row for row in json.loads(json_bytes)["rows"]}


def changes_between(previous: dict[str, dict], current: dict[str, dict]) -> dict[str, list]:
    """Added (in current only), removed (in previous only) and date changed (in both, with a
    different activation date), each sorted by FIPS."""

    def brief(row: dict) -> dict:
        return {
            "fips": row["fips"],
            "state": row["state"],
            "jurisdiction": row["jurisdiction"],
            "activated_on": row["activated_on"],
        }

    return {
        "added": [brief(current[f]) for f in sorted(current.keys() - previous.keys())],
        "removed": [brief(previous[f]) for f in sorted(previous.keys() - current.keys())],
        "date_changed": [
            {**brief(current[f]), "previous_activated_on": previous[f]["activated_on"]}
            for f in sorted(current.keys() & previous.keys())
            if current[f]["activated_on"] != previous[f]["activated_on"]
        ],
    }


def release_files(
    as_of: dt.date, known_at: dt.datetime, published_at: dt.datetime
) -> dict[str, RenderedExport]:
    """A release's files: the activated list as of `as_of` as the records stood at the moment
    it was cut (`known_at`), stating `published_at` as their generation time. Called again with
    a release's as_of, known_at and published_at, it gives the release's files byte for byte,
    whatever was recorded or corrected since."""
    return {
        fmt: build_export(
            "activated",
            fmt,
            as_of,
            known_at=known_at,
            generated_at=published_at,
            state_known_at=False,
        )
        for fmt in RELEASE_FORMATS
    }


def settle_concurrent_writes() -> None:
    """Wait for writes in flight to commit, and hold new ones until this transaction ends.

    A fact's recording time is stamped when its transaction writes it, and the release reads the
    records at the moment it is cut: a fact stamped just before that moment but committed just
    after would be missing from the release yet present when it is derived again. On PostgreSQL
    a SHARE lock on the fact tables waits for the writers holding them and keeps new ones out
    until the release commits; SQLite takes its write lock at BEGIN, so no writer is in flight.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        text(
            "LOCK TABLE plan_change, activation, correction, deferral_request_version IN SHARE MODE"
        )
    )


def publish_release(as_of: dt.date, notes: str | None = None) -> Release:
    """Publish the next release of the activated list (all states) as of `as_of`.

    The as-of date may not be in the future (the list would claim activations not yet made).
    The list reads the records as they stood at the moment the release is cut (its
    published_at), so the release re-derives byte for byte (release_files). The changes are
    computed against the previous release's frozen JSON, so they describe the files people
    downloaded, whatever happened to the data since. Flushes; the caller commits.
    """
    if as_of > today():
        raise DomainError("A release cannot be as of a future date.", field="as_of")
    number = (db.session.scalar(select(func.max(Release.number))) or 0) + 1
    settle_concurrent_writes()
    known_at = utcnow()
    published_at = known_at.replace(microsecond=0)
    files = release_files(as_of, known_at, published_at)
    current = _rows_of(files["json"].content)
    previous: dict[str, dict] = {}
    if number > 1:
        previous = _rows_of(release_file(number - 1, "json").content)
    actor = current_actor()
    release = Release(
        number=number,
        as_of=as_of,
        published_at=published_at,
        known_at=known_at,
        published_by_id=actor.id if actor is not None else None,
        row_count=files["json"].row_count,
        notes=(notes or "").strip() or None,
        changes=changes_between(previous, current),
    )
    stored = [
        ReleaseFile(
            release_number=number,
            format=fmt,
            filename=rendered.filename.replace("activated-", f"release-{number}-activated-"),
            media_type=rendered.media_type,
            size_bytes=len(rendered.content),
            sha256=hashlib.sha256(rendered.content).hexdigest(),
            content=rendered.content,
        )
        for fmt, rendered in files.items()
    ]
    try:
        with db.session.begin_nested():
            db.session.add(release)
            db.session.add_all(stored)
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"Release {number} was published by someone else a moment ago. Nothing was saved; "
            "reload the releases page and try again."
        ) from exc
    record(
        "publish",
        "release",
        number,
        after={
            "as_of": as_of,
            "known_at": known_at,
            "row_count": release.row_count,
            "notes": release.notes,
            "files": {f.format: f.sha256 for f in stored},
            "changes": {k: len(v) for k, v in release.changes.items()},
        },
    )
    db.session.flush()
    return release
