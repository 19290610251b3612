"""Two app servers on one database behave as one tracker (docs/deploy.md).

Each server is a real `tracker serve` process (gunicorn) with its own instance folder; they
share only the database and the secret key, as servers behind a load balancer do.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.support.apps import PASSWORD, SECRET
from tests.support.html import csrf_token
from tests.support.servers import start_tracker_server

TRACKER = str(Path(sys.executable).with_name("tracker"))


def start_server(database_url: str, instance: Path) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "TRACKER_ENV": "production",
        "TRACKER_SECRET_KEY": SECRET,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_WORKERS": "1",
    }
    return start_tracker_server(TRACKER, env)


@pytest.fixture()
def two_servers(committed_app, tmp_path):
    from tracker.auth.services import create_user
    from tracker.extensions import db

    with committed_app.app_context():
        create_user("editor@example.gov", "Editor", PASSWORD, "editor")
        db.session.commit()
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]
    servers = [start_server(url, tmp_path / name) for name in ("server-a", "server-b")]
    yield [base for _process, base in servers]
    for process, _base in servers:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def signed_in(base: str) -> requests.Session:
    browser = requests.Session()
    login_page = browser.get(f"{base}/login").text
    response = browser.post(
        f"{base}/login",
        data={
            "email": "editor@example.gov",
            "password": PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
        allow_redirects=False,
    )
    assert response.status_code == 303
    return browser


def test_a_sign_in_on_one_server_is_valid_on_the_other(two_servers):
    first, second = two_servers
    browser = signed_in(first)
    dashboard = browser.get(f"{second}/dashboard", allow_redirects=False)
    assert dashboard.status_code == 200
    assert "editor@example.gov" in dashboard.text
    # Signing out on the second server ends the session on the first too.
    browser.post(f"{second}/logout", data={"csrf_token": csrf_token(dashboard.text)})
    assert "/login" in browser.get(f"{first}/dashboard", allow_redirects=False).headers["Location"]


def test_a_letter_uploaded_through_one_server_downloads_from_the_other(two_servers):
    first, second = two_servers
    browser = signed_in(first)
    letter = b"%PDF-1.4\n% a scanned deferral letter\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    form = browser.get(f"{first}/deferrals/new").text
    response = browser.post(
        f"{first}/deferrals/new",
        data={
            "csrf_token": csrf_token(form),
            "jurisdiction": "48001",
            "letter_date": "2010-08-02",
            "received_on": "2010-08-04",
            "channel": "email",
            "sender_name": "Sheriff Pat Doe",
            "addressed_to": "both",
            "kind": "not_activate",
        },
        files={"attachments": ("letter.pdf", letter, "application/pdf")},
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    request_page = browser.get(f"{second}{response.headers['Location']}").text
    download = re.search(r'href="(/deferrals/\d+/attachments/\d+)"', request_page).group(1)
    served = browser.get(f"{second}{download}")
    assert served.status_code == 200
    assert served.content == letter


def reschedule_form(page: str) -> tuple[str, dict[str, str]]:
    """The reschedule form's action and hidden fields (CSRF token, the version it was drawn at)."""
    form = re.search(r'<form[^>]*action="([^"]*/reschedule)"[^>]*>(.*?)</form>', page, re.S)
    hidden = {}
    for tag in re.findall(r"<input[^>]*>", form.group(2)):
        attributes = dict(re.findall(r'([a-z_-]+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden":
            hidden[attributes["name"]] = attributes.get("value", "")
    return form.group(1), hidden


def test_editors_on_both_servers_rescheduling_at_once_lose_nothing_and_see_no_error(
    two_servers, committed_app
):
    import threading

    outcomes: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def editor(base: str, number: int) -> None:
        try:
            edit_four_times(base, number)
        except BaseException as exc:  # reported by the main thread below
            errors.append(exc)

    def edit_four_times(base: str, number: int) -> None:
        browser = signed_in(base)
        for edit in range(4):
            reason = f"editor {number} edit {edit}"
            for _attempt in range(50):
                page = browser.get(f"{base}/jurisdictions/48001").text
                action, hidden = reschedule_form(page)
                prefix = next(name for name in hidden if name.endswith("version")).rsplit("-", 1)[0]
                response = browser.post(
                    f"{base}{action}",
                    data={
                        **hidden,
                        f"{prefix}-scheduled_on": f"2031-01-{10 + number:02d}",
                        f"{prefix}-decided_on": "2026-01-05",
                        f"{prefix}-reason": reason,
                    },
                    allow_redirects=False,
                )
                with lock:
                    outcomes.append((reason, response.status_code))
                if response.status_code == 303:
                    break
                assert response.status_code == 409, response.text[:500]

    threads = [
        threading.Thread(target=editor, args=(base, number))
        for number, base in enumerate(two_servers * 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    saved = sorted(reason for reason, status in outcomes if status == 303)
    assert all(status in (303, 409) for _reason, status in outcomes)
    assert len(saved) == 4 * 4
    from tracker.extensions import db

    with committed_app.app_context():
        history = sorted(
            db.session.scalars(
                sa.text("SELECT reason FROM plan_change WHERE jurisdiction_fips = '48001'")
            )
        )
    assert history == saved


def test_a_cookie_saved_before_sign_out_is_refused_by_every_server(two_servers, committed_app):
    """Sign out through one server; a copy of the cookie taken before, with the CSRF token of
    its pages, opens nothing and writes nothing on either server."""
    from tests.factories import COUNTY, deferral_request
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with committed_app.app_context():
        set_command_actor("test")
        letter = deferral_request(COUNTY, "2011-02-01").id
        db.session.commit()
    first, second = two_servers
    browser = signed_in(first)
    page = browser.get(f"{first}/deferrals/{letter}").text
    saved, token = browser.cookies["session"], csrf_token(page)
    signed_out = browser.post(f"{second}/logout", data={"csrf_token": token}, allow_redirects=False)
    assert signed_out.status_code == 303

    for base in (first, second):
        thief = requests.Session()
        thief.cookies.set("session", saved)
        dashboard = thief.get(f"{base}/dashboard", allow_redirects=False)
        assert dashboard.status_code == 302 and "/login" in dashboard.headers["Location"]
        thief = requests.Session()
        thief.cookies.set("session", saved)
        note = thief.post(
            f"{base}/deferrals/{letter}/notes",
            data={"csrf_token": token, "note-body": "written with a copied cookie"},
            allow_redirects=False,
        )
        # The CSRF token lived in the ended session: the form is refused before anything else.
        assert note.status_code == 400, note.status_code
    with committed_app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM deferral_note")) == 0
