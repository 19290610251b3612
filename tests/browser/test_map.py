"""The activation map as a person sees it: every county drawn, colours and tooltips that agree
with /api/v1/status, a keyboard-driven time slider, no other origin, axe-core clean, and a
download that works with the network cut off."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.support.web import axe_violations, browser_sign_in
from tracker.maps.builder import STYLES, planned_band

pytestmark = pytest.mark.browser

DRAWN = "[data-features-drawn]"
CATEGORY = {"a": "activated", "n": "not_scheduled", "d": "deferral_pending", "r": "removed"}
WORDS = {"a": "Activated on", "p": "Planned for", "n": "Not scheduled"}


def drawn_count(page) -> int:
    page.wait_for_selector(DRAWN, state="attached", timeout=20_000)
    return int(page.get_attribute(DRAWN, "data-features-drawn"))


def wait_for_date(page, as_of: str) -> None:
    page.wait_for_function(
        "asOf => document.querySelector('[data-features-drawn]').dataset.asOf === asOf",
        arg=as_of,
        timeout=20_000,
    )


HAWAII = ((18, -161), (23, -154))
LOWER_48 = ((30, -105), (45, -85))


def wait_for_view(page, box, zoom_at_least: float = 0, zoom_at_most: float = 99) -> None:
    """Wait until the map has stopped moving with its centre in `box` and its zoom in range."""
    page.wait_for_function(
        """([box, low, high]) => {
            const m = window.trackerMap, centre = m.map.getCenter(), zoom = m.map.getZoom();
            return !m.moving && zoom >= low && zoom <= high
                && centre.lat > box[0][0] && centre.lat < box[1][0]
                && centre.lng > box[0][1] && centre.lng < box[1][1];
        }""",
        arg=[box, zoom_at_least, zoom_at_most],
        timeout=10_000,
    )


def expected_category(entry: list[str], as_of: str) -> str:
    if entry[0] == "p":
        return planned_band(dt.date.fromisoformat(entry[1]), dt.date.fromisoformat(as_of))
    return CATEGORY[entry[0]]


def status_of(page, as_of: str) -> dict[str, list[str]]:
    response = page.request.get(f"/api/v1/status?as_of={as_of}")
    assert response.ok
    return response.json()["statuses"]


def hover_point(page, fips: str):
    """A point inside the county on screen, or None when none is in view."""
    return page.evaluate(
        """fips => {
            const m = window.trackerMap;
            m.container.scrollIntoView({block: "center", behavior: "instant"});
            return m.screenPoint(fips);
        }""",
        fips,
    )


def check_county(page, fips: str, entry: list[str], as_of: str) -> None:
    """The county's fill and tooltip say what /api/v1/status says for `as_of`."""
    facts = page.evaluate("fips => window.trackerMap.describe(fips)", fips)
    assert facts["code"] == entry[0]
    assert facts["fillColor"] == STYLES[expected_category(entry, as_of)]["color"]
    point = hover_point(page, fips)
    page.mouse.move(point["x"] - 4, point["y"] - 4)
    page.mouse.move(point["x"], point["y"], steps=3)
    tooltip = page.locator(".leaflet-tooltip")
    # Leaflet throttles pointer hit-testing; wait for the tooltip of the county we stopped on.
    expect(tooltip).to_contain_text(facts["name"], timeout=5_000)
    text = tooltip.inner_text()
    assert WORDS[entry[0]] in text
    if len(entry) > 1:
        day = dt.date.fromisoformat(entry[1])
        assert f"{day.day} {day:%B %Y}" in text
    page.mouse.move(1, 1)


