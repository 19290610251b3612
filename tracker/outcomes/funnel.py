"""The funnel-plot method: which units' rates stand out from the national rate, allowing for
chance, small counts and over-dispersion (Spiegelhalter, Stat Med 2005;24:1185-1202, and Qual
Saf Health Care 2005;14:347-351). A pure function of the counts; docs/review.md explains it.

For a unit with `count` events out of `cases` (e.g. identifications with no criminal conviction
out of all identifications), against the target p0 (the national rate: all events over all cases):

- control limits at probability P (0.025/0.975 for 95 %, 0.001/0.999 for 99.8 %) are the exact
  binomial quantiles, interpolated so they run smoothly in n (Spiegelhalter 2005, appendix A.1.1):
  r = the P quantile of Binomial(n, p0), a = (F(r) - P) / (F(r) - F(r - 1)), limit = (r - a) / n;
- z = (count/cases - p0) / sqrt(p0 (1 - p0) / cases);
- over-dispersion: phi = the mean of the squared z-scores after winsorising them at the 10th and
  90th percentiles (scipy.stats.mstats.winsorize), over the units large enough to judge. Under
  pure binomial variation I phi follows a chi-square distribution with I - 1 degrees of freedom;
  the limits are widened only when I phi exceeds that distribution's 95th percentile, and then by
  sqrt(phi) around the target: limit' = p0 + (limit - p0) sqrt(phi); z' = z / sqrt(phi);
- a unit with fewer than `min_cases` cases is listed apart (not flagged, not used for phi);
- a judged unit outside a 95 % limit is flagged high or low, naming the widest limit it crosses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom, chi2
from scipy.stats.mstats import winsorize

# (name, lower probability, upper probability), narrowest first.
LIMITS = (("95%", 0.025, 0.975), ("99.8%", 0.001, 0.999))
WINSOR = 0.10  # the share of z-scores pulled in at each end before estimating phi
DISPERSION_TEST_LEVEL = 0.95


@dataclass(frozen=True)
class Assessment:
    """One unit's place on the funnel."""

    key: str
    count: int
    cases: int
    rate: float
    z: float | None  # against the (widened) limits; None when the target is 0 or 1
    small: bool  # fewer cases than the minimum: listed apart, never flagged
    direction: str | None  # "high", "low" or None
    limit: str | None  # the widest limit crossed ("95%", "99.8%") or None

    @property
    def flagged(self) -> bool:
        return self.direction is not None

    @property
    def verdict(self) -> str:
        """ "too few cases", "within the limits", or "above the 99.8% limit"."""
        if self.small:
            return "too few cases"
        if self.direction is None:
            return "within the limits"
        return f"{'above' if self.direction == 'high' else 'below'} the {self.limit} limit"


