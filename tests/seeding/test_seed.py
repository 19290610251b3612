"""`tracker seed`: the registry from Census data, the real records, and the demo rollout."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange
from tracker.registry.models import Jurisdiction, State
from tracker.seeding.demo import DEMO_END, DEMO_START

REAL = {
    "48453": "2009-06-16", "12111": "2009-02-18", "04025": "2009-01-16", "48439": "2009-08-18",
    "12011": "2009-08-25", "25025": "2008-11-05", "12086": "2009-02-24", "12057": "2009-02-24",
    "04019": "2009-11-17", "37183": "2008-11-12", "48085": "2009-01-21", "06073": "2009-05-26",
    "06083": "2010-01-05", "48479": "2009-06-16", "06111": "2009-07-22", "48113": "2008-11-12",
    "04013": "2009-01-16", "12085": "2010-06-22",
}  # fmt: skip


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_registry_has_every_state_and_county_equivalent(app, database):
    assert _count(app, State) == 56
    assert _count(app, Jurisdiction) == 3233
    with app.app_context():
        travis = db.session.get(Jurisdiction, "48453")
        assert (travis.full_name, travis.state.postal, travis.kind.value) == (
            "Travis County",
            "TX",
            "county",
        )
        assert db.session.get(Jurisdiction, "72001").kind.value == "municipio"
        assert db.session.get(Jurisdiction, "22071").full_name == "Orleans Parish"
        assert db.session.get(Jurisdiction, "51510").kind.value == "city"
        assert db.session.get(Jurisdiction, "35013").name == "Doña Ana"


def test_real_activation_dates_are_seeded_as_real_with_their_source(app, database):
    with app.app_context():
        rows = (
            db.session.execute(select(Activation).where(Activation.is_demo.is_(False)))
            .scalars()
            .all()
        )
        found = {a.jurisdiction_fips: a.activated_on.isoformat() for a in rows}
        assert found == REAL
        assert all("Immigration and Customs Enforcement" in a.source for a in rows)


def test_seed_twice_changes_nothing_and_says_so(cli_runner):
    result = cli_runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "states: 0 added, 0 updated, 56 unchanged" in result.output
    assert "jurisdictions: 0 added, 0 updated, 3233 unchanged" in result.output
    assert "Nothing changed" in result.output


def test_demo_covers_every_jurisdiction_deterministically_and_once(app, cli_runner):
    result = cli_runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        activations = dict(
            db.session.execute(select(Activation.jurisdiction_fips, Activation.activated_on)).all()
        )
        assert len(activations) == 3233
        demo_dates = [d for f, d in activations.items() if f not in REAL]
        assert min(demo_dates) >= DEMO_START and max(demo_dates) <= DEMO_END
        first_run = db.session.execute(
            select(
                PlanChange.jurisdiction_fips,
                PlanChange.kind,
                PlanChange.scheduled_on,
                PlanChange.decided_on,
            ).order_by(PlanChange.id)
        ).all()
        assert all(pc.is_demo for pc in db.session.scalars(select(PlanChange)))
        kinds = {row.kind.value for row in first_run}
        assert kinds == {"scheduled", "removed"}
        assert len(first_run) > 3233  # some plans changed along the way
        # plans are never decided after the activation they lead to
        assert all(row.decided_on <= activations[row.jurisdiction_fips] for row in first_run)
        assert db.session.get(Activation, _activation_id(activations, "48453")) is not None
    again = cli_runner.invoke(args=["seed", "--demo"])
    assert "demo: already present, nothing changed" in again.output
    assert _count(app, PlanChange) == len(first_run)


def _activation_id(activations, fips):
    return db.session.scalar(select(Activation.id).where(Activation.jurisdiction_fips == fips))


def test_demo_rollout_is_the_same_every_time(app, database):
    import random

    from tracker.seeding import demo

    with app.app_context():
        jurisdictions = db.session.scalars(select(Jurisdiction).order_by(Jurisdiction.fips)).all()
        first = [j.fips for j in demo._rollout_order(jurisdictions, random.Random(demo.DEMO_SEED))]
        second = [j.fips for j in demo._rollout_order(jurisdictions, random.Random(demo.DEMO_SEED))]
    assert first == second
    assert first[0] == demo.BORDER_COUNTIES[0]
    dates = demo._activation_dates(100, dt.date(2009, 1, 1), dt.date(2012, 12, 31))
    assert dates == sorted(dates) and all(
        d.weekday() == 1 or d == dt.date(2012, 12, 31) for d in dates
    )
