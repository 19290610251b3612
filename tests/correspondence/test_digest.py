"""`tracker digest`: one message a day to each active editor and administrator, through a real
SMTP server, listing overdue/urgent letters, activations due within 7 days that are not ready and
drafts waiting; a second run the same day sends nothing new."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.correspondence.support import on_jan_20, sample
from tests.factories import COUNTY, OTHER_COUNTY, D, deferral_request, schedule


@pytest.fixture()
def office(app, database, make_user):
    """Two editors, an admin, a viewer and a deactivated editor; an overdue letter (Anderson
    County, received 3 January), Andrews County due on 25 January with no briefing, one e-mail
    waiting as a draft."""
    from tracker.audit.services import set_command_actor
    from tracker.auth.models import User
    from tracker.correspondence.intake import take_in
    from tracker.extensions import db

    people = {
        "editor": make_user("editor", "ed@office.example"),
        "editor2": make_user("editor", "eve@office.example"),
        "admin": make_user("admin", "ada@office.example"),
        "viewer": make_user("viewer", "vic@office.example"),
        "gone": make_user("editor", "gone@office.example"),
    }
    with app.app_context(), on_jan_20():
        set_command_actor("test")
        db.session.scalar(select(User).where(User.email == "gone@office.example")).active = False
        schedule(COUNTY, "2011-06-01", "2010-11-01")
        schedule(OTHER_COUNTY, "2011-01-25", "2010-11-01")
        deferral_request(COUNTY, "2011-01-03")
        take_in(sample("windows_1252.eml"), "w.eml")
        db.session.commit()
    return people


def run(cli_runner, *args):
    with on_jan_20():
        return cli_runner.invoke(args=["digest", *args])


def test_each_editor_gets_one_digest_a_day(office, cli_runner, smtp):
    first = run(cli_runner, "--as-of", "2011-01-20")
    assert first.exit_code == 0, first.output
    recipients = sorted(r for m in smtp.received for r in m.rcpt_tos)
    assert recipients == ["ada@office.example", "ed@office.example", "eve@office.example"]
    message = smtp.received[0].message
    assert message["Subject"] == (
        "Activation Tracker digest for 20 January 2011: 1 letters overdue or urgent, "
        "1 activations not ready, 1 e-mails waiting"
    )
    text = message.get_body().get_content().replace("\r\n", "\n")
    assert "Anderson County, TX, received 2011-01-03: OVERDUE (meeting due by 2011-01-10)" in text
    assert "Andrews County, TX, scheduled 2011-01-25: No SIB pre-activation meeting" in text
    assert "from pat.oneil@andrewscounty.example, received 2011-01-14: Andrews County delay" in text

    again = run(cli_runner, "--as-of", "2011-01-20")
    assert again.exit_code == 0
    assert again.output.count("already sent for 2011-01-20") == 3
    assert len(smtp.received) == 3  # nothing new

    next_day = run(cli_runner, "--as-of", "2011-01-21")
    assert next_day.exit_code == 0 and len(smtp.received) == 6


def test_dry_run_shows_the_digest_and_sends_nothing(office, app, cli_runner, smtp):
    from tracker.digest.models import DigestDelivery
    from tracker.extensions import db

    result = run(cli_runner, "--as-of", "2011-01-20", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "OVERDUE" in result.output and result.output.count("would be sent") == 3
    assert smtp.received == []
    with app.app_context():
        assert db.session.scalars(select(DigestDelivery)).all() == []
    assert run(cli_runner, "--as-of", "2011-01-20").exit_code == 0
    assert len(smtp.received) == 3


def test_a_refused_person_is_tried_again_on_the_next_run(office, cli_runner, smtp):
    smtp.refuse.add("eve@office.example")
    first = run(cli_runner, "--as-of", "2011-01-20")
    assert first.exit_code == 1
    assert "eve@office.example: NOT SENT" in first.output
    assert sorted(r for m in smtp.received for r in m.rcpt_tos) == [
        "ada@office.example", "ed@office.example",
    ]  # fmt: skip
    smtp.refuse.clear()
    second = run(cli_runner, "--as-of", "2011-01-20")
    assert second.exit_code == 0
    assert "eve@office.example: sent" in second.output
    assert len(smtp.received) == 3


def test_a_server_that_is_down_records_nothing(office, cli_runner, smtp):
    smtp.stop()
    result = run(cli_runner, "--as-of", "2011-01-20")
    assert result.exit_code == 1 and result.output.count("could not be reached") == 3
    smtp.start()
    assert run(cli_runner, "--as-of", "2011-01-20").exit_code == 0
    assert len(smtp.received) == 3


def test_nothing_to_report_sends_nothing(app, database, make_user, cli_runner, smtp):
    make_user("editor")
    result = run(cli_runner, "--as-of", "2011-01-20")
    assert result.exit_code == 0 and "Nothing to report" in result.output
    assert smtp.received == []


def test_without_a_mail_server_the_digest_refuses_to_run(office, cli_runner):
    result = run(cli_runner, "--as-of", "2011-01-20")
    assert result.exit_code == 1 and "TRACKER_SMTP_URL is not set" in result.output


def test_the_digest_lists_letters_on_the_day_asked(office, app):
    from tracker.digest.services import compose

    with app.app_context():
        assert len(compose(D("2011-01-20")).letters) == 1
        # On 5 January the letter was not yet overdue and Andrews was not due within 7 days.
        early = compose(D("2011-01-05"))
        assert early.letters == () and early.not_ready == () and early.drafts == ()
