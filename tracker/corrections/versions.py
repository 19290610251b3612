"""Kept versions of mutable records: every write of a letter, a briefing or a state's bureau and
agreement appends a full copy of the record's fields, in the same flush.

Each kind registers its version table with keep_versions(); a flush hook then appends a version
for every new record and every record whose kept fields changed, whoever wrote it (a service, a
command, a test factory), so no write path can forget. A service that knows why it writes says
so first with note_version() (the action, the correction, who); otherwise the action is "log"
for a new record and "update" for a changed one, and who is the signed-in user or the command.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import event, func, inspect, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from tracker.audit.services import Actor, resolve_actor
from tracker.corrections.models import Correction
from tracker.db import utcnow


@dataclass(frozen=True)
class _Spec:
    version_model: type
    fields: tuple[str, ...]
    collections: tuple[str, ...]
    record_key: str


@dataclass(frozen=True)
class _Note:
    action: str
    correction: Correction | None
    actor: Actor | None


_SPECS: dict[type, _Spec] = {}
_NOTE = "_tracker_version_note"


def keep_versions(
    model: type,
    version_model: type,
    fields: tuple[str, ...],
    *,
    record_key: str,
    collections: tuple[str, ...] = (),
) -> None:
    """Keep a version of every write of `model` in `version_model`: its `fields` (columns of the
    same names) and `collections` (relationship lists), linked by the `record_key` relationship."""
    _SPECS[model] = _Spec(version_model, fields, collections, record_key)


def note_version(
    record: object,
    action: str,
    *,
    correction: Correction | None = None,
    actor: Actor | None = None,
) -> None:
    """Say why the next flush writes `record`: the version it appends carries `action`, the
    correction (when it is one) and who."""
    setattr(record, _NOTE, _Note(action, correction, actor))


def _apply_defaults(record: object, spec: _Spec) -> None:
    """Give a new record its Python-side column defaults now (an INSERT would apply them later),
    so the record and its first version hold the same values."""
    table = type(record).__table__
    for name in spec.fields:
        column = table.columns.get(name)
        if name == "version_id" or column is None or column.default is None:
            continue
        if getattr(record, name) is None:
            default = column.default
            setattr(record, name, default.arg(None) if default.is_callable else default.arg)


def _changed(record: object, spec: _Spec) -> bool:
    attrs = inspect(record).attrs
    return any(attrs[name].history.has_changes() for name in (*spec.fields, *spec.collections))


@event.listens_for(Session, "before_flush")
def _append_versions(session: Session, flush_context, instances) -> None:
    new = set(session.new)
    for record in [*session.new, *session.dirty]:
        spec = _SPECS.get(type(record))
        if spec is None or (record not in new and not _changed(record, spec)):
            continue
        if record in new:
            _apply_defaults(record, spec)
        note: _Note | None = record.__dict__.pop(_NOTE, None)
        action = note.action if note else ("log" if record in new else "update")
        actor = resolve_actor(note.actor if note else None)
        values = {name: getattr(record, name) for name in spec.fields}
        if "version_id" in values:
            # SQLAlchemy bumps the optimistic-locking counter in this flush: keep the new value.
            values["version_id"] = 1 if record in new else (record.version_id or 0) + 1
        for name in spec.collections:
            values[name] = list(getattr(record, name))
        correction = note.correction if note else None
        session.add(
            spec.version_model(
                **{spec.record_key: record},
                **values,
                version_action=action,
                version_recorded_at=correction.recorded_at if correction else utcnow(),
                version_recorded_by_id=actor.id if actor is not None else None,
                version_correction=correction,
            )
        )


def newest_versions(version_model: type, record_id, known_at: dt.datetime) -> Select:
    """The version numbers of each record's newest version recorded at or before `known_at`
    (the latest recording time wins; among equals, the later version)."""
    ranked = (
        select(
            version_model.version_no.label("version_no"),
            func.row_number()
            .over(
                partition_by=record_id,
                order_by=(
                    version_model.version_recorded_at.desc(),
                    version_model.version_no.desc(),
                ),
            )
            .label("version_rank"),
        )
        .where(version_model.version_recorded_at <= known_at)
        .subquery("ranked_versions")
    )
    return select(ranked.c.version_no).where(ranked.c.version_rank == literal(1))
