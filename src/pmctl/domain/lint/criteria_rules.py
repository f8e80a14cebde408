"""PM601-PM604: the required-postmortem criteria, consistent with the impact data.

Besides the boolean impact fields, `[lint] downtime_minutes` (when set) ties
`impact.user_visible_minutes` to `downtime_criterion`: at or above the threshold the
criterion must be listed (PM601); listed with fewer minutes is suspicious, not wrong
(PM604, a warning: the degradation may have been counted another way).
"""

from __future__ import annotations

from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import (
    CRITERIA_EMPTY,
    CRITERIA_INCONSISTENT,
    CRITERIA_UNKNOWN,
    CRITERION_BELOW_THRESHOLD,
)
from pmctl.domain.model import Postmortem, Status

IMPACT_CRITERIA: dict[str, str] = {"data_loss": "data-loss", "billing": "billing"}
"""Boolean impact fields and the criterion each one implies (when both are configured)."""


def check(ctx: Context) -> list[Hit]:
    postmortem = ctx.postmortem
    if postmortem is None:
        return []
    configured = ctx.settings.criteria
    hits: list[Hit] = []
    for index, criterion in enumerate(postmortem.criteria):
        if criterion not in configured:
            hits.append(
                Hit(
                    CRITERIA_UNKNOWN,
                    ctx.line_of("criteria", index),
                    f"unknown criterion {criterion!r}",
                    f"use one of: {', '.join(configured)}",
                )
            )
    met = set(postmortem.criteria)
    for field, criterion in IMPACT_CRITERIA.items():
        value = getattr(postmortem.impact, field)
        if criterion not in configured or value is None:
            continue
        if value and criterion not in met:
            hits.append(
                Hit(
                    CRITERIA_INCONSISTENT,
                    ctx.line_of("impact", field),
                    f"impact.{field} is true but criterion {criterion!r} is not listed",
                    f"add `{criterion}` to `criteria:`",
                )
            )
        elif not value and criterion in met:
            hits.append(
                Hit(
                    CRITERIA_INCONSISTENT,
                    ctx.line_of("criteria", postmortem.criteria.index(criterion)),
                    f"criterion {criterion!r} is listed but impact.{field} is false",
                    f"set impact.{field} to true, or remove `{criterion}` from `criteria:`",
                )
            )
    hits.extend(_downtime(ctx, postmortem, met))
    if not met and ctx.rank >= Status.IN_REVIEW.rank:
        hits.append(
            Hit(
                CRITERIA_EMPTY,
                ctx.line_of("criteria"),
                "no required-postmortem criterion is recorded",
                f"list the criteria the incident met in `criteria:` ({', '.join(configured)})",
            )
        )
    return hits


def _downtime(ctx: Context, postmortem: Postmortem, met: set[str]) -> list[Hit]:
    threshold = ctx.settings.lint.downtime_minutes
    minutes = postmortem.impact.user_visible_minutes
    if threshold is None or minutes is None:
        return []
    criterion = ctx.settings.lint.downtime_criterion
    setting = f"`[lint] downtime_minutes = {threshold}` in pmctl.toml"
    if minutes >= threshold and criterion not in met:
        return [
            Hit(
                CRITERIA_INCONSISTENT,
                ctx.line_of("impact", "user_visible_minutes"),
                f"impact.user_visible_minutes is {minutes}, at or above the threshold of "
                f"{threshold}, but criterion {criterion!r} is not listed",
                f"add `{criterion}` to `criteria:` (the threshold is {setting})",
            )
        ]
    if minutes < threshold and criterion in met:
        return [
            Hit(
                CRITERION_BELOW_THRESHOLD,
                ctx.line_of("criteria", postmortem.criteria.index(criterion)),
                f"criterion {criterion!r} is listed but impact.user_visible_minutes is "
                f"{minutes}, below the threshold of {threshold}",
                f"check impact.user_visible_minutes, or remove `{criterion}` from `criteria:` "
                f"if the incident did not meet it (the threshold is {setting})",
            )
        ]
    return []
