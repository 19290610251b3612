"""Sessions end when they should, whoever replays the cookie.

Each test saves a signed-in browser's cookie, then replays it in another client (as someone who
copied it would) after the session should have ended: signing out, a password change, a role
change, deactivation, the absolute lifetime, the idle limit. The replay must reach no staff page,
write nothing, and not be extended.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import time_machine

from tests.factories import COUNTY, deferral_request
from tests.support.apps import PASSWORD
from tests.support.web import sign_in

NEW_PASSWORD = "a different passphrase 42"


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A fresh browser holding only a copy of `cookie`."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def refused(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def cookie_cleared(app, response) -> bool:
    """The answer replaces the session cookie with one that names no session (deleted, or an
    anonymous one carrying only the "sign in" message), instead of extending it."""
    header = response.headers.get("Set-Cookie", "")
    if not header.startswith("session="):
        return False
    value = header.split(";", 1)[0].removeprefix("session=")
    return value == "" or "_user_id" not in _serializer(app).loads(value)


def _serializer(app):
    from flask.sessions import SecureCookieSessionInterface

    return SecureCookieSessionInterface().get_signing_serializer(app)


@pytest.fixture()
def letter(app, database):
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with app.app_context():
        set_command_actor("test")
        request = deferral_request(COUNTY, "2011-02-01")
        db.session.commit()
        return request.id


def note_count(app) -> int:
    from tracker.extensions import db

    with app.app_context():
        return db.session.scalar(sa.text("SELECT count(*) FROM deferral_note"))


def test_a_cookie_saved_before_sign_out_is_refused_and_not_extended(app, client, make_user, letter):
    assert sign_in(client, make_user("editor")).status_code == 303
    saved = cookie_of(client)
    assert client.get("/dashboard").status_code == 200
    client.post("/logout")

    thief = replay(app, saved)
    dashboard = thief.get("/dashboard")
    assert refused(dashboard) and cookie_cleared(app, dashboard)
    thief = replay(app, saved)
    note = thief.post(f"/deferrals/{letter}/notes", data={"note-body": "written after sign-out"})
    assert refused(note)
    assert note_count(app) == 0
    api = replay(app, saved).get(f"/api/v1/deferrals/{letter}")
    assert api.status_code == 401


def test_signing_out_ends_only_that_session(app, make_user):
    email = make_user("viewer")
    office, home = app.test_client(), app.test_client()
    sign_in(office, email)
    sign_in(home, email)
    office.post("/logout")
    assert home.get("/dashboard").status_code == 200


def test_a_password_change_ends_every_other_session_of_the_account(app, make_user):
    email = make_user("editor")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, email)
    sign_in(elsewhere, email)
    saved_here = cookie_of(here)
    assert here.get("/account/password").status_code == 200
    wrong = here.post(
        "/account/password",
        data={"current_password": "not it at all", "password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD},
    )  # fmt: skip
    assert wrong.status_code == 400 and "not your current password" in wrong.text
    changed = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 303
    assert refused(elsewhere.get("/dashboard"))
    assert refused(replay(app, saved_here).get("/dashboard"))  # the old cookie of this browser
    assert here.get("/dashboard").status_code == 200  # which goes on in a new session
    fresh = app.test_client()
    assert sign_in(fresh, email).status_code == 401
    assert sign_in(fresh, email, NEW_PASSWORD).status_code == 303


def test_a_role_change_and_a_deactivation_end_the_accounts_sessions(app, client, make_user):
    from tracker.auth.models import User
    from tracker.extensions import db

    email = make_user("editor")
    editor = app.test_client()
    sign_in(editor, email)
    saved = cookie_of(editor)
    sign_in(client, make_user("admin"))
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        user_id, version = user.id, user.version_id
    client.post(f"/admin/users/{user_id}/role", data={"role": "viewer", "version": version})
    assert refused(editor.get("/dashboard")) and refused(replay(app, saved).get("/dashboard"))

    sign_in(editor, email)
    assert editor.get("/dashboard").status_code == 200
    client.post(f"/admin/users/{user_id}/active", data={"active": "0", "version": version + 1})
    assert refused(editor.get("/dashboard"))
    # Reactivated, the account must sign in again: no old session comes back to life.
    client.post(f"/admin/users/{user_id}/active", data={"active": "1", "version": version + 2})
    assert refused(editor.get("/dashboard"))


def test_a_sign_in_ends_after_its_absolute_lifetime_however_active(app, make_user):
    email = make_user("viewer")
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    absolute = app.config["TRACKER_SESSION_ABSOLUTE_MINUTES"]
    idle = app.config["TRACKER_SESSION_LIFETIME_MINUTES"]
    assert absolute > idle / 2
    with time_machine.travel(start, tick=False) as clock:
        browser = app.test_client()
        sign_in(browser, email)
        # Busy all day: a request every half idle period, never idle for long.
        elapsed = 0
        while elapsed + idle // 2 < absolute:
            clock.shift(dt.timedelta(minutes=idle // 2))
            elapsed += idle // 2
            assert browser.get("/dashboard").status_code == 200, elapsed
        clock.move_to(start + dt.timedelta(minutes=absolute, seconds=1))
        assert refused(browser.get("/dashboard"))


def test_a_sign_in_ends_after_the_idle_limit(app, make_user):
    email = make_user("viewer")
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    idle = app.config["TRACKER_SESSION_LIFETIME_MINUTES"]
    with time_machine.travel(start, tick=False) as clock:
        browser = app.test_client()
        sign_in(browser, email)
        clock.shift(dt.timedelta(minutes=idle, seconds=1))
        assert refused(browser.get("/dashboard"))


def test_a_remember_cookie_names_a_session_and_is_refused_once_it_ended(app, client, make_user):
    """No sign-in sets a remember-me cookie; one made with the app's own key is still only as
    good as the session it names."""
    from flask_login.utils import encode_cookie

    sign_in(client, make_user("viewer"))
    key = _session_key(app, client)
    with app.test_request_context():
        remember = encode_cookie(key)
    client.post("/logout")
    stranger = app.test_client()
    stranger.set_cookie("remember_token", remember)
    assert refused(stranger.get("/dashboard"))


def _session_key(app, client) -> str:
    return _serializer(app).loads(cookie_of(client))["_user_id"]


def test_the_command_line_password_reset_ends_every_session(app, cli_runner, make_user):
    email = make_user("viewer")
    browser = app.test_client()
    sign_in(browser, email)
    result = cli_runner.invoke(
        args=["users", "set-password", "--email", email], input=NEW_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "every session of the account has ended" in result.output
    assert refused(browser.get("/dashboard"))
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 303
    short = cli_runner.invoke(args=["users", "set-password", "--email", email], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output


def test_the_session_table_keeps_only_live_sessions(app, make_user):
    from tracker.extensions import db

    email = make_user("viewer")
    for _ in range(3):
        browser = app.test_client()
        sign_in(browser, email)
        browser.post("/logout")
    sign_in(app.test_client(), email)
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT ended_at FROM staff_session")).all()
    assert rows == [(None,)]


def test_a_csrf_token_expires_with_the_sign_ins_lifetime(app, tmp_path):
    """Tokens are timed to the absolute lifetime (here shorter than the idle limit, so the
    cookie itself is still valid when the token is refused)."""
    from tests.support.apps import make_app
    from tests.support.html import csrf_token

    guarded = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path,
        WTF_CSRF_ENABLED=True,
        TRACKER_SESSION_LIFETIME_MINUTES=1000,
        TRACKER_SESSION_ABSOLUTE_MINUTES=60,
    )
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        browser = guarded.test_client()
        page = browser.get("/login").get_data(as_text=True)
        token = csrf_token(page)
        form = {"csrf_token": token, "email": "nobody@example.gov", "password": "x" * 12}
        assert browser.post("/login", data=form).status_code == 401  # token accepted
        clock.shift(dt.timedelta(minutes=61))
        expired = browser.post("/login", data=form)
        assert expired.status_code == 400
        assert "The form expired (The CSRF token has expired)" in expired.text
