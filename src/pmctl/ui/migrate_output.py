"""Output of `pmctl migrate`: one line per postmortem upgraded, and a summary; or JSON."""

from __future__ import annotations

from pmctl.domain.migration import MigrateResult
from pmctl.domain.visible_text import visible
from pmctl.domain.wording import plural
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1


def to_text(result: MigrateResult) -> str:
    verb = "would upgrade" if result.dry_run else "upgraded"
    lines = [f"{visible(item.path)}: {item.version} -> {result.target}" for item in result.upgraded]
    count = len(result.upgraded)
    if count:
        summary = f"{verb} {plural(count, 'postmortem')} to schema {result.target}"
    else:
        summary = f"nothing to migrate: every postmortem is at schema {result.target}"
    lines.append(f"{summary} ({result.current} already current)")
    return "\n".join(lines) + "\n"


def to_json(result: MigrateResult) -> str:
    data = {
        "version": JSON_VERSION,
        "dry_run": result.dry_run,
        "target": result.target,
        "commit": result.commit.sha if result.commit else None,
        "upgraded": [
            {"path": item.path, "id": item.id, "from": item.version} for item in result.upgraded
        ],
        "current": result.current,
        "not_migrated": [
            {"location": item.location, "reason": item.reason} for item in result.not_migrated
        ],
    }
    return dumps(data) + "\n"
