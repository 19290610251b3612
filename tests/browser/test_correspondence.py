"""An editor takes an e-mailed letter in, confirms it on the drafts page and e-mails the
acknowledgement from the letter's page, in Chromium, with axe on every page on the way."""

from __future__ import annotations

import re

import pytest

from tests.correspondence.support import sample
from tests.support.smtp import smtp_server
from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser


def test_editor_takes_in_confirms_and_acknowledges_an_emailed_letter(
    page, live_server, monkeypatch
):
    app = live_server["app"]
    data = sample("multipart_alternative.eml").replace(b"<20110110151402.4F2A1@", b"<browser-test@")
    with smtp_server() as smtp:
        monkeypatch.setitem(app.config, "TRACKER_SMTP_URL", smtp.url)
        monkeypatch.setitem(
            app.config, "TRACKER_MAIL_FROM", "Activation Office <activation@office.example>"
        )
        browser_sign_in(page, live_server["users"]["editor"])

        page.get_by_role("link", name="E-mail drafts").click()
        page.get_by_role("link", name="Take in e-mails").click()
        assert axe_violations(page) == []
        page.set_input_files(
            "#messages",
            files=[{"name": "anderson.eml", "mimeType": "message/rfc822", "buffer": data}],
        )
        page.get_by_role("button", name="Take in").click()
        page.wait_for_load_state()
        results = page.locator("#intake-results").inner_text()
        assert "Taken in anderson.eml" in results
        draft = results.split("draft #")[1].split(":")[0]

        page.goto("/deferrals/drafts")
        assert axe_violations(page) == []
        page.get_by_role("link", name=f"#{draft}").click()
        page.wait_for_load_state()
        assert axe_violations(page) == []
        assert page.input_value("#jurisdiction") == "Anderson County, TX (48001)"
        assert page.input_value("#kind") == "defer"
        assert page.input_value("#requested_date") == "2011-03-01"
        page.fill("#sender_title", "Sheriff")
        page.get_by_role("button", name="Confirm as a letter").click()
        page.wait_for_url(re.compile(r"/deferrals/\d+$"))
        assert "confirmed as deferral request" in page.content()
        assert "E-mail received from" in page.locator(".correspondence-list").inner_text()
        assert axe_violations(page) == []

        page.get_by_role("link", name="Prepare acknowledgement").click()
        page.wait_for_load_state()
        assert axe_violations(page) == []
        assert page.input_value("#to") == "Sheriff Greg Taylor <sheriff@andersoncounty.example>"
        page.fill("#body", page.input_value("#body") + "\nWith our thanks for writing so early.\n")
        page.get_by_role("button", name="Send by e-mail").click()
        page.wait_for_url(re.compile(r"/deferrals/\d+#correspondence$"))
        listed = page.locator(".correspondence-list").inner_text()
        assert "Acknowledgement sent by e-mail to Sheriff Greg Taylor" in listed
        assert axe_violations(page) == []

    assert len(smtp.received) == 1
    body = smtp.received[0].message.get_body().get_content()
    assert "With our thanks for writing so early." in body
    assert page.foreign_requests == [] and page.console_errors == []
