"""What a person sees: signing in through the real page, and every page passing axe-core."""

from __future__ import annotations

import pytest

from tests.support.web import axe_violations, browser_sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/login"]
ADMIN_PAGES = ["/admin/users", "/audit"]


def test_public_pages_are_accessible_and_stay_on_our_origin(page):
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert axe_violations(page) == [], path
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_admin_signs_in_and_every_staff_page_is_accessible(page, live_server):
    browser_sign_in(page, live_server["users"]["admin"])
    assert live_server["users"]["admin"] in page.content()
    for path in ADMIN_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_sign_out_button_ends_the_session(page, live_server):
    browser_sign_in(page, live_server["users"]["viewer"])
    page.click("text=Sign out")
    page.wait_for_url("**/")
    assert page.goto("/audit").url.split("?")[0].endswith("/login")
