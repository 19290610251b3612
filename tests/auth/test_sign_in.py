"""Signing in and out, roles enforced in one place, and `next` kept on our own host."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.support.apps import PASSWORD
from tests.support.web import sign_in


def test_sign_in_with_right_password_and_out_again(client, make_user):
    email = make_user("editor")
    response = sign_in(client, email)
    assert response.status_code == 303
    assert email in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/audit").status_code == 302


def test_email_is_matched_whatever_its_case(client, make_user):
    email = make_user("viewer")
    assert sign_in(client, email.upper()).status_code == 303


@pytest.mark.parametrize("which", ["wrong password", "unknown email"])
def test_failed_sign_in_gives_one_generic_message(client, make_user, which):
    email = make_user("viewer")
    if which == "unknown email":
        email = "nobody@example.gov"
    response = client.post("/login", data={"email": email, "password": "not the password!"})
    assert response.status_code == 401
    assert "do not match an active account" in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(app, client, make_user):
    from tracker.auth.services import find_user_by_email, set_active
    from tracker.extensions import db

    email = make_user("editor")
    make_user("admin")
    with app.app_context():
        set_active(find_user_by_email(email).id, False)
        db.session.commit()
    assert sign_in(client, email).status_code == 401


@pytest.mark.parametrize("path", ["/audit", "/admin/users"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    assert unquote(location.split("next=", 1)[1]) == path


def test_viewer_and_editor_are_refused_admin_pages(signed_in):
    for role in ("viewer", "editor"):
        client = signed_in(role)
        assert client.get("/admin/users").status_code == 403
        assert client.get("/audit").status_code == 403
        client.post("/logout")


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/audit", "/audit"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirect_stays_on_our_host(client, make_user, target, expected):
    email = make_user("admin")
    response = client.post("/login", data={"email": email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_deactivation_ends_existing_sessions(app, signed_in, make_user):
    from tracker.auth.services import find_user_by_email, set_active
    from tracker.extensions import db

    make_user("admin")
    client = signed_in("editor")
    with app.app_context():
        from tracker.auth.models import User

        editor = db.session.query(User).filter(User.role == "editor").one()
        set_active(editor.id, False)
        db.session.commit()
        assert find_user_by_email(editor.email).active is False
    assert "Staff sign-in" in client.get("/").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    response = sign_in(client, make_user("viewer"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
