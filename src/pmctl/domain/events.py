"""Events that pmctl announces (transitions and reviews), for notifications."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pmctl.domain.model import Language, Status, Verdict


class EventKind(StrEnum):
    TRANSITION = "transition"
    REVIEW = "review"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened to a postmortem and was committed."""

    kind: EventKind
    postmortem_id: str
    title: str
    language: Language
    actor: str
    from_status: Status | None = None
    to_status: Status | None = None
    verdict: Verdict | None = None
    note: str | None = None
    commit: str | None = None
