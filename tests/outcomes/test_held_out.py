"""The review on a held-out file (tests/outcomes/data/held_out_2011q1.csv, made by the script
beside it, never used to develop the method): the planted outliers are flagged in their
direction, and the tiny county with an extreme rate on a handful of cases is listed apart."""

from __future__ import annotations

from tests.outcomes.data.make_held_out import PLANTED, SMALL_EXTREME, TEXAS


def test_planted_outliers_are_flagged_both_ways_and_the_small_extreme_one_is_not(app, held_out):
    from tracker.outcomes.models import Metric
    from tracker.outcomes.quarters import Quarter
    from tracker.outcomes.review import review_quarter

    with app.app_context():
        review = review_quarter(Quarter(2011, 1))
    assert review.totals.jurisdictions == len(TEXAS)
    for fips, (metric, direction) in PLANTED.items():
        flag = review.metric(Metric(metric)).flag_of(fips)
        assert flag is not None, f"{fips} not flagged on {metric}"
        assert flag.assessment.direction == direction, (fips, metric)
        assert flag.assessment.limit == "99.8%", (fips, metric)
    for metric in (Metric.NON_CRIMINAL_SHARE, Metric.LEVEL1_SHARE):
        small = {place.fips: a for place, a in review.metric(metric).small}
        assert SMALL_EXTREME in small
        assert review.metric(metric).flag_of(SMALL_EXTREME) is None
    extreme = {p.fips: a for p, a in review.metric(Metric.NON_CRIMINAL_SHARE).small}[SMALL_EXTREME]
    assert extreme.rate == 1.0  # as extreme as a rate can be, on 4 identifications
    # The method is not flagging everyone: most counties stay within the limits.
    for m in review.metrics:
        assert len(m.flags) < 0.2 * m.funnel.judged, m.metric
