"""Importing monthly statistics: every refusal, all-or-nothing, re-imports kept as history, and
the same rules through `tracker import stats` and /stats/import."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.outcomes.support import (
    COUNTY,
    HEADER,
    NOW,
    OTHER_COUNTY,
    activate,
    hidden,
    import_file,
    stats_csv,
    upload,
)
from tests.plan_import.files import write_xlsx
from tests.support.records import audit_count
from tests.support.web import sign_in

GOOD = ("2010-04", COUNTY, 1200, 110, 20, 12, 30, 25, 18)


pytestmark = pytest.mark.today(NOW)


@pytest.fixture()
def activated(app, database):
    activate(app)


def stored(app) -> list[tuple]:
    """Every version of every month: (fips, month, matches, in force, recorded by)."""
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.outcomes.models import MonthlyStatistics as M

    with app.app_context():
        rows = db.session.execute(
            select(M.jurisdiction_fips, M.month, M.matches, M.superseded_at.is_(None), User.email)
            .outerjoin(User, User.id == M.recorded_by_id)
            .order_by(M.id)
        )
        return [tuple(row) for row in rows]


def errors_of(app, *rows, header=HEADER) -> list[str]:
    preview, _ = import_file(app, stats_csv(rows, header=header))
    assert preview.has_errors
    return preview.error_lines()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (("", COUNTY, 1, 1, 0, 0, 0, 0, 0), "row 3: month: the month is blank"),
        (("2010-13", COUNTY, 1, 1, 0, 0, 0, 0, 0), "row 3: month: '2010-13' is not a month"),
        (("Sept", COUNTY, 1, 1, 0, 0, 0, 0, 0), "row 3: month: 'Sept' is not a month"),
        (("2011-06", COUNTY, 1, 1, 0, 0, 0, 0, 0), "row 3: month: 2011-06 has not ended yet."),
        (
            ("2010-02", COUNTY, 1, 1, 0, 0, 0, 0, 0),
            "row 3: month: 2010-02 is before Anderson County, TX activated on 2010-03-10",
        ),
        (
            ("2010-04", "48005", 1, 1, 0, 0, 0, 0, 0),
            "row 3: month: Angelina County, TX has not activated",
        ),
        (("2010-04", COUNTY, "", 1, 0, 0, 0, 0, 0), "row 3: submissions: is blank"),
        (("2010-04", COUNTY, 10, -1, 0, 0, 0, 0, 0), "row 3: matches: -1 is negative"),
        (
            ("2010-04", COUNTY, 10, 1.5, 0, 0, 0, 0, 0),
            "row 3: matches: '1.5' is not a whole number",
        ),
        (("2010-04", COUNTY, 10, "many", 0, 0, 0, 0, 0), "row 3: matches: 'many' is not a whole"),
        (
            ("2010-04", COUNTY, 10, 11, 0, 0, 0, 0, 0),
            "row 3: matches: 11 matches out of 10 submissions: matches cannot exceed submissions.",
        ),
        (
            ("2010-04", COUNTY, 100, 10, 3, 3, 3, 3, 0),
            "row 3: non_criminal: level1 + level2 + level3 + non_criminal = 12, more than the 10 "
            "matches.",
        ),
        (
            ("2010-04", "99999", 1, 1, 0, 0, 0, 0, 0),
            "row 3: jurisdiction: No jurisdiction has FIPS code 99999",
        ),
    ],
)
def test_each_rule_refuses_the_row_naming_it(app, activated, row, expected):
    before = stored(app)
    lines = errors_of(app, GOOD, row)
    assert any(line.startswith(expected) for line in lines), lines
    assert stored(app) == before


def test_a_month_given_twice_and_names_that_disagree_are_refused(app, activated):
    header = ("month", "state", "jurisdiction", "fips", *HEADER[2:])
    lines = errors_of(
        app,
        ("2010-04", "TX", "Anderson", "", *GOOD[2:]),
        ("2010-04", "", "", COUNTY, *GOOD[2:]),
        ("2010-05", "TX", "Andrews County", COUNTY, *GOOD[2:]),
        ("2010-05", "", "Anderson", "", *GOOD[2:]),
        header=header,
    )
    assert lines[0] == (
        "row 3: month: Anderson County, TX has 2010-04 on row 2 too; give each jurisdiction and "
        "month once per file."
    )
    assert lines[1].startswith(
        "row 4: fips: fips 48001 is Anderson County, TX but the jurisdiction column says "
        "'Andrews County' (Andrews County, TX)"
    )
    assert lines[2].startswith("row 5: state: Give the state of 'Anderson'")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "is empty"),
        (
            b"month,fips,submissions,matches,level1,level2,level3,non_criminal\n2010-04,48001,1,1,0,0,0,0\n",
            "missing required column(s): removed",
        ),
        (
            b"month,submissions,matches,level1,level2,level3,non_criminal,removed\n2010-04,1,1,0,0,0,0,0\n",
            "missing required column(s): fips or jurisdiction",
        ),
    ],
)
def test_unusable_files_are_refused_whole(app, activated, data, fragment):
    from tracker.outcomes.importing import preview_statistics_import
    from tracker.plan.importing.reader import ImportFileError

    with app.app_context(), pytest.raises(ImportFileError) as caught:
        preview_statistics_import("stats.csv", data)
    assert fragment in caught.value.message
    assert "docs/statistics.md" in caught.value.message or "empty" in fragment


def test_any_error_refuses_the_whole_file(app, activated):
    from tracker.extensions import db
    from tracker.outcomes.applying import apply_statistics_import
    from tracker.outcomes.importing import preview_statistics_import

    before = stored(app)
    data = stats_csv([GOOD, ("2010-05", OTHER_COUNTY, 10, 11, 0, 0, 0, 0, 0)])
    with app.app_context():
        preview = preview_statistics_import("stats.csv", data)
        assert preview.summary() == "2 rows: 1 new, 0 changed, 0 unchanged, 1 errors"
        with pytest.raises(Exception, match="1 rows with errors; nothing was imported"):
            apply_statistics_import(preview)
        db.session.rollback()
    assert stored(app) == before


def test_reimporting_a_month_is_a_correction_that_keeps_the_earlier_figures(app, activated):
    first, result = import_file(
        app, stats_csv([GOOD, ("2010-05", COUNTY, 900, 80, 10, 10, 20, 20, 5)])
    )
    assert first.summary() == "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors"
    assert (result.added, result.replaced) == (2, 0)
    events = audit_count(app)
    recorded_first = dt.datetime.now(dt.UTC)

    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        corrected = ("2010-05", COUNTY, 900, 85, 10, 10, 20, 25, 5)
        second, result = import_file(app, stats_csv([GOOD, corrected]), name="corrected.csv")
    assert second.summary() == "2 rows: 0 new, 1 changed, 1 unchanged, 0 errors"
    changed = next(row for row in second.rows if row.outcome == "changed")
    assert [(c.field, c.before, c.after) for c in changed.changes] == [
        ("matches", 80, 85),
        ("non_criminal", 20, 25),
    ]
    assert (result.added, result.replaced) == (0, 1)
    assert audit_count(app) == events + 2  # the import, and the correction it records
    may = [row for row in stored(app) if row[1] == dt.date(2010, 5, 1)]
    assert [(matches, current) for _, _, matches, current, _ in may] == [(80, False), (85, True)]

    from tracker.corrections.models import Correction, FactKind
    from tracker.extensions import db
    from tracker.outcomes.models import MonthlyStatistics as M
    from tracker.outcomes.services import StatisticsFilters, statistics_query, totals

    with app.app_context():
        [correction] = db.session.scalars(
            select(Correction).where(Correction.fact_kind == FactKind.MONTHLY_STATISTICS)
        ).all()
        earlier, later = db.session.scalars(
            select(M).where(M.month == dt.date(2010, 5, 1)).order_by(M.id)
        ).all()
        assert (correction.fact_id, correction.action.value) == (str(earlier.id), "amend")
        assert correction.replacement_id == later.id
        assert earlier.superseded_by_id == correction.id
        assert earlier.superseded_at == correction.recorded_at == later.recorded_at
        assert correction.reason.startswith("Imported again from corrected.csv (SHA-256 ")
        assert correction.summary == (
            "Statistics 2010-05 for Anderson County, TX: matches 80 → 85; non_criminal 20 → 25"
        )
        assert (correction.before, correction.after) == (
            {"matches": 80, "non_criminal": 20},
            {"matches": 85, "non_criminal": 25},
        )
        assert correction.recorded_by_label == "test"
        now_known = db.session.scalars(statistics_query(StatisticsFilters(fips=COUNTY))).all()
        assert [row.matches for row in now_known] == [110, 85]
        then = StatisticsFilters(fips=COUNTY, known_at=recorded_first + dt.timedelta(days=1))
        assert [row.matches for row in db.session.scalars(statistics_query(then))] == [110, 80]
        assert totals(fips=COUNTY).matches == 195
        assert totals(fips=COUNTY, known_at=then.known_at).matches == 190

    again, result = import_file(app, stats_csv([GOOD, corrected]))
    assert again.summary() == "2 rows: 0 new, 0 changed, 2 unchanged, 0 errors"
    assert (result.added, result.replaced) == (0, 0)
    assert audit_count(app) == events + 2  # nothing to write, nothing audited


def test_xlsx_cells_numbers_and_dates(app, activated, tmp_path):
    path = write_xlsx(
        tmp_path / "stats.xlsx",
        [
            (
                "Reporting month",
                "State",
                "County",
                "Submissions",
                "Matches",
                "Level 1",
                "Level 2",
                "Level 3",
                "Non-criminal",
                "Removals",
            ),
            (dt.datetime(2010, 4, 1), "Texas", "Anderson", 1200.0, 110, 20, 12, 30, 25, 18),
            ("2010/5", "TX", "Andrews County", "1,024", 100, 0, 0, 0, 0, 0),
        ],  # fmt: skip
        header=None,
        title="Monthly interoperability statistics",
    )
    preview, result = import_file(app, path.read_bytes(), name="stats.xlsx")
    assert preview.summary() == "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors", (
        preview.error_lines()
    )
    assert [(row.fips, row.month, row.counts[0]) for row in preview.rows] == [
        (COUNTY, dt.date(2010, 4, 1), 1200),
        (OTHER_COUNTY, dt.date(2010, 5, 1), 1024),
    ]
    assert result.added == 2


def run(cli_runner, *args):
    return cli_runner.invoke(args=["import", "stats", *map(str, args)])


def test_the_command_reports_every_error_and_applies_only_clean_files(
    app, cli_runner, activated, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(stats_csv([GOOD, ("2010-01", OTHER_COUNTY, 1, 1, 0, 0, 0, 0, 0)]))
    result = run(cli_runner, bad)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2 rows: 1 new, 0 changed, 0 unchanged, 1 errors",
        "row 3: month: 2010-01 is before Andrews County, TX activated on 2010-05-04; statistics "
        "start with the month of activation.",
    ]
    assert stored(app) == []

    good = tmp_path / "good.csv"
    good.write_bytes(stats_csv([GOOD, ("2010-05", OTHER_COUNTY, 1, 1, 0, 0, 0, 1, 0)]))
    dry = run(cli_runner, good, "--dry-run")
    assert dry.exit_code == 0 and "Dry run: nothing was written." in dry.stdout
    assert stored(app) == []
    done = run(cli_runner, good)
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-1] == (
        "Imported: 2 months added and 0 months replaced (the earlier figures are kept as history)."
    )
    assert [row[:2] for row in stored(app)] == [
        (COUNTY, dt.date(2010, 4, 1)),
        (OTHER_COUNTY, dt.date(2010, 5, 1)),
    ]
    again = run(cli_runner, good)
    assert (
        again.stdout.splitlines()[-1]
        == "Nothing to import: every row matches the statistics recorded."
    )


def test_upload_preview_confirm_and_a_moved_preview_is_shown_again(
    app, client, make_user, activated
):
    email = make_user("editor")
    assert sign_in(client, email).status_code == 303
    editor = client
    assert editor.get("/stats/import").status_code == 200
    preview = upload(editor, "/stats/import", stats_csv([GOOD]))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 rows: 1 new, 0 changed, 0 unchanged, 0 errors" in html
    assert "Anderson County, TX" in html and "submissions 1,200" in html
    form = {"payload": hidden(html, "payload"), "fingerprint": hidden(html, "fingerprint")}

    # Someone imports the same month with other figures between the preview and the confirmation.
    import_file(app, stats_csv([("2010-04", COUNTY, 1200, 111, 20, 12, 30, 25, 18)]))
    moved = editor.post("/stats/import/confirm", data=form)
    assert moved.status_code == 409
    fresh = moved.get_data(as_text=True)
    assert "changed since your preview" in fresh
    assert "1 rows: 0 new, 1 changed, 0 unchanged, 0 errors" in fresh
    assert "111 → 110" in fresh
    done = editor.post(
        "/stats/import/confirm",
        data={"payload": hidden(fresh, "payload"), "fingerprint": hidden(fresh, "fingerprint")},
    )
    assert done.status_code == 303
    assert [row[2:] for row in stored(app)] == [(111, False, None), (110, True, email)]


def test_a_file_previewed_as_a_plan_cannot_be_confirmed_as_statistics(app, signed_in, activated):
    from tracker.plan.importing.sealing import seal

    editor = signed_in("editor")
    with app.test_request_context():
        payload = seal("stats.csv", stats_csv([GOOD]))  # the plan import's seal
    response = editor.post("/stats/import/confirm", data={"payload": payload, "fingerprint": "x"})
    assert response.status_code == 303
    assert "could not be verified" in editor.get("/stats/import").get_data(as_text=True)
    assert stored(app) == []


def test_only_editors_import(client, signed_in):
    assert client.get("/stats/import").status_code == 302
    viewer = signed_in("viewer")
    assert viewer.get("/stats/import").status_code == 403
    assert viewer.post("/stats/import/confirm").status_code == 403


def test_a_month_recorded_by_someone_else_meanwhile_refuses_the_whole_import(app, activated):
    """Two imports of a new month at once: the second one's insert meets the first one's row
    (the in-force index), and nothing of it is written, on either engine's bulk path."""
    from tracker.errors import Conflict
    from tracker.extensions import db
    from tracker.outcomes.applying import apply_statistics_import
    from tracker.outcomes.importing import preview_statistics_import

    data = stats_csv([GOOD, ("2010-05", OTHER_COUNTY, 10, 1, 0, 0, 0, 1, 0)])
    with app.app_context():
        preview = preview_statistics_import("late.csv", data)
        assert preview.summary() == "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors"
    import_file(app, stats_csv([GOOD]), name="first.csv")
    with app.app_context():
        with pytest.raises(Conflict, match="Another import recorded statistics"):
            apply_statistics_import(preview)
        db.session.rollback()
    assert [row[:2] for row in stored(app)] == [(COUNTY, dt.date(2010, 4, 1))]


