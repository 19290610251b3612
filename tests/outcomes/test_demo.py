"""`tracker seed --demo` adds plausible monthly statistics, labelled demo, the same every time,
with outliers planted for the review to find and a small extreme county it must not flag."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

PLANTED = {
    "32003": ("non_criminal_share", "high"),
    "47157": ("non_criminal_share", "high"),
    "27053": ("non_criminal_share", "low"),
    "12099": ("match_rate", "high"),
    "55079": ("match_rate", "low"),
    "39035": ("level1_share", "high"),
    "49035": ("level1_share", "low"),
}


def test_demo_statistics_follow_activation_and_the_review_finds_what_was_planted(app, cli_runner):
    from tracker.extensions import db
    from tracker.outcomes.demo import LAST_MONTH, SMALL_EXTREME, demo_statistics_rows
    from tracker.outcomes.models import Metric
    from tracker.outcomes.models import MonthlyStatistics as M
    from tracker.outcomes.quarters import Quarter
    from tracker.outcomes.review import review_quarter
    from tracker.plan.models import Activation

    result = cli_runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(M))
        assert f"{count} months of statistics" in result.output
        assert count > 30_000
        assert db.session.scalar(select(func.count()).where(M.is_demo.is_(False))) == 0
        assert set(db.session.scalars(select(M.source).distinct())) == {"demo"}
        before_activation = db.session.scalar(
            select(func.count())
            .select_from(M)
            .join(Activation, Activation.jurisdiction_fips == M.jurisdiction_fips)
            .where(M.month < func.date(Activation.activated_on, "start of month"))
            if db.engine.dialect.name == "sqlite"
            else select(func.count())
            .select_from(M)
            .join(Activation, Activation.jurisdiction_fips == M.jurisdiction_fips)
            .where(M.month < func.date_trunc("month", Activation.activated_on))
        )
        assert before_activation == 0
        assert db.session.scalar(select(func.max(M.month))) == LAST_MONTH
        activations = db.session.execute(
            select(Activation.jurisdiction_fips, Activation.activated_on).where(
                Activation.activated_on <= dt.date(2009, 6, 30)
            )
        ).all()
        assert demo_statistics_rows(activations) == demo_statistics_rows(activations)

        review = review_quarter(Quarter(2012, 4))
        assert review.is_demo  # and the page says so
        for fips, (metric, direction) in PLANTED.items():
            flag = review.metric(Metric(metric)).flag_of(fips)
            assert flag is not None and flag.assessment.direction == direction, (fips, metric)
        shares = review.metric(Metric.NON_CRIMINAL_SHARE)
        small = {place.fips: a for place, a in shares.small}
        assert small[SMALL_EXTREME].rate == 1.0 and shares.flag_of(SMALL_EXTREME) is None
        assert review.metric(Metric.MATCH_RATE).funnel.widened  # the demo varies more than chance
