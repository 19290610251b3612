"""Administrators create accounts, change roles and deactivate them; every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.apps import PASSWORD
from tests.support.web import sign_in


def _user(app, email):
    from tracker.auth.services import find_user_by_email

    with app.app_context():
        return find_user_by_email(email)


def test_admin_creates_an_account_that_can_sign_in(app, client, signed_in):
    admin = signed_in("admin")
    response = admin.post(
        "/admin/users",
        data={
            "email": "New.Person@Example.gov",
            "name": "New Person",
            "role": "editor",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303
    assert "new.person@example.gov" in admin.get("/admin/users").get_data(as_text=True)
    admin.post("/logout")
    assert sign_in(client, "new.person@example.gov").status_code == 303


def test_short_password_and_duplicate_email_are_refused_with_field_errors(signed_in, make_user):
    existing = make_user("viewer")
    admin = signed_in("admin")
    short = admin.post(
        "/admin/users",
        data={"email": "a@example.gov", "name": "A", "role": "viewer", "password": "short"},
    )
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    duplicate = admin.post(
        "/admin/users",
        data={"email": existing, "name": "B", "role": "viewer", "password": PASSWORD},
    )
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_data(as_text=True)


def test_change_role_and_deactivate_are_audited(app, signed_in, make_user):
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db

    email = make_user("viewer")
    admin = signed_in("admin")
    user = _user(app, email)
    admin.post(f"/admin/users/{user.id}/role", data={"role": "editor", "version": user.version_id})
    assert _user(app, email).role.value == "editor"
    user = _user(app, email)
    admin.post(f"/admin/users/{user.id}/active", data={"active": "0", "version": user.version_id})
    assert _user(app, email).active is False
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(user.id)).order_by(AuditEvent.id)
        ).all()
        actions = [e.action for e in events]
        assert actions == ["user.create", "user.change_role", "user.deactivate"]
        assert events[1].before["role"] == "viewer" and events[1].after["role"] == "editor"
        assert events[1].actor_label.startswith("admin")


def test_stale_role_change_is_refused(app, signed_in, make_user):
    email = make_user("viewer")
    admin = signed_in("admin")
    user = _user(app, email)
    admin.post(f"/admin/users/{user.id}/role", data={"role": "editor", "version": user.version_id})
    response = admin.post(
        f"/admin/users/{user.id}/role",
        data={"role": "admin", "version": user.version_id},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.get_data(as_text=True)
    assert _user(app, email).role.value == "editor"


def test_last_admin_cannot_be_demoted(app, signed_in):
    admin = signed_in("admin")
    from tracker.access import Role
    from tracker.auth.models import User
    from tracker.extensions import db

    with app.app_context():
        me = db.session.scalars(select(User).where(User.role == Role.ADMIN)).one()
    response = admin.post(
        f"/admin/users/{me.id}/role",
        data={"role": "viewer", "version": me.version_id},
        follow_redirects=True,
    )
    assert "last active administrator" in response.get_data(as_text=True)


def test_users_create_command_reads_password_from_stdin(app, cli_runner):
    result = cli_runner.invoke(
        args=["users", "create", "--email", "Cli@Example.gov", "--role", "admin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created cli@example.gov (admin)" in result.output
    assert _user(app, "cli@example.gov").role.value == "admin"
    again = cli_runner.invoke(
        args=["users", "create", "--email", "cli@example.gov", "--role", "viewer"],
        input=PASSWORD + "\n",
    )
    assert again.exit_code == 1 and "already exists" in again.output
    weak = cli_runner.invoke(
        args=["users", "create", "--email", "w@example.gov", "--role", "viewer"], input="short\n"
    )
    assert weak.exit_code == 1 and "at least 12" in weak.output
