"""Pydantic models of a postmortem's front matter (schema versions 1 and 2).

These models are the source of truth: `schemas/postmortem.v1.schema.json` and
`schemas/postmortem.v2.schema.json` are generated from them. The model accepts a draft as it
is being written (most fields optional); what a postmortem needs at each status is checked by
lint rules, not here, so that lint can report every gap at once instead of the first
validation error.

Version 2 adds what adopting existing postmortems needs (`origin`, `durations`); a version 1
document reads as before and may not use them (`pmctl migrate` upgrades it).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from pmctl.domain.enums import (
    ActionStatus,
    ActionType,
    Language,
    Priority,
    Status,
    Verdict,
)

__all__ = [
    "ActionItem",
    "ActionStatus",
    "ActionType",
    "Impact",
    "Language",
    "Postmortem",
    "Priority",
    "Review",
    "Status",
    "Timestamps",
    "Verdict",
]

SCHEMA_VERSION = 2
"""The version `pmctl new`, `pmctl import` and `pmctl migrate` write."""
SCHEMA_VERSIONS = (1, 2)
V2_FIELDS = ("origin", "durations")
"""Front-matter keys that schema version 2 added."""

ID_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$"
ACTION_ID_PATTERN = r"^AI-[0-9]+$"

PostmortemId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


def _not_a_moment_number(value: object) -> object:
    if isinstance(value, int | float):  # (bool is an int too)
        raise PydanticCustomError(
            "datetime_type",
            "Input should be a date and time with its zone, not a number: a number is read "
            "as seconds since 1970",
        )
    return value


def _not_a_day_number(value: object) -> object:
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Input should be a date (YYYY-MM-DD), not a number")
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_not_a_moment_number)]
"""A date and time with its zone, as written: pydantic reads a number as seconds since 1970,
so `started: 1400` (a time of day) was 1970-01-01T00:23:20Z, and passed lint."""
Day = Annotated[dt.date, BeforeValidator(_not_a_day_number)]
"""A date, as written (a number would be seconds since 1970, as for `Moment`)."""


def _not_a_truth_value(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a whole number, not true or false")
    return value


Count = Annotated[int, Field(ge=0), BeforeValidator(_not_a_truth_value)]
"""A whole number of something, 0 or more: `true` (read as 1 by pydantic) is refused."""


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True
    )


class Timestamps(_Strict):
    """When the incident started, was detected, mitigated and resolved (ISO 8601 with zone)."""

    started: Moment | None = None
    detected: Moment | None = None
    mitigated: Moment | None = None
    resolved: Moment | None = None


class Impact(_Strict):
    """Structured impact, so that reports and the required-postmortem criteria can use it."""

    user_visible_minutes: Count | None = None
    data_loss: bool | None = None
    billing: bool | None = Field(
        default=None, description="Money, payments or billing were affected."
    )
    revenue_impact: str | None = None
    affected_users: Count | None = None
    affected_queries: Count | None = None
    description: str | None = None


class ActionItem(_Strict):
    """A follow-up. Owner, type and priority are required from in-review on (lint)."""

    id: Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
    title: NonEmpty
    type: ActionType | None = None
    owner: str | None = None
    priority: Priority | None = None
    status: ActionStatus = ActionStatus.TODO
    due: Day | None = None
    tracker: str | None = Field(default=None, description="Issue key or URL in a bug tracker.")


class Review(_Strict):
    """One review of the postmortem, as recorded by `pmctl review`."""

    reviewer: NonEmpty
    date: Day
    verdict: Verdict
    checklist: dict[str, bool] = Field(
        default_factory=dict, description="Review checklist answers by question id."
    )
    notes: str | None = None


class Origin(_Strict):
    """Where an imported postmortem came from, as `pmctl import` recorded it."""

    source: NonEmpty = Field(
        description="The repository (its remote URL) or directory it was imported from."
    )
    path: NonEmpty = Field(description="The file's path within the source, `/`-separated.")
    commit: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,64}$")] | None = Field(
        default=None, description="The source repository's commit the file was read at."
    )
    imported: Day = Field(description="The day of the import.")
    status: Status = Field(
        description="The status it was imported with. Records from before pmctl (reviews, "
        "review deadlines, the template's sections and action-item fields) are not demanded "
        "of it up to this status."
    )


Minutes = Annotated[float, Field(ge=0)]


class Durations(_Strict):
    """How long detection, mitigation and resolution took, in minutes from the start of the
    incident, for when the timestamps themselves are not known (an imported postmortem that
    only says "time to detection: 1 hour 20 minutes")."""

    detect_minutes: Minutes | None = None
    mitigate_minutes: Minutes | None = None
    resolve_minutes: Minutes | None = None


class Postmortem(_Strict):
    """The front matter of one postmortem."""

    schema_version: Literal[1, 2] = Field(
        alias="schema", description="Front-matter schema version, for migrations."
    )
    id: PostmortemId
    title: NonEmpty
    status: Status = Status.DRAFT
    severity: NonEmpty = Field(description="One of the configured severities, e.g. SEV2.")
    incident: str | None = Field(default=None, description="External incident number or key.")
    language: Language = Language.EN
    owner: NonEmpty = Field(description="The one accountable owner (担当者).")
    authors: list[NonEmpty] = Field(default_factory=list)
    created: Day
    timestamps: Timestamps = Field(default_factory=Timestamps)
    impact: Impact = Field(default_factory=Impact)
    criteria: list[NonEmpty] = Field(
        default_factory=list, description="Ids of the required-postmortem criteria met."
    )
    services: list[NonEmpty] = Field(default_factory=list)
    tags: list[NonEmpty] = Field(default_factory=list)
    related: list[PostmortemId] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    shared_with: list[NonEmpty] = Field(default_factory=list)
    origin: Origin | None = Field(
        default=None, description="Where an imported postmortem came from (schema 2)."
    )
    durations: Durations = Field(
        default_factory=Durations,
        description="Minutes to detect, mitigate and resolve when the timestamps are "
        "unknown (schema 2).",
    )

    @field_validator(*V2_FIELDS)
    @classmethod
    def _needs_version_2(cls, value: object, info: ValidationInfo) -> object:
        if info.data.get("schema_version") == 1 and value not in (None, Durations()):
            msg = f"{info.field_name} needs schema 2; run `pmctl migrate` first"
            raise ValueError(msg)
        return value

    def action(self, action_id: str) -> ActionItem | None:
        """The action item with this id, if any."""
        return next((item for item in self.action_items if item.id == action_id), None)