def test_every_county_is_drawn_offline_and_accessibly(page):
    page.goto("/map?as_of=2010-08-31")
    assert drawn_count(page) >= 3200
    assert page.get_attribute(DRAWN, "data-as-of") == "2010-08-31"
    legend = page.locator(".map-legend").inner_text()
    assert "Activated" in legend and "Not scheduled" in legend
    assert "Deferral pending" not in legend
    assert axe_violations(page) == []
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_a_county_agrees_with_the_status_api_on_two_dates_and_the_slider_recolours(page):
    first, second = "2009-06-30", "2011-06-30"
    before, after = status_of(page, first), status_of(page, second)
    changed = [
        fips for fips in before if before[fips][0] != after[fips][0] and fips.startswith("48")
    ]
    assert changed, "the demo rollout changes some Texas counties between the two dates"

    page.goto(f"/map?as_of={first}")
    assert drawn_count(page) >= 3200
    wait_for_date(page, first)
    fips = next(f for f in changed if hover_point(page, f))
    check_county(page, fips, before[fips], first)

    # The slider, by keyboard only: one month per arrow key, the date spoken as text.
    slider = page.locator("#map-month")
    slider.focus()
    for _ in range(24):
        page.keyboard.press("ArrowRight")
    wait_for_date(page, second)
    assert slider.get_attribute("aria-valuetext") == "June 2011"
    assert f"as_of={second}" in page.url
    assert page.input_value("#map-as-of") == second
    check_county(page, fips, after[fips], second)
    summary = page.locator("[data-map-summary]").inner_text()
    assert summary.startswith("As of 30 June 2011: ")

    # The table recounts too: the state's activated count matches the API.
    activated_tx = sum(1 for f, e in after.items() if f.startswith("48") and e[0] == "a")
    cell = page.locator('[data-count="TX:activated"]').inner_text()
    assert int(cell.replace(",", "")) == activated_tx
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_play_animates_and_the_date_input_and_state_selector_work(page):
    page.goto("/map?as_of=2009-01-31")
    drawn_count(page)
    page.click("[data-map-play]")
    wait_for_date(page, "2009-02-28")
    page.click("[data-map-play]")  # pause
    assert page.inner_text("[data-map-play]") == "Play"
    page.fill("#map-as-of", "2012-03-15")
    page.dispatch_event("#map-as-of", "change")
    wait_for_date(page, "2012-03-15")
    page.select_option("#map-state", "HI")
    assert "state=HI" in page.url
    wait_for_view(page, zoom_at_least=6, box=HAWAII)
    # Views chosen while the map is still moving are not lost (Leaflet alone drops them):
    # Alaska is chosen mid-way through nothing, "Lower 48" mid-way through Alaska's zoom.
    page.evaluate(
        """() => window.trackerMap.map.once("zoomanim", () =>
            setTimeout(() => document.querySelector("[data-map-view=lower48]").click()))"""
    )
    page.select_option("#map-state", "AK")
    assert "state=AK" in page.url
    wait_for_view(page, zoom_at_most=5, box=LOWER_48)
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_staff_see_internal_statuses(page, live_server):
    browser_sign_in(page, live_server["users"]["viewer"])
    page.goto("/map?as_of=2010-08-31")
    assert drawn_count(page) >= 3200
    legend = page.locator(".map-legend").inner_text()
    assert "Deferral pending" in legend and "Removed from plan" in legend
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_overview_shows_the_map(page):
    page.goto("/")
    assert drawn_count(page) >= 3200
    assert axe_violations(page) == []
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_the_download_opens_with_the_network_cut_off(browser, page, tmp_path):
    response = page.request.get("/map/download?as_of=2010-08-31")
    assert response.ok
    path = tmp_path / "map.html"
    path.write_bytes(response.body())

    context = browser.new_context()
    requested: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:"))
            else (requested.append(route.request.url), route.abort())
        ),
    )
    offline = context.new_page()
    errors: list[str] = []
    offline.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    offline.goto(path.as_uri())
    assert drawn_count(offline) >= 3200
    assert offline.get_attribute(DRAWN, "data-as-of") == "2010-08-31"
    assert requested == []
    assert errors == []
    context.close()
