"""/audit shows every change with before and after values, and filters them."""

from __future__ import annotations


def test_admin_sees_and_filters_changes(signed_in, make_user):
    make_user("viewer", email="someone@example.gov")
    admin = signed_in("admin")
    page = admin.get("/audit").get_data(as_text=True)
    assert "user.create" in page and "someone@example.gov" in page
    filtered = admin.get("/audit?action=user.sign_in").get_data(as_text=True)
    assert "user.sign_in" in filtered and "<code>user.create</code>" not in filtered
    assert admin.get("/audit?since=not-a-date").status_code == 400


def test_audit_values_are_escaped(signed_in, make_user):
    make_user("viewer", email="x@example.gov")
    admin = signed_in("admin")
    admin.post(
        "/admin/users",
        data={
            "email": "probe@example.gov",
            "name": "<script>alert(1)</script>",
            "role": "viewer",
            "password": "x" * 12,
        },
    )
    page = admin.get("/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
