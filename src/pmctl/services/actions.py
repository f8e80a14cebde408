"""`pmctl action add/set/list`: change one postmortem's action items, one commit each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import discovery, documents
from pmctl.domain import actions, commits, report
from pmctl.domain.commits import Commit
from pmctl.domain.document import ParsedDocument
from pmctl.domain.model import ActionItem, ActionStatus, Postmortem
from pmctl.domain.project import Project
from pmctl.services.mutate import Change, commit_edit


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The postmortem's file, the item as it now is, and the commit (None with --no-commit,
    or when nothing changed)."""

    path: Path
    item: ActionItem
    commit: Commit | None
    changed: bool = True


def add_action(
    project: Project,
    postmortem_id: str,
    action: actions.NewAction,
    *,
    today: dt.date,
    commit: bool = True,
    push: bool = False,
) -> ActionResult:
    """Append a new action item (next `AI-n`, status todo) and regenerate the body's table."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)

    def add(document: ParsedDocument, before: Postmortem) -> Change[str]:
        item = actions.new_item(action, before.action_items)
        return Change(
            actions.add_to_text(document.text, before, item),
            commits.action_added(before.id, item.id, item.title),
            item.id,
        )

    result = commit_edit(
        project,
        path,
        add,
        today=today,
        purpose=f"pmctl action add {postmortem_id}",
        commit=commit,
        push=push,
    )
    return ActionResult(path, _item(result.after, result.outcome), result.commit)


def set_action(
    project: Project,
    postmortem_id: str,
    action_id: str,
    changes: actions.ActionChanges,
    *,
    today: dt.date,
    commit: bool = True,
    push: bool = False,
    required: bool = True,
) -> ActionResult:
    """Change fields of one action item; `UsageError` when nothing would change, unless no
    change is `required` (then nothing is written: `changed` is False)."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)

    def change(document: ParsedDocument, before: Postmortem) -> Change[None]:
        index, item = actions.find(before, action_id)
        changed = actions.changed_fields(item, changes, required=required)
        if not changed:
            return Change(document.text, "", None)
        described = {name: f"{_show(old)} -> {_show(new)}" for name, (old, new) in changed.items()}
        return Change(
            actions.set_in_text(document.text, before, index, changed),
            commits.action_updated(before.id, item.id, described),
            None,
        )

    result = commit_edit(
        project,
        path,
        change,
        today=today,
        purpose=f"pmctl action set {postmortem_id} {action_id}",
        commit=commit,
        push=push,
    )
    return ActionResult(
        path, _item(result.after, action_id), result.commit, result.after is not result.before
    )


def list_actions(project: Project, postmortem_id: str, *, today: dt.date) -> report.Report:
    """Every action item of one postmortem, any status, as a report (same order and output)."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
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