def test_a_large_upload_comes_back_whole_from_its_preview(app, signed_in, activated):
    """The previewed file travels back sealed in the confirmation form: a file over a megabyte
    that barely compresses (a notes column of random text, which the import ignores) comes back
    whole (a url-encoded form: Flask's 500 kB limit on a multipart field does not apply)."""
    import secrets

    months = [f"{year}-{month:02d}" for year in (2010, 2011) for month in range(1, 13)]
    rows = [
        (month, fips, 100, 10, 1, 1, 1, 1, 1, secrets.token_hex(25_000))
        for fips, first in ((COUNTY, "2010-03"), (OTHER_COUNTY, "2010-05"))
        for month in months
        if first <= month <= "2011-05"
    ]
    data = stats_csv(rows, header=(*HEADER, "notes"))
    assert len(data) > 1_000_000
    editor = signed_in("editor")
    html = upload(editor, "/stats/import", data).get_data(as_text=True)
    assert f"{len(rows)} rows: {len(rows)} new, 0 changed" in html
    assert "Ignored columns: notes." in html
    payload = hidden(html, "payload")
    assert len(payload) > 600_000
    response = editor.post(
        "/stats/import/confirm",
        data={"payload": payload, "fingerprint": hidden(html, "fingerprint")},
    )
    assert response.status_code == 303, response.status_code
    assert len(stored(app)) == len(rows)
