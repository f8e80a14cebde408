"""Text of `pmctl status`: one postmortem's status and gaps, the list, a transition done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pmctl.domain.model import Status, Timestamps, Verdict
from pmctl.domain.status_report import Moved, StatusReport
from pmctl.domain.visible_text import visible


def _shown(path: Path, cwd: Path) -> str:
    return visible(str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path))


def render_report(report: StatusReport, *, cwd: Path) -> str:
    """Status, deadline and what is missing for the next status, as plain lines."""
    postmortem = report.postmortem
    lines = [
        f"{postmortem.id}  {visible(postmortem.title)}",
        f"  file:      {_shown(report.path, cwd)}",
        f"  status:    {postmortem.status}",
        *_changes_requested(report),
        *_standing(report, cwd),
    ]
    return "\n".join(lines)


def _changes_requested(report: StatusReport) -> list[str]:
    """For a draft sent back by a review, who asked for what: what to work on next (it was
    only in `pmctl show`'s list of reviews, while `status` said the draft was ready)."""
    postmortem = report.postmortem
    last = postmortem.reviews[-1] if postmortem.reviews else None
    if postmortem.status is not Status.DRAFT or last is None:
        return []
    if last.verdict is not Verdict.CHANGES_REQUESTED:
        return []
    said = f"  changes:   requested by {visible(last.reviewer)} on {last.date.isoformat()}"
    note = (last.notes or "").strip()
    return [said + (f": {visible(' '.join(note.split()))}" if note else "")]


def _standing(report: StatusReport, cwd: Path) -> list[str]:
    """The review deadline and the gaps before the next status."""
    postmortem = report.postmortem
    lines = []
    if report.deadline is not None:
        late = "  OVERDUE: not reviewed in time" if report.overdue else ""
        lines.append(f"  review by: {report.deadline.isoformat()} ({postmortem.severity}){late}")
    if report.next is None:
        lines.append("  next:      nothing: closed is the last status")
    elif not report.gaps:
        lines.append(
            f"  next:      {report.next}: ready (`pmctl status {postmortem.id} {report.next}`)"
        )
    else:
        missing = "1 thing" if len(report.gaps) == 1 else f"{len(report.gaps)} things"
        lines.append(f"  next:      {report.next}: {missing} missing")
        for gap in report.gaps:
            where = f"{_shown(Path(gap.location), cwd)}: " if gap.location else ""
            lines.append(f"    - {where}{visible(gap.message)}")
            if gap.hint:
                lines.append(f"      hint: {visible(gap.hint)}")
    return lines


def render_details(report: StatusReport, *, cwd: Path, today: dt.date) -> str:
    """Everything `pmctl show` says: metadata, durations, the standing, open action items
    and the reviews."""
    p = report.postmortem
    times = p.timestamps
    lines = [f"{p.id}  {visible(p.title)}", f"  file:      {_shown(report.path, cwd)}"]
    fields = [
        ("status", p.status.value),
        ("severity", p.severity),
        ("incident", p.incident or ""),
        ("owner", p.owner),
        ("authors", ", ".join(p.authors)),
        ("language", p.language.value),
        ("created", p.created.isoformat()),
        ("started", times.started.isoformat() if times.started else ""),
        ("durations", _durations(times)),
        ("services", ", ".join(p.services)),
        ("tags", ", ".join(p.tags)),
        ("related", ", ".join(p.related)),
        ("shared", ", ".join(p.shared_with)),
    ]
    lines.extend(f"  {name + ':':<10} {visible(value)}" for name, value in fields if value)
    lines.extend(_standing(report, cwd))
    open_items = [item for item in p.action_items if item.status.is_open]
    lines.append(f"  open action items: {len(open_items)} of {len(p.action_items)}")
    for item in open_items:
        overdue = item.due is not None and item.due < today
        due = f"due {item.due.isoformat()}{' OVERDUE' if overdue else ''}" if item.due else ""
        cells = (
            item.id,
            item.priority.value if item.priority else "-",
            item.type.value if item.type else "-",
            item.owner or "-",
            item.status.value,
            due,
            item.tracker or "",
            item.title,
        )
        lines.append("    " + "  ".join(visible(cell) for cell in cells if cell))
    lines.append(f"  reviews: {len(p.reviews)}")
    for entry in p.reviews:
        note = f": {visible(entry.notes.splitlines()[0])}" if entry.notes else ""
        lines.append(
            f"    {entry.date.isoformat()}  {visible(entry.reviewer)}  {entry.verdict.value}{note}"
        )
    return "\n".join(lines)


def _durations(times: Timestamps) -> str:
    """Time to detect, mitigate and resolve, from the start, where the timestamps say."""
    if times.started is None:
        return ""
    parts = [
        f"{label} {_minutes(moment - times.started)}"
        if moment >= times.started
        else f"{label} before the start (check `timestamps`)"
        for label, moment in (
            ("detected", times.detected),
            ("mitigated", times.mitigated),
            ("resolved", times.resolved),
        )
        if moment is not None
    ]
    return ", ".join(f"{part} after the start" if i == 0 else part for i, part in enumerate(parts))


def _minutes(delta: dt.timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60:02d} min"


def render_moved(moved: Moved) -> str:
    """One line saying what the transition did."""
    if not moved.changed:
        return f"{moved.postmortem_id} is already {moved.target}; nothing to do"
    return f"{moved.postmortem_id}: {moved.source} -> {moved.target}"
