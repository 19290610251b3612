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

from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.audit.services import current_actor, record
from tracker.dates import today
from tracker.db import utcnow
from tracker.errors import Conflict, DomainError, NotFound
from tracker.exports.models import Release, ReleaseFile
from tracker.exports.services import build_export
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


def publish_release(as_of: dt.date, notes: str | None = None) -> Release:
    """Publish the next release of the activated list (all states) as of `as_of`.

    The as-of date may not be in the future (the list would claim activations not yet made).
    The changes are computed against the previous release's frozen JSON, so they describe the
    files people downloaded, whatever happened to the data since. Flushes; the caller commits.
    """
    if as_of > today():
        raise DomainError("A release cannot be as of a future date.", field="as_of")
    number = (db.session.scalar(select(func.max(Release.number))) or 0) + 1
    published_at = utcnow().replace(microsecond=0)
    files = {
        fmt: build_export("activated", fmt, as_of, generated_at=published_at)
        for fmt in RELEASE_FORMATS
    }
    current = _rows_of(files["json"].content)
    previous: dict[str, dict] = {}
    if number > 1:
        previous = _rows_of(release_file(number - 1, "json").content)
    actor = current_actor()
    release = Release(
        number=number,
        as_of=as_of,
        published_at=published_at,
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
            "row_count": release.row_count,
            "notes": release.notes,
            "files": {f.format: f.sha256 for f in stored},
            "changes": {k: len(v) for k, v in release.changes.items()},
        },
    )
    db.session.flush()
    return release
