"""Sign-in throttling: a growing delay per (account, address), counted in a store two app servers
share, never locking the owner out; X-Forwarded-For believed only from trusted proxies.

Every scenario runs with two app instances on one database (their own engines and stores, as two
servers have), for each store: the database (the default), and a real redis-server and memcached
started by the test.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from tests.support.apps import PASSWORD, SECRET, make_app, unavailable
from tests.support.cache_servers import CacheServerUnavailable, throwaway_cache_server
from tracker.auth.throttle import FREE_FAILURES, delay_after
from tracker.config import ConfigurationError, build_flask_config

ATTACKER, OWNER_DESK, COLLEAGUE = "203.0.113.9", "198.51.100.7", "203.0.113.9"
WRONG = "not the password at all"


def test_the_delay_grows_from_one_second_to_fifteen_minutes():
    assert [delay_after(n) for n in range(1, 9)] == [0, 0, 0, 0, 0, 1, 2, 4]
    assert delay_after(15) == 512 and delay_after(16) == 900 and delay_after(10_000) == 900


@pytest.fixture(params=["database", "redis", "memcached"])
def store_url(request) -> str:
    if request.param == "database":
        yield ""
        return
    try:
        with throwaway_cache_server(request.param) as url:
            yield url
    except CacheServerUnavailable as exc:
        unavailable(str(exc))


@pytest.fixture()
def two_servers(committed_app, store_url, tmp_path):
    """Two app instances on one database and one store, with throttling on, and two accounts."""
    from tracker.auth.services import create_user
    from tracker.extensions import db

    with committed_app.app_context():
        create_user("owner@example.gov", "Owner", PASSWORD, "admin")
        create_user("colleague@example.gov", "Colleague", PASSWORD, "editor")
        db.session.commit()
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]
    servers = [
        make_app(
            url, tmp_path / name, RATELIMIT_ENABLED=True, TRACKER_RATELIMIT_STORAGE_URL=store_url
        )  # fmt: skip
        for name in ("a", "b")
    ]
    yield servers
    for server in servers:
        with server.app_context():
            from tracker.extensions import db

            db.engine.dispose()


def attempt(server, email: str, password: str, address: str):
    client = server.test_client()
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_two_servers_share_the_counters_and_never_lock_the_owner_out(
    two_servers, committed_app, store_url, monkeypatch
):
    # A first hold of 2 s instead of 1 s: memcached counts expiry in whole seconds, and a hold
    # must outlast the few requests that check it (the growth itself is tested above).
    from tracker.auth import throttle

    monkeypatch.setattr(throttle, "delay_after", lambda n: 2 if n > FREE_FAILURES else 0)
    first, second = two_servers
    for _ in range(FREE_FAILURES):
        assert attempt(first, "owner@example.gov", WRONG, ATTACKER).status_code == 401
    sixth = attempt(second, "owner@example.gov", WRONG, ATTACKER)
    assert sixth.status_code == 401
    assert "Try again in 2 seconds." in sixth.text and sixth.headers["Retry-After"] == "2"
    _counted_in_the_store(committed_app, store_url, FREE_FAILURES + 1)
    # The other server sees the hold: refused at once, even with the right password.
    held = attempt(first, "owner@example.gov", PASSWORD, ATTACKER)
    assert held.status_code == 429 and "Too many failed attempts" in held.text
    assert int(held.headers["Retry-After"]) >= 1
    # The owner, from their own desk, signs in as usual; so does a colleague behind the
    # attacker's address.
    assert attempt(second, "owner@example.gov", PASSWORD, OWNER_DESK).status_code == 303
    assert attempt(first, "colleague@example.gov", PASSWORD, COLLEAGUE).status_code == 303
    # No lock: once the delay has passed, even this pair may try again…
    time.sleep(2.5)
    assert attempt(second, "owner@example.gov", PASSWORD, ATTACKER).status_code == 303
    # …and it starts afresh.
    assert attempt(first, "owner@example.gov", WRONG, ATTACKER).status_code == 401
    assert "Try again" not in attempt(first, "owner@example.gov", WRONG, ATTACKER).text

    if store_url:
        return  # what follows is about the rule, not the store: once per engine is enough
    # The probe: ~54 failures from one address across any accounts used to lock out admins and
    # editors with the right password (429).
    for number in range(60):
        server = (first, second)[number % 2]
        response = attempt(server, f"someone{number % 12}@example.gov", WRONG, "192.0.2.77")
        assert response.status_code in (401, 429)
    assert attempt(first, "owner@example.gov", PASSWORD, "192.0.2.77").status_code == 303
    assert attempt(second, "colleague@example.gov", PASSWORD, "192.0.2.77").status_code == 303


def _counted_in_the_store(committed_app, store_url: str, failures: int) -> None:
    """In the database by default; in redis or memcached (and not the database) when set."""
    from tracker.auth.throttle import pair_key
    from tracker.extensions import db

    with committed_app.app_context():
        rows = db.session.scalar(sa.text("SELECT sum(failures) FROM sign_in_throttle"))
    if not store_url:
        assert rows == failures
        return
    assert rows is None
    from limits.storage import storage_from_string

    key = pair_key("owner@example.gov", ATTACKER)
    assert storage_from_string(store_url).get(f"tracker:sign-in:{key}:failures") == failures


def test_a_held_pair_waits_its_delay_in_the_database_store(app, database, monkeypatch):
    """With the clock moved, not slept: the database store's delays follow the server's time,
    whatever the server's time zone (SQLite gives timestamps back without theirs)."""
    import time_machine

    from tracker.auth.services import create_user
    from tracker.extensions import db

    with app.app_context():
        create_user("held@example.gov", "Held", PASSWORD, "viewer")
        db.session.commit()
    app.config["RATELIMIT_ENABLED"] = True
    try:
        start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False) as clock:
            monkeypatch.setenv("TZ", "America/New_York")  # set inside: travel sets its own
            time.tzset()
            for _ in range(FREE_FAILURES + 4):  # 1 + 2 + 4 + 8 seconds of delay, each waited
                clock.shift(dt.timedelta(seconds=9))
                assert attempt(app, "held@example.gov", WRONG, ATTACKER).status_code == 401
            held = attempt(app, "held@example.gov", PASSWORD, ATTACKER)
            assert held.status_code == 429 and held.headers["Retry-After"] == "8"
            clock.shift(dt.timedelta(seconds=8))
            assert attempt(app, "held@example.gov", PASSWORD, ATTACKER).status_code == 303
    finally:
        app.config["RATELIMIT_ENABLED"] = False
        monkeypatch.undo()
        time.tzset()


