"""What the site's templates show of a postmortem, as plain strings, lists and tuples.

Templates read these with subscripts and tuple unpacking, which Jinja's sandbox does
without its per-attribute safety checks: rendering ten thousand pages spends its time on
the pages, not on the checks (about four times faster than handing the models over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pmctl.domain.durations import duration
from pmctl.domain.metrics import since_start
from pmctl.domain.model import Postmortem
from pmctl.domain.report import Row, incident_date
from pmctl.domain.sections import ACTION_TYPE_LABELS


def label(words: Mapping[str, str], value: str) -> str:
    return words.get(value, value)


def postmortem(model: Postmortem, words: Mapping[str, str]) -> dict[str, Any]:
    """A postmortem page's header card, action items and reviews, labelled with `words`."""
    times = model.timestamps
    start = times.started
    facts: list[tuple[str, str, str]] = [(words["id"], model.id, "")]
    if model.incident:
        facts.append((words["incident"], model.incident, ""))
    facts.append((words["owner"], model.owner, ""))
    if model.authors:
        facts.append((words["authors"], ", ".join(model.authors), ""))
    day = incident_date(model).isoformat()
    facts.append((words["date"], day, day))
    for name in ("started", "detected", "mitigated", "resolved"):
        moment: dt.datetime | None = getattr(times, name)
        if moment is not None:
            facts.append((words[name], moment.isoformat(), moment.isoformat()))
    for name, moment in (
        ("ttd", times.detected),
        ("ttm", times.mitigated),
        ("ttr", times.resolved),
    ):
        facts.append((words[name], duration(since_start(start, moment)), ""))
    if model.shared_with:
        facts.append((words["shared_with"], ", ".join(model.shared_with), ""))
    return {
        "id": model.id,
        "title": model.title,
        "language": model.language.value,
        "severity": model.severity,
        "status": model.status.value,
        "status_label": label(words, model.status.value),
        "services": list(model.services),
        "tags": list(model.tags),
        "facts": facts,
        "actions": [
            (
                item.id,
                item.title,
                ACTION_TYPE_LABELS[model.language][item.type.value] if item.type else "-",
                item.owner or "-",
                item.priority.value if item.priority else "-",
                item.due.isoformat() if item.due else "-",
                item.tracker or "-",
                item.status.value,
                label(words, item.status.value),
            )
            for item in model.action_items
        ],
        "reviews": [
            (
                entry.date.isoformat(),
                entry.reviewer,
                entry.verdict.value,
                label(words, entry.verdict.value),
                entry.notes or "",
            )
            for entry in model.reviews
        ],
    }


def card(model: Postmortem, words: Mapping[str, str], *, url: str, rank: int) -> dict[str, Any]:
    """A postmortem in a list: home, catalogue."""
    day = incident_date(model).isoformat()
    return {
        "id": model.id,
        "url": url,
        "title": model.title,
        "date": day,
        "year": day[:4],
        "status": model.status.value,
        "status_label": label(words, model.status.value),
        "severity": model.severity,
        "rank": rank,
        "owner": model.owner,
        "services": ", ".join(model.services),
        "service_keys": "\n".join(model.services),
        "tag_keys": "\n".join(model.tags),
        "language": model.language.value,
    }


def action_row(row: Row, words: Mapping[str, str]) -> tuple[str, ...]:
    """(priority, item, due, status label, postmortem url, postmortem title, overdue flag)."""
    item = row.item
    return (
        item.priority.value if item.priority else "-",
        f"{item.id} {item.title}",
        item.due.isoformat() if item.due else "-",
        label(words, item.status.value),
        row.path,
        row.postmortem_title,
        "overdue" if row.overdue else "",
        item.owner or "-",
    )
