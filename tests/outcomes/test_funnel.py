"""The funnel-plot method against a worked example whose limits are computed here independently:
exact binomial quantiles by summing the probability mass function with math.comb, the
interpolation of Spiegelhalter (2005) written out, the winsorised over-dispersion by sorting by
hand, and the chi-square decision against the printed table value."""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
import pytest

from tracker.outcomes.funnel import binomial_limit, control_limits, funnel_of

Unit = namedtuple("Unit", "key count cases")


def assess(units, min_cases):
    """The funnel of units given as (key, count, cases)."""
    return funnel_of(
        [u.key for u in units],
        np.array([u.count for u in units], dtype=float),
        np.array([u.cases for u in units], dtype=float),
        min_cases,
    )


# chi-square with 9 degrees of freedom, 95th percentile, from the printed tables.
CHI2_9_95 = 16.919


def cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed term by term."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, k + 1))


def exact_limit(probability: float, n: int, p: float) -> float:
    """Spiegelhalter's interpolated limit: r the smallest count with F(r) >= P,
    a = (F(r) - P) / (F(r) - F(r - 1)), limit = (r - a) / n."""
    r = next(k for k in range(n + 1) if cdf(k, n, p) >= probability - 1e-12)
    at_r, below_r = cdf(r, n, p), cdf(r - 1, n, p) if r > 0 else 0.0
    return (r - (at_r - probability) / (at_r - below_r)) / n


def winsorised_phi(z: list[float]) -> float:
    """Mean squared z after pulling the lowest 10 % up to the next value and the highest 10 %
    down to the one below them."""
    ordered = sorted(z)
    k = int(0.1 * len(z))
    low, high = ordered[k], ordered[len(z) - k - 1]
    pulled = [min(max(value, low), high) for value in z]
    return sum(value * value for value in pulled) / len(z)


def test_the_interpolated_limit_worked_by_hand():
    # n = 4, p = 1/2: F(3) = 15/16 < 0.975 <= F(4) = 1, so r = 4, a = 0.025 / (1/16) = 0.4 and
    # the upper limit is (4 - 0.4) / 4 = 0.9; F(0) = 1/16 >= 0.025, so r = 0, a = 0.6, -0.15.
    assert binomial_limit(0.975, [4], 0.5)[0] == pytest.approx(0.9)
    assert binomial_limit(0.025, [4], 0.5)[0] == pytest.approx(-0.15)
    limits = control_limits(0.5, [4])
    assert limits["95%"][0][0] == 0  # kept within 0 and 1
    assert limits["95%"][1][0] == pytest.approx(0.9)


@pytest.mark.parametrize("n", [1, 7, 20, 55, 100, 333])
@pytest.mark.parametrize("p", [0.05, 0.26, 0.5, 0.9])
def test_binomial_limits_match_direct_summation(n, p):
    for probability in (0.001, 0.025, 0.975, 0.999):
        assert binomial_limit(probability, [n], p)[0] == pytest.approx(
            exact_limit(probability, n, p), abs=1e-9
        )


# Ten jurisdictions large enough to judge, and one small one with an extreme rate.
WORKED = [
    Unit("A", 30, 100), Unit("B", 45, 150), Unit("C", 12, 60), Unit("D", 70, 200),
    Unit("E", 25, 80), Unit("F", 60, 300), Unit("G", 90, 250), Unit("H", 20, 120),
    Unit("I", 40, 90), Unit("K", 240, 400), Unit("small", 6, 6),
]  # fmt: skip
MIN_CASES = 20


