"""`tracker import plan FILE [--dry-run]` over a corpus of good and bad files, on both engines."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.plan_import.files import HEADER, NOW, csv_bytes, set_cached_values, write_csv, write_xlsx

pytestmark = pytest.mark.today(NOW)

GOOD_ROWS = [
    ("VA", "City of Alexandria", "9/1/2011", "", "", "Wave 12"),
    ("Virginia", "Fairfax County", "September 1, 2011", "", "2/1/11", ""),
    ("MD", "Prince Georges", "2011-09-15", "", "", ""),
    ("MO", "Ste. Genevieve", "15 Sep 2011", "", "", ""),
    ("NM", "Dona Ana", "", "5/2/11", "", ""),
    ("PR", "Mayaguez", "2011-10-03", "", "", ""),
]


def unactivated_fips(app) -> list[str]:
    """Every jurisdiction without an activation (the registry seeds a few real ones)."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.plan.models import Activation
    from tracker.registry.models import Jurisdiction

    with app.app_context():
        activated = select(Activation.jurisdiction_fips)
        statement = select(Jurisdiction.fips).where(Jurisdiction.fips.not_in(activated))
        return list(db.session.scalars(statement.order_by(Jurisdiction.fips)))


def run(cli_runner, *args):
    return cli_runner.invoke(args=["import", "plan", *map(str, args)])


@pytest.fixture()
def good_csv(tmp_path):
    return write_csv(tmp_path / "plan.csv", GOOD_ROWS, bom=True, newline="\r\n")


def test_a_clean_file_is_applied_once_and_a_second_run_changes_nothing(
    cli_runner, good_csv, counts
):
    before = counts()
    result = run(cli_runner, good_csv)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "6 rows: 6 new, 0 changed, 0 unchanged, 0 errors",
        "Imported: 5 plan changes and 1 activations recorded.",
    ]
    after = counts()
    assert after["PlanChange"] == before["PlanChange"] + 5
    assert after["Activation"] == before["Activation"] + 1
    # each plan write is audited, plus one event for the import itself
    assert after["AuditEvent"] == before["AuditEvent"] + 7

    again = run(cli_runner, good_csv)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        "6 rows: 0 new, 0 changed, 6 unchanged, 0 errors",
        "Nothing to import: every row matches the plan in force.",
    ]
    assert counts() == after  # not even an audit event


def test_dry_run_reports_and_writes_nothing(cli_runner, good_csv, counts):
    before = counts()
    result = run(cli_runner, good_csv, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "6 rows: 6 new, 0 changed, 0 unchanged, 0 errors",
        "Dry run: nothing was written.",
    ]
    assert counts() == before


