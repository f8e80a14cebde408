"""PM704: a draft or in-review postmortem that does not link a very similar one.

Off by default. Finding the similar postmortems takes the search index, so the lint
service looks for them only when the rule is on (`services.related.suggestions`) and
hands them here as `Similar`; this module only decides where and how to report them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain.lint.context import Hit
from pmctl.domain.lint.registry import RELATED_SUGGESTED
from pmctl.domain.lint.repository_rules import Facts


@dataclass(frozen=True, slots=True)
class Similar:
    """`other_id` is very like `postmortem_id` (by `score`, for `reasons`) and unlinked."""

    postmortem_id: str
    other_id: str
    score: float
    reasons: tuple[str, ...]


def check(facts: Iterable[Facts], similar: Iterable[Similar]) -> list[tuple[Path, Hit]]:
    """A hit on the `related:` list (or the id) of each postmortem with a suggestion."""
    by_id = {fact.id: fact for fact in facts if fact.id is not None}
    hits: list[tuple[Path, Hit]] = []
    for found in similar:
        fact = by_id.get(found.postmortem_id)
        if fact is None or found.other_id in {related for related, _ in fact.related}:
            continue
        line = fact.related[0][1] if fact.related else fact.id_line
        hits.append(
            (
                fact.path,
                Hit(
                    RELATED_SUGGESTED,
                    line,
                    f"{found.other_id} is very similar ({found.score:.2f}: "
                    f"{'; '.join(found.reasons)}) but not in `related`",
                    f"add it to `related:` if it is the same kind of incident "
                    f"(`pmctl related {found.postmortem_id}` shows why)",
                ),
            )
        )
    return hits
