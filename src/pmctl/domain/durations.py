"""Durations and shares as people read them: `41m`, `3h 05m`, `2.5d`, `93%`."""

from __future__ import annotations


def duration(seconds: float | None) -> str:
    """`41m`, `3h 05m` or `2.5d`; `-` when there is no value."""
    if seconds is None:
        return "-"
    minutes = round(seconds / 60)
    if abs(minutes) < 60:
        return f"{minutes}m"
    if abs(minutes) < 48 * 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    return f"{seconds / 86400:.1f}d"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"
