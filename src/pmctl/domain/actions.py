"""Action items as `pmctl action add/set` changes them: ids, validation, the edits to make.

Pure: takes the document text and model, returns new text. The front matter is the one
source of truth; the body's table between the marker comments is regenerated from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from pmctl.domain import edit
from pmctl.domain.action_table import render_table
from pmctl.domain.model import (
    ActionItem,
    ActionStatus,
    ActionType,
    Language,
    Postmortem,
    Priority,
)
from pmctl.domain.sections import ACTION_TABLE_END, ACTION_TABLE_START
from pmctl.domain.visible_text import folded
from pmctl.errors import NotFoundError, UsageError

KEY = "action_items"


def next_action_id(items: Sequence[ActionItem]) -> str:
    """`AI-n`, one more than the highest number used so far (ids are never reused)."""
    return f"AI-{max((int(item.id[3:]) for item in items), default=0) + 1}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAction:
    title: str
    type: ActionType
    owner: str
    priority: Priority
    due: dt.date | None = None
    tracker: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionChanges:
    """Fields to set; None leaves a field as it is."""

    title: str | None = None
    type: ActionType | None = None
    owner: str | None = None
    priority: Priority | None = None
    status: ActionStatus | None = None
    due: dt.date | None = None
    tracker: str | None = None


def new_item(action: NewAction, items: Sequence[ActionItem]) -> ActionItem:
    """The item `action` becomes, with the next id; `UsageError` for blank text fields.

    Its text fields are one line each, `folded` as `pmctl new` folds a title: a pasted
    newline or terminal escape was written into the front matter (`title: "a\\nb"`, an
    owner holding ESC), where every report and table then had to spell it out."""
    for name in ("title", "owner"):
        if not folded(getattr(action, name)):
            raise UsageError(f"--{name} is empty", hint=f"pass --{name} with a value")
    if action.tracker is not None and not folded(action.tracker):
        raise UsageError("--tracker is empty", hint="pass an issue key or URL, or leave it out")
    return ActionItem(
        id=next_action_id(items),
        title=folded(action.title),
        type=action.type,
        owner=folded(action.owner),
        priority=action.priority,
        status=ActionStatus.TODO,
        due=action.due,
        tracker=folded(action.tracker) if action.tracker else None,
    )


def changed_fields(
    item: ActionItem, changes: ActionChanges, *, required: bool = True
) -> dict[str, tuple[object, object]]:
    """Field -> (old, new) for each field `changes` really changes; `UsageError` if none and
    a change is `required` (`action set`; `action done` of an item done already is not)."""
    changed: dict[str, tuple[object, object]] = {}
    for field in fields(changes):
        value = getattr(changes, field.name)
        if type(value) is str:  # the free-text fields; enum members are str subclasses
            value = folded(value)
            if not value:
                raise UsageError(
                    f"--{field.name} is empty", hint=f"pass --{field.name} with a value"
                )
        old = getattr(item, field.name)
        if value is not None and value != old:
            changed[field.name] = (old, value)
    if not changed and required:
        raise UsageError(
            f"nothing to change on {item.id}",
            hint="pass a new --status, --owner, --due, --tracker, --priority, --type or --title",
        )
    return changed


def find(postmortem: Postmortem, action_id: str) -> tuple[int, ActionItem]:
    """The index and item with `action_id`; `NotFoundError` listing the ids there are."""
    for index, item in enumerate(postmortem.action_items):
        if item.id == action_id:
            return index, item
    # As people type them: `ai-3`, `3` for AI-3 (only where no item has that id as written).
    wanted = f"ai-{action_id}" if action_id.isdigit() else action_id.casefold()
    for index, item in enumerate(postmortem.action_items):
        if item.id.casefold() == wanted:
            return index, item
    known = ", ".join(item.id for item in postmortem.action_items) or "none yet"
    raise NotFoundError(
        f"{postmortem.id} has no action item {action_id!r}",
        hint=f"its action items: {known} (`pmctl action list {postmortem.id}`)",
    )


def add_to_text(text: str, postmortem: Postmortem, item: ActionItem) -> str:
    """`text` with `item` appended to the front matter and the body's table regenerated."""
    mapping: dict[str, object] = {
        "id": item.id,
        "title": item.title,
        "type": item.type.value if item.type else None,
        "owner": item.owner,
        "priority": item.priority.value if item.priority else None,
        "status": item.status.value,
    }
    if item.due is not None:
        mapping["due"] = item.due
    if item.tracker is not None:
        mapping["tracker"] = item.tracker
    text = edit.append_item(text, KEY, mapping)
    return regenerate_table(text, [*postmortem.action_items, item], postmortem.language)


def set_in_text(
    text: str, postmortem: Postmortem, index: int, changed: dict[str, tuple[object, object]]
) -> str:
    """`text` with the changed fields of item `index` set and the body's table regenerated."""
    for name, (_, value) in changed.items():
        scalar = value.value if isinstance(value, ActionType | Priority | ActionStatus) else value
        text = edit.set_value(text, (KEY, index, name), scalar)
    item = postmortem.action_items[index].model_copy(
        update={name: new for name, (_, new) in changed.items()}
    )
    items = list(postmortem.action_items)
    items[index] = item
    return regenerate_table(text, items, postmortem.language)


def regenerate_table(text: str, items: Sequence[ActionItem], language: Language) -> str:
    """Replace the body's table between the marker comments with one made from `items`."""
    inner = render_table(items, language).split("\n")[1:-1]
    return edit.replace_region(text, ACTION_TABLE_START, ACTION_TABLE_END, "\n".join(inner))
