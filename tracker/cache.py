"""The computed-results cache: figures that cost a query or a render, remembered per data version.

Computing every status takes tens of milliseconds; the map and the API ask for the same date
over and over. Results are cached per process, keyed on data_version() (the newest audit event,
which every committed write adds) so that several app servers agree on when to recompute.
Two refinements keep the cache honest:
- a transaction holding uncommitted writes neither reads nor fills the cache: what it sees is
  not what everyone else sees, and on SQLite a rolled-back audit id can be handed out again;
- any write flushed by this process bumps a local generation, so even a write that records no
  audit event (a test factory, a data fix) cannot leave a stale entry behind.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.audit.services import data_version
from tracker.extensions import db

# Each date's status rows cost about 1 MiB per worker. The map's Play button asks for ~60 dates,
# but through the status document, which caches only its encoded bytes (tracker.maps.services);
# 16 entries keep the few dates people open as pages warm without letting pages grow a worker.
CACHE_SIZE = 16
_T = TypeVar("_T")
_generation = 0
_lock = threading.Lock()


@event.listens_for(Session, "after_flush")
def _note_write(session: Session, flush_context) -> None:
    global _generation
    session.info["uncommitted_writes"] = True
    with _lock:
        _generation += 1


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_writes(session: Session, *args) -> None:
    session.info.pop("uncommitted_writes", None)


class _ComputedCache:
    """A small LRU of computed results, bound to one database connection target."""

    def __init__(self, bind: object) -> None:
        # Held strongly so a new bind (a new database, or a test's own connection) is never
        # mistaken for the old one by a recycled id().
        self.bind = bind
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()


def cached(namespace: str, key: Hashable, compute: Callable[[], _T]) -> _T:
    """`compute()`, remembered per (namespace, key) until the data changes.

    The data version and the local write generation are part of the key, so a cached value is
    only ever returned for the data it was computed from. Values must be immutable.
    """
    session = db.session
    if session.info.get("uncommitted_writes"):
        return compute()
    bind = session.get_bind()
    full_key = (namespace, _generation, data_version(session), key)
    with _lock:
        cache: _ComputedCache | None = current_app.extensions.get("tracker_computed_cache")
        if cache is None or cache.bind is not bind:
            cache = _ComputedCache(bind)
            current_app.extensions["tracker_computed_cache"] = cache
        if full_key in cache.entries:
            cache.entries.move_to_end(full_key)
            return cache.entries[full_key]
    value = compute()
    with _lock:
        cache.entries[full_key] = value
        while len(cache.entries) > CACHE_SIZE:
            cache.entries.popitem(last=False)
    return value
