"""What lint does not demand of a postmortem written before pmctl.

An imported postmortem records in `origin.status` the status it was imported with (a team
adopting pmctl imports its finished postmortems as `closed`). Up to that status, the
records that pmctl's own process would have made are not demanded of it: they predate
pmctl, and demanding them would bury the findings that matter (an out-of-order timeline, a
vague action item, blaming language) under ones nobody can fix. Moved past that status with
pmctl, the document meets every rule again, as any other.
"""

from __future__ import annotations

from pmctl.domain.lint.registry import (
    ACTION_OWNER_MISSING,
    ACTION_PRIORITY_MISSING,
    ACTION_TYPE_MISSING,
    APPROVAL_MISSING,
    CLOSED_OPEN_ACTIONS,
    CRITERIA_EMPTY,
    NOT_SHARED,
    SECTION_MISSING,
    SECTION_UNFILLED,
)
from pmctl.domain.model import Postmortem, Status

PREDATING_RULES = frozenset(
    {
        SECTION_MISSING,  # sections the template has and the old document may not
        SECTION_UNFILLED,
        ACTION_OWNER_MISSING,  # action-item owner, type and priority: the old list had none
        ACTION_TYPE_MISSING,
        ACTION_PRIORITY_MISSING,
        APPROVAL_MISSING,  # review approvals
        CLOSED_OPEN_ACTIONS,  # open items closed without a tracker: the follow-up was elsewhere
        NOT_SHARED,  # shared_with
        CRITERIA_EMPTY,  # required-postmortem criteria
    }
)
"""Rules whose findings are records pmctl would have made (not problems of content)."""


def excused(postmortem: Postmortem | None, status: Status) -> bool:
    """Whether `postmortem`, evaluated at `status`, is excused from `PREDATING_RULES`."""
    origin = postmortem.origin if postmortem is not None else None
    return origin is not None and status.rank <= origin.status.rank
