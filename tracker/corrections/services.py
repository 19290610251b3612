"""Recording a correction, and the guards that keep history append-only.

A correction always has a reason (required, non-empty), who made it and its own `recorded_at`;
it is audited with the fact's values before and after, in the caller's transaction (services
flush, the view or command commits). `recorded_at` is never edited, a superseded fact stays
superseded, and corrections and kept versions are never updated or deleted: a flush that tries
is refused, whoever attempts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tracker.audit.services import Actor, record, resolve_actor
from tracker.corrections.models import (
    Correction,
    CorrectionAction,
    FactKind,
    KeptVersion,
    Supersedable,
)
from tracker.db import utcnow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.text import required_text

REASON_LIMIT = 2000


class HistoryImmutable(DomainError):
    """A write that would rewrite history (a recording time, a correction, a kept version)."""

    status_code = 409


def require_reason(reason: str | None) -> str:
    """The reason of a correction, trimmed: required, at most REASON_LIMIT characters."""
    return required_text(
        reason,
        "reason",
        missing="Give the reason for this correction.",
        limit=REASON_LIMIT,
        too_long=f"The reason can be at most {REASON_LIMIT:,} characters.",
    )


def actor_label(actor: Actor | None) -> str:
    """Who made a change, as shown: the e-mail address, else the command (see audit.record)."""
    from tracker.audit import services as audit

    if actor is not None:
        return actor.email
    if has_request_context():
        return "anonymous"
    return audit._cli_actor_label or "system"


def record_correction(
    kind: FactKind,
    fact_id: object,
    action: CorrectionAction,
    *,
    reason: str | None,
    summary: str,
    jurisdiction_fips: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    replacement_id: int | None = None,
    actor: Actor | None = None,
    at: dt.datetime | None = None,
    flush: bool = True,
) -> Correction:
    """Append a correction of one fact and audit it ("correction.<action>", with the values
    before and after) in the caller's transaction. The reason is required (require_reason).
    With `flush=False` the caller flushes it with the corrected record (one write, one
    version)."""
    reason = require_reason(reason)
    actor = resolve_actor(actor)
    audited = record(
        f"correction.{action.value}",
        kind.value,
        fact_id,
        before=before,
        after={**(after or {}), "reason": reason, "summary": summary},
        actor=actor,
    )
    kept_after = {k: v for k, v in audited.after.items() if k not in ("reason", "summary")}
    correction = Correction(
        recorded_at=at or utcnow(),
        recorded_by_id=actor.id if actor is not None else None,
        recorded_by_label=audited.actor_label,
        fact_kind=kind,
        fact_id=str(fact_id),
        action=action,
        reason=reason,
        summary=summary[:500],
        jurisdiction_fips=jurisdiction_fips,
        before=audited.before,
        after=kept_after or None,
        replacement_id=replacement_id,
    )
    db.session.add(correction)
    if flush:
        db.session.flush()
    return correction


def supersede(fact: Supersedable, correction: Correction) -> None:
    """Mark an append-only fact as superseded by `correction`, at the correction's moment."""
    if fact.superseded_at is not None:
        raise HistoryImmutable("This entry was already corrected; correct the entry in force.")
    fact.superseded_at = correction.recorded_at
    fact.superseded_by_id = correction.id


def _changed_from_a_value(obj: object, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.deleted) and history.deleted[0] is not None and bool(history.added)


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_history(session: Session, flush_context, instances) -> None:
    """No flush changes a recording time, un-supersedes a fact, or updates or deletes a
    correction, a kept version or an append-only fact."""
    for obj in session.deleted:
        if isinstance(obj, Correction | KeptVersion | Supersedable):
            raise HistoryImmutable("Recorded history is never deleted; record a correction.")
    for obj in session.dirty:
        if isinstance(obj, Correction | KeptVersion):
            # The one late fact a correction may learn: the id of the fact it appended.
            late = isinstance(obj, Correction) and not _changed_from_a_value(obj, "replacement_id")
            changed = [
                attr.key
                for attr in inspect(obj).attrs
                if attr.history.has_changes() and not (late and attr.key == "replacement_id")
            ]
            if changed:
                raise HistoryImmutable("A correction or a kept version is never changed.")
            continue
        mapper = inspect(obj).mapper
        if "recorded_at" in mapper.attrs and _changed_from_a_value(obj, "recorded_at"):
            raise HistoryImmutable("A recording time (recorded_at) is never edited.")
        if isinstance(obj, Supersedable) and _changed_from_a_value(obj, "superseded_at"):
            raise HistoryImmutable("A correction, once recorded, is never moved.")
