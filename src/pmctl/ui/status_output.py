"""Text of `pmctl status`: one postmortem's status and gaps, the list, a transition done."""

from __future__ import annotations

from pathlib import Path

from pmctl.domain.status_report import Listing, Moved, StatusReport


def _shown(path: Path, cwd: Path) -> str:
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def render_report(report: StatusReport, *, cwd: Path) -> str:
    """Status, deadline and what is missing for the next status, as plain lines."""
    postmortem = report.postmortem
    lines = [
        f"{postmortem.id}  {postmortem.title}",
        f"  file:     {_shown(report.path, cwd)}",
        f"  status:   {postmortem.status}",
    ]
    if report.deadline is not None:
        late = "  OVERDUE: not reviewed in time" if report.overdue else ""
        lines.append(f"  review by {report.deadline.isoformat()} ({postmortem.severity}){late}")
    if report.next is None:
        lines.append("  closed: nothing further")
    elif not report.gaps:
        lines.append(
            f"  next:     {report.next}: ready (`pmctl status {postmortem.id} {report.next}`)"
        )
    else:
        lines.append(f"  next:     {report.next}: {len(report.gaps)} thing(s) missing")
        for gap in report.gaps:
            where = f"{_shown(Path(gap.location), cwd)}: " if gap.location else ""
            lines.append(f"    - {where}{gap.message}")
            if gap.hint:
                lines.append(f"      hint: {gap.hint}")
    return "\n".join(lines)


def render_list(listing: Listing) -> str:
    """One line per postmortem (id, status, severity, review deadline, OVERDUE), then the
    files that are not valid postmortems."""
    table = [("ID", "STATUS", "SEVERITY", "REVIEW BY", "")]
    for row in listing.rows:
        postmortem = row.postmortem
        table.append(
            (
                postmortem.id,
                postmortem.status,
                postmortem.severity,
                row.deadline.isoformat() if row.deadline else "-",
                "OVERDUE" if row.overdue else "",
            )
        )
    widths = [max(len(cells[i]) for cells in table) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False))
        + "  "
        + cells[4]
        for cells in table
    ]
    lines.extend(f"invalid: {item.location}: {item.message}" for item in listing.invalid)
    overdue = sum(row.overdue for row in listing.rows)
    lines.append(
        f"{len(listing.rows)} postmortem(s), {overdue} past their review deadline"
        + (f", {len(listing.invalid)} invalid file(s)" if listing.invalid else "")
    )
    return "\n".join(line.rstrip() for line in lines)


def render_moved(moved: Moved) -> str:
    """One line saying what the transition did."""
    if not moved.changed:
        return f"{moved.postmortem_id} is already {moved.target}; nothing to do"
    done = f"{moved.postmortem_id}: {moved.source} -> {moved.target}"
    if moved.commit:
        return f"{done} (committed {moved.commit[:10]})"
    return f"{done} (written, not committed)"
