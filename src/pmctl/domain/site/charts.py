"""Charts as SVG, drawn at build time: the statistics page needs no JavaScript for them.

Every data point is one element with the class `point` and `data-label`/`data-value`
attributes (and a `<title>` for the tooltip), so a test or a screen reader can count and
read them. Colours come from CSS classes (`series-0`...), so dark mode restyles them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 8, 12, 40


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one per label; None where there is no value."""

    name: str
    values: tuple[float | None, ...]


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = ""
) -> str:
    """Stacked bars: one bar per label, one coloured part per series (zeros drawn as nothing
    but still counted as points, so every label has a point per series)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0))
    step = (WIDTH - _LEFT - _RIGHT) / max(len(labels), 1)
    parts = [*_frame(title, top, unit), *_x_labels(labels, step)]
    for index in range(len(labels)):
        base = 0.0
        for number, row in enumerate(series):
            value = row.values[index] or 0
            y0, y1 = _y(base, top), _y(base + value, top)
            base += value
            x = _LEFT + index * step + step * 0.15
            tip = f"{row.name} {labels[index]}: {_number(value)}{unit}"
            parts.append(
                f'<rect class="point series-{number}" x="{x:.1f}" y="{y1:.1f}" '
                f'width="{step * 0.7:.1f}" height="{y0 - y1:.1f}" '
                f'data-series="{escape(row.name)}" data-label="{escape(labels[index])}" '
                f'data-value="{_number(value)}"><title>{escape(tip)}</title></rect>'
            )
    return _svg(title, parts, series)


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = ""
) -> str:
    """One line per series over the labels; a gap where a value is None (no point drawn)."""
    values = [v for row in series for v in row.values if v is not None]
    top = _nice_max(max(values, default=0))
    step = (WIDTH - _LEFT - _RIGHT) / max(len(labels), 1)
    parts = [*_frame(title, top, unit), *_x_labels(labels, step)]
    for number, row in enumerate(series):
        path: list[str] = []
        dots: list[str] = []
        for index, value in enumerate(row.values):
            if value is None:
                path.append("")
                continue
            x, y = _LEFT + (index + 0.5) * step, _y(value, top)
            path.append(f"{x:.1f},{y:.1f}")
            tip = f"{row.name} {labels[index]}: {_number(value)}{unit}"
            dots.append(
                f'<circle class="point series-{number}" cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                f'data-series="{escape(row.name)}" data-label="{escape(labels[index])}" '
                f'data-value="{_number(value)}"><title>{escape(tip)}</title></circle>'
            )
        for run in " ".join(path).split("  "):
            if run.strip():
                parts.append(
                    f'<polyline class="line series-{number}" fill="none" points="{run.strip()}"/>'
                )
        parts.extend(dots)
    return _svg(title, parts, series)


def _svg(title: str, parts: list[str], series: Sequence[Series]) -> str:
    legend = "".join(
        f'<li><span class="swatch series-{number}"></span>{escape(row.name)}</li>'
        for number, row in enumerate(series)
    )
    return (
        f'<figure class="chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">'
        + "".join(parts)
        + f'</svg><figcaption><ul class="legend">{legend}</ul></figcaption></figure>'
    )


def _frame(title: str, top: float, unit: str) -> list[str]:
    lines = []
    for fraction in (0, 0.5, 1):
        y = _y(top * fraction, top)
        lines.append(
            f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_number(top * fraction)}{escape(unit)}</text>"
        )
    return [f"<title>{escape(title)}</title>", *lines]


def _x_labels(labels: Sequence[str], step: float) -> list[str]:
    # Every label would overlap on a phone: at most about twelve are written.
    every = max(1, math.ceil(len(labels) / 12))
    return [
        f'<text class="axis" x="{_LEFT + (index + 0.5) * step:.1f}" y="{HEIGHT - _BOTTOM + 16}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for index, label in enumerate(labels)
        if index % every == 0
    ]


def _y(value: float, top: float) -> float:
    return HEIGHT - _BOTTOM - (value / top) * (HEIGHT - _TOP - _BOTTOM) if top else HEIGHT - _BOTTOM


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