# --- who the client is ------------------------------------------------------------------------


@pytest.fixture()
def behind_proxies(app, tmp_path):
    proxied = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        TRACKER_SECRET_KEY=SECRET,
        TRACKER_TRUSTED_PROXIES=build_flask_config(
            {"TRACKER_ENV": "testing", "TRACKER_SECRET_KEY": SECRET},
            environ={"TRACKER_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"},
        )["TRACKER_TRUSTED_PROXIES"],
    )
    from flask import request

    proxied.add_url_rule("/whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
    return proxied.test_client()


@pytest.mark.parametrize(
    ("peer", "forwarded", "seen"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9 https"),  # our proxy: believed
        ("127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9 https"),  # two proxies of ours
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9 https"),  # a forged entry: cut
        ("198.51.100.5", "203.0.113.9", "198.51.100.5 http"),  # anyone else: ignored
        ("127.0.0.1", "", "127.0.0.1 https"),
    ],
)
def test_forwarded_addresses_are_believed_from_trusted_proxies_only(
    behind_proxies, peer, forwarded, seen
):
    headers = {"X-Forwarded-Proto": "https"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    response = behind_proxies.get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": peer})
    assert response.text == seen


def test_without_trusted_proxies_forwarded_headers_change_nothing(app, tmp_path):
    from flask import request

    direct = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    direct.add_url_rule("/whoami-direct", "whoami_direct", lambda: request.remote_addr)
    response = direct.test_client().get(
        "/whoami-direct",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "198.51.100.5"},
    )
    assert response.text == "198.51.100.5"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRACKER_RATELIMIT_STORAGE_URL", "memory://", "memory:// would count in each process"),
        ("TRACKER_RATELIMIT_STORAGE_URL", "mongodb://db", "expected a redis://"),
        ("TRACKER_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal", "does not appear to be an IP"),
    ],
)
def test_settings_that_would_throttle_wrongly_refuse_to_start(name, value, message):
    with pytest.raises(ConfigurationError, match=message):
        build_flask_config({"TRACKER_ENV": "testing", "TRACKER_SECRET_KEY": SECRET}, {name: value})
