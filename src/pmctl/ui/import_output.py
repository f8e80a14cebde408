"""Output of `pmctl import`: a report per file for people, and JSON for scripts.

The text shows, for each file to import, where it goes and what was recovered (fields,
sections, timeline, action items, durations) and, for a dry run, lint's preview; then what
was skipped and what was refused, with the reason and how to fix it. The JSON carries the
same, shaped as documented in docs/adopting.md and versioned by `"version"`.
"""

from __future__ import annotations

from typing import Any

from pmctl.domain.importing import ImportResult, Planned
from pmctl.domain.lint.findings import Severity
from pmctl.domain.visible_text import visible
from pmctl.domain.wording import plural
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
_LABEL = 12


def to_text(result: ImportResult) -> str:
    """The report of an import (or a dry run), ending with a summary line."""
    lines: list[str] = []
    for plan in result.planned:
        lines.append(f"{plan.source} -> {plan.target}")
        if result.dry_run:
            lines.extend(_details(plan))
    if result.skipped:
        lines.append("")
        lines.append(f"skipped ({len(result.skipped)}):")
        lines.extend(f"  {skipped.source}: {skipped.reason}" for skipped in result.skipped)
    if result.refused:
        lines.append("")
        lines.append(f"refused ({len(result.refused)}):")
        for refused in result.refused:
            lines.append(f"  {refused.source}: {refused.reason}")
            if refused.hint:
                lines.append(f"    hint: {refused.hint}")
    lines.append("")
    lines.append(summary(result))
    # Paths, fields, headings and reasons all come from the files imported: each line is
    # shown through `visible`, so that none can retitle or clear the terminal.
    return "\n".join(visible(line) for line in lines).lstrip("\n") + "\n"


def summary(result: ImportResult) -> str:
    counts = f"{len(result.skipped)} skipped, {len(result.refused)} refused"
    planned = len(result.planned)
    if result.dry_run:
        verdict = (
            " (a real import would refuse: nothing would be written)" if result.refused else ""
        )
        return f"dry run: {planned} to import, {counts}{verdict}"
    if result.refused:
        return f"nothing imported: {counts}; fix or leave out the refused files"
    if result.commit is None:
        return f"nothing to import: {counts}"
    return f"imported {plural(planned, 'postmortem')}, {counts}"


def _details(plan: Planned) -> list[str]:
    rows: list[tuple[str, str]] = [
        (
            "id",
            plan.id + (f" (renamed: {plan.renamed_from} is taken)" if plan.renamed_from else ""),
        ),
        ("read as", plan.shape),
    ]
    if plan.fields:
        rows.append(
            ("fields", "; ".join(f"{f.field} = {f.value} ({f.source})" for f in plan.fields))
        )
    if plan.unmapped:
        rows.append(("unmapped", ", ".join(plan.unmapped) + " (kept in the document)"))
    rows.append(("sections", ", ".join(plan.sections)))
    if plan.other_headings:
        rows.append(("not mapped", ", ".join(plan.other_headings) + " (kept as written)"))
    for heading, key in plan.alias_hints:
        rows.append(("hint", f'{key} = ["{heading}"] under [lint.section_aliases]'))
    if plan.timeline is not None:
        rows.append(("timeline", _timeline(plan)))
    rows.append(("actions", f"{plan.actions} ({plan.actions_done} done)"))
    if plan.durations:
        rows.append(("durations", ", ".join(_duration(k, m) for k, m in plan.durations)))
    rows.extend(("note", note) for note in plan.notes)
    rows.append(("lint", _lint(plan)))
    return [f"  {label:<{_LABEL}}{value}" for label, value in rows]


def _timeline(plan: Planned) -> str:
    timeline = plan.timeline
    assert timeline is not None
    parts = [f"{timeline.entries} entries"]
    if timeline.unread:
        lines = ", ".join(str(line) for line, _ in timeline.unread)
        parts.append(f"{len(timeline.unread)} kept as written, no time read (line {lines})")
    for line, entry, previous in timeline.out_of_order:
        parts.append(f"out of order at line {line} ({entry} after {previous})")
    if timeline.zone:
        parts.append(f"zone {timeline.zone}")
    return ", ".join(parts)


def _duration(kind: str, minutes: float | None) -> str:
    if minutes is None:
        return f"{kind} unknown"
    whole = round(minutes)
    shown = f"{whole // 60}h {whole % 60:02d}m" if whole >= 60 else f"{minutes:g}m"
    return f"{kind} {shown}"


def _lint(plan: Planned) -> str:
    errors = [f for f in plan.findings if f.severity is Severity.ERROR]
    warnings = len(plan.findings) - len(errors)
    head = f"{plural(len(errors), 'error')}, {plural(warnings, 'warning')} in the imported file"
    listed = "; ".join(f"{f.rule} line {f.line}: {f.message}" for f in plan.findings[:5])
    more = f"; and {len(plan.findings) - 5} more" if len(plan.findings) > 5 else ""
    return f"{head}: {listed}{more}" if listed else head


def to_json(result: ImportResult) -> str:
    """The result as JSON (`"version": 1`), one object per imported, skipped or refused file."""
    data = {
        "version": JSON_VERSION,
        "dry_run": result.dry_run,
        "commit": result.commit.sha if result.commit else None,
        "imported": [_plan_json(plan) for plan in result.planned],
        "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
        "refused": [
            {"source": r.source, "reason": r.reason, "hint": r.hint} for r in result.refused
        ],
    }
    return dumps(data) + "\n"


def _plan_json(plan: Planned) -> dict[str, Any]:
    origin = plan.origin
    return {
        "source": plan.source,
        "target": plan.target,
        "id": plan.id,
        "renamed_from": plan.renamed_from,
        "read_as": plan.shape,
        "origin": {
            "source": origin.source,
            "path": origin.path,
            "commit": origin.commit,
            "imported": origin.imported.isoformat(),
            "status": origin.status.value,
        },
        "fields": [{"field": f.field, "value": f.value, "from": f.source} for f in plan.fields],
        "unmapped": list(plan.unmapped),
        "sections": list(plan.sections),
        "not_mapped_headings": list(plan.other_headings),
        "alias_hints": dict(plan.alias_hints),
        "timeline": None if plan.timeline is None else _timeline_json(plan),
        "action_items": {"total": plan.actions, "done": plan.actions_done},
        "durations": [{"kind": k, "minutes": m} for k, m in plan.durations],
        "notes": list(plan.notes),
        "lint": _findings_json(plan),
    }


def _timeline_json(plan: Planned) -> dict[str, Any]:
    timeline = plan.timeline
    assert timeline is not None
    return {
        "entries": timeline.entries,
        "kept_as_written": [{"line": line, "text": text} for line, text in timeline.unread],
        "out_of_order": [
            {"line": line, "entry": entry, "after": previous}
            for line, entry, previous in timeline.out_of_order
        ],
        "zone": timeline.zone,
    }


def _findings_json(plan: Planned) -> list[dict[str, Any]]:
    return [
        {
            "line": f.line,
            "rule": f.rule,
            "name": f.name,
            "severity": f.severity.value,
            "message": f.message,
        }
        for f in plan.findings
    ]