def independent(units, min_cases):
    """The whole method, worked out without scipy or numpy."""
    target = sum(u.count for u in units) / sum(u.cases for u in units)
    judged = [u for u in units if u.cases >= min_cases]
    z = {u.key: (u.count / u.cases - target) / math.sqrt(target * (1 - target) / u.cases)
         for u in units}  # fmt: skip
    phi = winsorised_phi([z[u.key] for u in judged])
    widened = len(judged) * phi > CHI2_9_95
    scale = math.sqrt(phi) if widened else 1.0
    flags = {}
    for u in judged:
        rate = u.count / u.cases
        for name, low, high in (("95%", 0.025, 0.975), ("99.8%", 0.001, 0.999)):
            lower = target + (exact_limit(low, u.cases, target) - target) * scale
            upper = target + (exact_limit(high, u.cases, target) - target) * scale
            if rate > min(upper, 1):
                flags[u.key] = ("high", name)
            elif rate < max(lower, 0):
                flags[u.key] = ("low", name)
    return target, phi, widened, scale, z, flags


def test_the_worked_example_matches_the_independent_computation():
    funnel = assess(WORKED, MIN_CASES)
    target, phi, widened, scale, z, flags = independent(WORKED, MIN_CASES)
    assert funnel.target == pytest.approx(target)
    assert funnel.phi == pytest.approx(phi)
    assert funnel.widened is widened is True  # these ten vary far more than chance allows
    assert funnel.scale == pytest.approx(scale)
    by_key = {a.key: a for a in funnel.assessments}
    for unit in WORKED:
        assert by_key[unit.key].z == pytest.approx(z[unit.key] / scale)
    assert {a.key: (a.direction, a.limit) for a in funnel.assessments if a.flagged} == flags
    # Both directions and both limits occur, or the example would prove less than it seems.
    assert flags == {"F": ("low", "95%"), "K": ("high", "99.8%")}
    # The small jurisdiction (6 of 6) is far outside the limits, and still only listed apart.
    assert by_key["small"].small and not by_key["small"].flagged
    for n in (20, 60, 100, 300):
        limits = funnel.limits([n])
        for name, low, high in (("95%", 0.025, 0.975), ("99.8%", 0.001, 0.999)):
            expected_low = max(0, target + (exact_limit(low, n, target) - target) * scale)
            expected_high = min(1, target + (exact_limit(high, n, target) - target) * scale)
            assert limits[name][0][0] == pytest.approx(expected_low, abs=1e-9)
            assert limits[name][1][0] == pytest.approx(expected_high, abs=1e-9)


def test_without_over_dispersion_the_limits_stay_binomial():
    # Rates that barely differ: phi is small and the chi-square test does not fire.
    units = [Unit(str(i), 25 + (i % 3) - 1, 100) for i in range(10)]
    funnel = assess(units, MIN_CASES)
    target, phi, widened, _scale, _z, flags = independent(units, MIN_CASES)
    assert funnel.phi == pytest.approx(phi) and phi < 1
    assert funnel.widened is widened is False and funnel.scale == 1.0
    assert flags == {} and not any(a.flagged for a in funnel.assessments)


def test_widening_takes_back_flags_that_chance_variation_explains():
    # The same over-dispersed example judged with plain binomial limits flags more.
    funnel = assess(WORKED, MIN_CASES)
    binomial_only = {
        key
        for key, (direction, _limit) in independent_binomial(WORKED, MIN_CASES).items()
        if direction
    }
    flagged = {a.key for a in funnel.assessments if a.flagged}
    assert flagged < binomial_only


def independent_binomial(units, min_cases):
    target = sum(u.count for u in units) / sum(u.cases for u in units)
    flags = {}
    for u in units:
        if u.cases < min_cases:
            continue
        rate = u.count / u.cases
        if rate > exact_limit(0.975, u.cases, target):
            flags[u.key] = ("high", "95%")
        elif rate < exact_limit(0.025, u.cases, target):
            flags[u.key] = ("low", "95%")
    return flags


def test_nothing_varies_nothing_is_flagged():
    funnel = assess([Unit("a", 0, 50), Unit("b", 0, 80), Unit("c", 0, 0)], MIN_CASES)
    assert funnel.target == 0 and funnel.phi is None
    assert [a.key for a in funnel.assessments] == ["a", "b"]  # no cases, no point
    assert not any(a.flagged for a in funnel.assessments)
    assert assess([], MIN_CASES).target is None
