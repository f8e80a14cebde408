"""Events that pmctl announces (transitions and reviews), for notifications."""

from __future__ import annotations

from dataclasses import dataclass

from pmctl.domain.enums import EventKind
from pmctl.domain.model import Language, Postmortem, Status, Verdict


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


def of_change(
    kind: EventKind,
    before: Postmortem,
    after: Postmortem,
    *,
    actor: str,
    commit: str,
    note: str | None = None,
    verdict: Verdict | None = None,
) -> Event:
    """The event of a committed change that took a postmortem from `before` to `after`."""
    return Event(
        kind=kind,
        postmortem_id=after.id,
        title=after.title,
        language=after.language,
        actor=actor,
        from_status=before.status,
        to_status=after.status,
        verdict=verdict,
        note=note,
        commit=commit,
    )