@dataclass(frozen=True)
class Funnel:
    """A metric's funnel: the target, the over-dispersion, and every unit's assessment."""

    target: float | None  # None when no unit has any case
    phi: float | None  # None when fewer than two units can be judged
    widened: bool
    min_cases: int
    assessments: tuple[Assessment, ...]

    @property
    def scale(self) -> float:
        """The factor the binomial limits are widened by around the target."""
        return math.sqrt(self.phi) if self.widened and self.phi else 1.0

    @property
    def judged(self) -> int:
        return sum(1 for a in self.assessments if not a.small)

    def limits(self, cases: Sequence[int] | np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{limit name: (lower, upper)} at each number of cases, widened when the method says."""
        return control_limits(self.target, cases, self.scale)


def binomial_limit(probability, cases, target: float) -> np.ndarray:
    """The interpolated exact binomial limit, as a proportion, at each number of cases; with an
    array of probabilities (as a column), one row of limits per probability."""
    cases = np.asarray(cases, dtype=float)
    r = binom.ppf(probability, cases, target)
    at_r = binom.cdf(r, cases, target)
    below_r = binom.cdf(r - 1, cases, target)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(at_r > below_r, (at_r - probability) / (at_r - below_r), 0.0)
        return (r - alpha) / cases


def control_limits(
    target: float | None, cases: Sequence[int] | np.ndarray, scale: float = 1.0
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"95%": (lower, upper), "99.8%": (...)} at each number of cases, widened by `scale`
    around the target and kept within 0 and 1."""
    cases = np.asarray(cases, dtype=float)
    if target is None or not 0 < target < 1:
        flat = np.full(cases.shape, np.nan if target is None else target)
        return {name: (flat, flat) for name, _, _ in LIMITS}
    # All four probabilities at once (one quantile call): rows lower 95, upper 95, lower 99.8...
    probabilities = np.array([[p] for _, low, high in LIMITS for p in (low, high)])
    rows = binomial_limit(probabilities, cases[np.newaxis, :], target)
    rows = np.clip(target + (rows - target) * scale, 0, 1)
    return {name: (rows[2 * i], rows[2 * i + 1]) for i, (name, _, _) in enumerate(LIMITS)}


def overdispersion(z: np.ndarray) -> float:
    """phi: the mean squared z-score after winsorising at the 10th and 90th percentiles."""
    pulled_in = winsorize(np.asarray(z, dtype=float), limits=(WINSOR, WINSOR))
    return float(np.mean(np.square(pulled_in)))


def is_overdispersed(phi: float, judged: int) -> bool:
    """True when I phi exceeds the 95th percentile of chi-square with I - 1 degrees of freedom."""
    return bool(judged > 1 and judged * phi > chi2.ppf(DISPERSION_TEST_LEVEL, judged - 1))


def funnel_of(keys: Sequence[str], count: np.ndarray, cases: np.ndarray, min_cases: int) -> Funnel:
    """Every unit (keys, with their counts and cases as parallel arrays) with at least one case,
    placed on the funnel of their common rate."""
    present = cases > 0
    keys = [key for key, keep in zip(keys, present.tolist(), strict=True) if keep]
    count, cases = count[present], cases[present]
    if not keys:
        return Funnel(None, None, False, min_cases, ())
    rate = count / cases
    target = float(count.sum() / cases.sum())
    small = cases < min_cases
    if not 0 < target < 1:
        # Every unit's rate is 0 (or 1): nothing varies, nothing can stand out.
        nothing = [None] * len(keys)
        return Funnel(target, None, False, min_cases, _assessments(
            keys, count, cases, rate, nothing, small, nothing, nothing
        ))  # fmt: skip
    z = (rate - target) / np.sqrt(target * (1 - target) / cases)
    judged = int((~small).sum())
    phi = overdispersion(z[~small]) if judged > 1 else None
    widened = phi is not None and is_overdispersed(phi, judged)
    scale = math.sqrt(phi) if widened else 1.0
    # The quantiles cost most of the time: work them out once per distinct number of cases.
    distinct, position = np.unique(cases, return_inverse=True)
    limits = {
        name: (lower[position], upper[position])
        for name, (lower, upper) in control_limits(target, distinct, scale).items()
    }
    # Narrowest limit first, so a wider limit crossed overrides the narrower one.
    direction = np.full(len(keys), None, dtype=object)
    limit = np.full(len(keys), None, dtype=object)
    for name, (lower, upper) in limits.items():
        high, low = ~small & (rate > upper), ~small & (rate < lower)
        direction[high], direction[low] = "high", "low"
        limit[high | low] = name
    assessments = _assessments(
        keys, count, cases, rate, (z / scale).tolist(), small, direction.tolist(), limit.tolist()
    )
    return Funnel(target, phi, widened, min_cases, assessments)


def _assessments(keys, count, cases, rate, z, small, direction, limit) -> tuple[Assessment, ...]:
    return tuple(
        map(
            Assessment,
            keys,
            count.astype(int).tolist(),
            cases.astype(int).tolist(),
            rate.tolist(),
            z,
            small.tolist(),
            direction,
            limit,
        )
    )
