"""`pmctl action add/set/list`: change one postmortem's action items, one commit each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import documents
from pmctl.adapters.config_file import Project
from pmctl.domain import actions, commits, report
from pmctl.domain.document import ParsedDocument
from pmctl.domain.model import ActionItem, ActionStatus, Postmortem
from pmctl.services.mutate import commit_edit


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The postmortem's file, the item as it now is, and the commit (None with --no-commit)."""

    path: Path
    item: ActionItem
    commit: str | None


def add_action(
    project: Project,
    postmortem_id: str,
    action: actions.NewAction,
    *,
    commit: bool = True,
    push: bool = False,
) -> ActionResult:
    """Append a new action item (next `AI-n`, status todo) and regenerate the body's table."""
    path = documents.find_by_id(project.postmortem_dir, postmortem_id)
    added: list[ActionItem] = []

    def edit(document: ParsedDocument, before: Postmortem) -> str:
        item = actions.new_item(action, before.action_items)
        added.append(item)
        return actions.add_to_text(document.text, before, item)

    def message(before: Postmortem, after: Postmortem) -> str:
        return commits.action_added(after.id, added[0].id, added[0].title)

    result = commit_edit(project, path, edit, message, commit=commit, push=push)
    return ActionResult(path, _item(result.after, added[0].id), result.commit)


def set_action(
    project: Project,
    postmortem_id: str,
    action_id: str,
    changes: actions.ActionChanges,
    *,
    commit: bool = True,
    push: bool = False,
) -> ActionResult:
    """Change fields of one action item; `UsageError` when nothing would change."""
    path = documents.find_by_id(project.postmortem_dir, postmortem_id)
    changed: dict[str, tuple[object, object]] = {}

    def edit(document: ParsedDocument, before: Postmortem) -> str:
        index, item = actions.find(before, action_id)
        changed.update(actions.changed_fields(item, changes))
        return actions.set_in_text(document.text, before, index, changed)

    def message(before: Postmortem, after: Postmortem) -> str:
        described = {name: f"{_show(old)} -> {_show(new)}" for name, (old, new) in changed.items()}
        return commits.action_updated(after.id, action_id, described)

    result = commit_edit(project, path, edit, message, commit=commit, push=push)
    return ActionResult(path, _item(result.after, action_id), result.commit)


def list_actions(project: Project, postmortem_id: str, *, today: dt.date) -> report.Report:
    """Every action item of one postmortem, any status, as a report (same order and output)."""
    path = documents.find_by_id(project.postmortem_dir, postmortem_id)
    _, postmortem = documents.load(path)
    return report.build(
        [(path.relative_to(project.root).as_posix(), postmortem)],
        today=today,
        filters=report.Filters(statuses=frozenset(ActionStatus)),
    )


def _item(postmortem: Postmortem, action_id: str) -> ActionItem:
    return actions.find(postmortem, action_id)[1]


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    return str(getattr(value, "value", value))
