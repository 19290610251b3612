"""The same statistics read the same everywhere: the dashboard's national totals for a quarter,
the state page's row for it, a jurisdiction's page, the review and /api/v1/stats."""

from __future__ import annotations

import re

from tests.outcomes.data.make_held_out import TEXAS

FIELDS = ("submissions", "matches", "level1", "level2", "level3", "non_criminal", "removed")


def api_totals(client, query: str) -> dict:
    body = client.get(f"/api/v1/stats?{query}&per_page=1").get_json()
    return body["totals"]


def numbers(html: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", html)]


def test_dashboard_state_page_review_and_api_agree(app, held_out, signed_in):
    viewer = signed_in("viewer")
    national = api_totals(viewer, "from=2011-01&to=2011-03")
    texas = api_totals(viewer, "state=TX&from=2011-01&to=2011-03")
    assert national == texas and national["jurisdictions"] == len(TEXAS)

    page = viewer.get("/dashboard?as_of=2011-08-01&quarter=2011-Q1").get_data(as_text=True)
    section = page[
        page.index('id="quarter-outcomes"') : page.index(
            "</dl>", page.index('id="quarter-outcomes"')
        )
    ]
    figures = re.findall(r'<span class="figure">([\d,]+)</span>', section)
    assert [int(f.replace(",", "")) for f in figures] == [
        national["submissions"],
        national["matches"],
        national["level1"] + national["level2"] + national["level3"] + national["non_criminal"],
        national["removed"],
    ]
    assert f"from {national['jurisdictions']} jurisdictions reporting" in section
    assert "January to March 2011 (2011-Q1)" in page
    # Without a quarter, the latest one begun by the date is shown.
    latest = viewer.get("/dashboard?as_of=2011-08-01").get_data(as_text=True)
    assert "January to March 2011 (2011-Q1)" in latest
    assert "No monthly statistics have been imported" in viewer.get(
        "/dashboard?as_of=2010-12-31"
    ).get_data(as_text=True)
    assert viewer.get("/dashboard?quarter=1999-Q1").status_code == 400

    state = viewer.get("/states/TX?as_of=2011-08-01").get_data(as_text=True)
    row = re.search(r'<tr data-quarter="2011-Q1">(.*?)</tr>', state, re.S)[1]
    assert numbers(row)[-8:] == [texas["jurisdictions"], *(texas[f] for f in FIELDS)]

    review = viewer.get("/api/v1/reviews/2011-Q1").get_json()
    assert review["totals"] == national


def test_a_jurisdictions_page_charts_its_months_and_totals_them_like_the_api(
    app, held_out, signed_in
):
    viewer = signed_in("viewer")
    fips = "48061"
    totals = api_totals(viewer, f"fips={fips}")
    page = viewer.get(f"/jurisdictions/{fips}?as_of=2011-08-01").get_data(as_text=True)
    section = page[page.index('id="outcomes"') :]
    section = section[: section.index("</section>")]
    assert section.count('<svg class="monthly-chart"') == 2
    summary = re.search(r'<p id="outcomes-summary">(.*?)</p>', section, re.S)[1]
    assert summary.startswith(
        "Activated in June 2010; statistics for 3 of the 10 months to March 2011"
    )
    assert f"{totals['submissions']:,} fingerprints submitted" in summary
    assert f"{totals['non_criminal']:,} with no criminal conviction" in summary
    rows = re.findall(r"<tr><th scope=\"row\">(\w+ \d{4})", section)
    # Activated in June 2010: the months before the first statistics show as gaps.
    assert rows[0] == "June 2010" and rows[-1] == "March 2011" and len(rows) == 10
    none_yet = viewer.get("/jurisdictions/01001?as_of=2011-08-01").get_data(as_text=True)
    assert "No monthly statistics: they start with the month a jurisdiction activates." in none_yet
