"""Sign-in throttling: a growing delay per (account, address) pair, in a store every server shares.

Failed attempts are counted for each pair of the e-mail address typed (whether or not it names an
account) and the client's address (the proxy's X-Forwarded-For only when the proxy is trusted:
tracker.proxies). The first FREE_FAILURES failures cost nothing; after each further one the pair
must wait before trying again, twice as long each time, from 1 second up to MAX_DELAY. A
successful sign-in clears the pair, and counts are forgotten WINDOW after the pair's first
failure. A refused attempt is answered at once, without checking the password.

There is no lock: an attacker's failures never block the account's owner signing in from
another address (or a colleague behind the same address from signing in to their own account),
and even the attacked pair can try again after the delay.

Counters live where every app server and worker sees them: in the database by default, or in
redis or memcached when TRACKER_RATELIMIT_STORAGE_URL names one (through the `limits` package's
storage clients).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from tracker.auth.models import SignInThrottle
from tracker.db import utcnow
from tracker.extensions import db

FREE_FAILURES = 5
MAX_DELAY = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(hours=24)


def delay_after(failures: int) -> int:
    """Seconds a pair must wait after its `failures`-th failure: 0, then 1, 2, 4… up to 15 min."""
    if failures <= FREE_FAILURES:
        return 0
    return min(2 ** min(failures - FREE_FAILURES - 1, 20), int(MAX_DELAY.total_seconds()))


def pair_key(email: str, address: str) -> str:
    """The store's key for a pair: a hash, so no store holds e-mail or IP addresses."""
    return hashlib.sha256(f"{email.strip().lower()}\n{address}".encode()).hexdigest()


class Store(Protocol):
    def wait_until(self, key: str) -> float:
        """When the pair may try again (epoch seconds; in the past when it may now)."""

    def add_failure(self, key: str) -> int:
        """Count one more failure for the pair and return its failures so far."""

    def hold(self, key: str, seconds: int) -> None:
        """Make the pair wait `seconds` from now."""

    def clear(self, key: str) -> None:
        """Forget the pair (it signed in)."""


class DatabaseStore:
    """Counters in the `sign_in_throttle` table, written in the request's transaction."""

    def wait_until(self, key: str) -> float:
        until = db.session.scalar(
            select(SignInThrottle.wait_until).where(SignInThrottle.key == key)
        )
        if until is None:
            return 0.0
        # SQLite gives timestamps back without their zone; they were written in UTC.
        return (until if until.tzinfo else until.replace(tzinfo=dt.UTC)).timestamp()

    def add_failure(self, key: str) -> int:
        now = utcnow()
        table = SignInThrottle.__table__
        db.session.execute(delete(SignInThrottle).where(SignInThrottle.first_at < now - WINDOW))
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table).values(key=key, failures=1, first_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((table.c.first_at < now - WINDOW, 1), else_=table.c.failures + 1),
                "first_at": case((table.c.first_at < now - WINDOW, now), else_=table.c.first_at),
            },
        ).returning(table.c.failures)
        return db.session.execute(statement).scalar_one()

    def hold(self, key: str, seconds: int) -> None:
        db.session.execute(
            SignInThrottle.__table__.update()
            .where(SignInThrottle.key == key)
            .values(wait_until=utcnow() + dt.timedelta(seconds=seconds))
        )

    def clear(self, key: str) -> None:
        db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))


class SharedCacheStore:
    """Counters in redis or memcached: a failure counter that expires WINDOW after the pair's
    first failure, and a marker that exists while the pair must wait."""

    def __init__(self, url: str) -> None:
        from limits.storage import storage_from_string

        self.storage = storage_from_string(url)

    def wait_until(self, key: str) -> float:
        if self.storage.get(f"tracker:sign-in:{key}:wait") <= 0:
            return 0.0
        return self.storage.get_expiry(f"tracker:sign-in:{key}:wait")

    def add_failure(self, key: str) -> int:
        window = int(WINDOW.total_seconds())
        return self.storage.incr(f"tracker:sign-in:{key}:failures", window)

    def hold(self, key: str, seconds: int) -> None:
        self.storage.clear(f"tracker:sign-in:{key}:wait")
        self.storage.incr(f"tracker:sign-in:{key}:wait", seconds)

    def clear(self, key: str) -> None:
        self.storage.clear(f"tracker:sign-in:{key}:failures")
        self.storage.clear(f"tracker:sign-in:{key}:wait")


def _store() -> Store:
    return current_app.extensions["tracker.throttle"]


def _enabled() -> bool:
    # Tests switch throttling off where it is not what they test (conftest.make_app).
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def seconds_to_wait(email: str, address: str) -> int:
    """How long this pair must still wait before its next attempt (0: it may try now)."""
    if not _enabled():
        return 0
    return max(0, math.ceil(_store().wait_until(pair_key(email, address)) - time.time()))


def record_failure(email: str, address: str) -> int:
    """Count a failed attempt; returns the seconds the pair must now wait (0 while free)."""
    if not _enabled():
        return 0
    key = pair_key(email, address)
    delay = delay_after(_store().add_failure(key))
    if delay:
        _store().hold(key, delay)
    return delay


def record_success(email: str, address: str) -> None:
    """A correct password: the pair starts afresh."""
    if _enabled():
        _store().clear(pair_key(email, address))


def init_app(app: Flask) -> None:
    """Choose the store: TRACKER_RATELIMIT_STORAGE_URL's redis or memcached, else the database."""
    url = app.config.get("TRACKER_RATELIMIT_STORAGE_URL") or ""
    app.extensions["tracker.throttle"] = SharedCacheStore(url) if url else DatabaseStore()