def test_xlsx_with_formulas_merged_cells_and_a_title_row(cli_runner, tmp_path, counts):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ("VA", "Alexandria city", dt.datetime(2011, 9, 1), None, None, None),
            (None, "Fairfax city", "=C3+7", None, None, None),
            (None, 51013, 40817, None, None, None),
        ],
        title="Planned activations (subject to change)",
        merges=["A1:F1", "A3:A5"],
    )
    set_cached_values(path, {"C4": 40794})
    before = counts()
    result = run(cli_runner, path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "3 rows: 3 new, 0 changed, 0 unchanged, 0 errors"
    assert counts()["PlanChange"] == before["PlanChange"] + 3


def _bad_files(tmp_path):
    """(file, expected output fragment) for every kind of refused file."""
    rows = GOOD_ROWS[:2]
    yield tmp_path / "empty.csv", b"", "empty.csv is empty"
    yield tmp_path / "header.csv", csv_bytes([]), "has a header (row 1) but no data rows"
    yield (
        tmp_path / "wrong.csv",
        csv_bytes(rows, header=("county", "when", "a", "b", "c", "d")),
        "missing required column(s): state, scheduled_on or activated_on",
    )
    yield (
        tmp_path / "unknown.csv",
        csv_bytes([*rows, ("TX", "Gotham County", "2011-09-01", "", "", "")]),
        "row 4: jurisdiction: No jurisdiction in Texas is called 'Gotham County'",
    )
    yield (
        tmp_path / "ambiguous.csv",
        csv_bytes([*rows, ("MD", "Baltimore", "2011-09-01", "", "", "")]),
        "row 4: jurisdiction: 'Baltimore' is ambiguous in Maryland",
    )
    yield (
        tmp_path / "impossible.csv",
        csv_bytes([*rows, ("TX", "Anderson", "2/30/2010", "", "", "")]),
        "row 4: scheduled_on: '2/30/2010' is not a real date: February 2010 has 28 days.",
    )
    yield (
        tmp_path / "duplicate.csv",
        csv_bytes([*rows, ("VA", "Alexandria city", "2011-09-01", "", "", "")]),
        "row 4: jurisdiction: Alexandria city, VA is also on row 2",
    )


@pytest.mark.parametrize(
    "name", ["empty", "header", "wrong", "unknown", "ambiguous", "impossible", "duplicate"]
)
def test_refused_files_exit_1_and_leave_the_database_unchanged(cli_runner, tmp_path, counts, name):
    path, data, fragment = next(f for f in _bad_files(tmp_path) if f[0].stem == name)
    path.write_bytes(data)
    before = counts()
    result = run(cli_runner, path)
    assert result.exit_code == 1, result.output
    assert fragment in result.output
    assert counts() == before


def test_row_errors_are_one_line_each_after_the_counts(cli_runner, tmp_path, counts):
    path = write_csv(
        tmp_path / "plan.csv",
        [
            *GOOD_ROWS,
            ("TX", "Gotham", "2011-09-01", "", "", ""),
            ("TX", "Anderson", "soon", "", "", ""),
        ],
    )
    before = counts()
    result = run(cli_runner, path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "8 rows: 6 new, 0 changed, 0 unchanged, 2 errors"
    assert lines[1].startswith("row 8: jurisdiction: ")
    assert lines[2].startswith("row 9: scheduled_on: 'soon' is not a date.")
    assert len(lines) == 3
    assert "Nothing was imported" in result.stderr
    assert counts() == before


def test_xlsx_formula_without_saved_value_is_refused(cli_runner, tmp_path, counts):
    path = write_xlsx(tmp_path / "plan.xlsx", [("TX", "Anderson", "=DATE(2011,9,1)")])
    before = counts()
    result = run(cli_runner, path)
    assert result.exit_code == 1
    assert "row 2: scheduled_on: the cell holds a formula with no saved value" in result.stdout
    assert counts() == before


def test_long_files_show_progress_on_stderr(cli_runner, tmp_path, app):
    fips = unactivated_fips(app)
    path = write_csv(
        tmp_path / "plan.csv", [("", code, "2011-12-01", "", "", "") for code in fips[:1500]]
    )
    result = run(cli_runner, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "1500 rows: 1500 new, 0 changed, 0 unchanged, 0 errors"
    assert "Checking rows" in result.stderr


@pytest.mark.slow
def test_fifty_thousand_rows(cli_runner, tmp_path, app, counts):
    """A 50,000-row file (every jurisdiction, repeated): read, checked, refused, fast."""
    fips = unactivated_fips(app)
    rows = [("", fips[i % len(fips)], "2011-12-01", "", "", "") for i in range(50_000)]
    path = write_csv(tmp_path / "big.csv", rows, header=HEADER)
    before = counts()
    started = time.perf_counter()
    result = run(cli_runner, path)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    duplicates = 50_000 - len(fips)
    assert result.stdout.splitlines()[0] == (
        f"50000 rows: {len(fips)} new, 0 changed, 0 unchanged, {duplicates} errors"
    )
    assert f"row {len(fips) + 2}: jurisdiction: " in result.stdout
    assert "is also on row 2;" in result.stdout
    assert counts() == before
    assert elapsed < 30, elapsed
