"""What every server-rendered SVG chart shares: scales, tick values and the accessible frame.

Charts are built as strings of numbers we formatted and text passed through escape(), so they
need no script and no CDN, print anywhere, and read to screen readers through their title and
description (every chart is paired with a table of the same numbers on its page).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Scale:
    """Maps data values in [low, high] onto pixels in [start, end]; `log` for base-10 scales."""

    low: float
    high: float
    start: float
    end: float
    log: bool = False

    def _t(self, value: float) -> float:
        return math.log10(value) if self.log else value

    def __call__(self, value: float) -> float:
        low, high = self._t(self.low), self._t(self.high)
        if high == low:
            return round(self.start, 1)
        fraction = (self._t(value) - low) / (high - low)
        return round(self.start + fraction * (self.end - self.start), 1)

    def many(self, values: Sequence[float]) -> list[float]:
        """Every value mapped at once (for charts of thousands of points)."""
        data = np.asarray(values, dtype=float)
        if self.log:
            data, low, high = np.log10(data), math.log10(self.low), math.log10(self.high)
        else:
            low, high = self.low, self.high
        if high == low:
            return [round(self.start, 1)] * len(data)
        return np.round(
            self.start + (data - low) / (high - low) * (self.end - self.start), 1
        ).tolist()


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round values (1, 2 or 5 times a power of ten apart) covering [low, high]."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten (and 2x, 5x when the range is short) between low and high, for log axes."""
    low, high = max(low, 1), max(high, 1)
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    multiples = (1, 2, 5) if len(decades) <= 3 else (1,)
    return [m * 10**d for d in decades for m in multiples if low <= m * 10**d <= high] or [low]


def horizontal_grid(
    ticks: Iterable[float], y: Scale, left: float, right: float, label: Callable[[float], str]
) -> list[str]:
    """A grid line across the plot at each tick of the vertical axis, labelled on the left."""
    return [
        f'<line class="grid" x1="{left}" x2="{right}" y1="{y(t)}" y2="{y(t)}"/>'
        f'<text class="axis" x="{left - 6}" y="{y(t) + 4}" text-anchor="end">{label(t)}</text>'
        for t in ticks
    ]


def vertical_grid(
    ticks: Iterable[float], x: Scale, top: float, bottom: float, label: Callable[[float], str]
) -> list[str]:
    """A grid line down the plot at each tick of the horizontal axis, labelled below it."""
    return [
        f'<line class="grid" x1="{x(t)}" x2="{x(t)}" y1="{top}" y2="{bottom}"/>'
        f'<text class="axis" x="{x(t)}" y="{bottom + 16}" text-anchor="middle">{label(t)}</text>'
        for t in ticks
    ]


def svg_frame(
    css_class: str,
    chart_id: str,
    width: int,
    height: int,
    title: str,
    description: str,
    body: Iterable[str],
    *,
    interactive: bool = False,
) -> Markup:
    """The <svg> element around `body`, named by its title and described by its description.

    A chart whose marks are links (`interactive`) is a group, so its marks stay reachable by
    keyboard and screen readers; a plain chart is one image.
    """
    role = "group" if interactive else "img"
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    # Every part is either a number we formatted or text passed through escape().
    return Markup("".join(parts))  # noqa: S704
