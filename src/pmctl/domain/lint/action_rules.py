"""PM201-PM207: action items that can actually be finished and followed up."""

from __future__ import annotations

import re
from functools import lru_cache

from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import (
    ACTION_DUPLICATE_ID,
    ACTION_OVERDUE,
    ACTION_OWNER_MISSING,
    ACTION_PRIORITY_MISSING,
    ACTION_TYPE_MISSING,
    ACTION_UNTRACKED,
    ACTION_VAGUE,
)
from pmctl.domain.model import ActionItem, Priority, Status

_VAGUE_START = (
    r"investigate",
    r"look (?:into|at)",
    r"think about",
    r"consider",
    r"try to",
    r"discuss",
)
_VAGUE_ANYWHERE = (
    r"be (?:more )?careful",
    r"pay (?:more )?attention",
    r"take (?:more )?care",
    r"注意する",
    r"気を(?:つ|付)ける",
    r"徹底する",
    r"心が(?:け|掛け)る",
    r"検討する",
    r"調査する",
)
_HIGH = (Priority.P0, Priority.P1)


_ASCII_CORES = ("care", "attention")
"""What an ASCII title needs to contain for a `_VAGUE_ANYWHERE` phrase to match it."""


@lru_cache(maxsize=8)
def _vague(extra: tuple[str, ...]) -> re.Pattern[str]:
    start = "|".join(_VAGUE_START)
    anywhere = "|".join((*_VAGUE_ANYWHERE, *(re.escape(phrase) for phrase in extra)))
    return re.compile(rf"^\s*(?:{start})\b|{anywhere}", re.IGNORECASE)


@lru_cache(maxsize=8)
def _vague_start(extra: tuple[str, ...]) -> re.Pattern[str] | None:
    """The part of `_vague` that can match at the start only, for ASCII titles that
    contain no phrase of the anywhere part; None when some extra phrase is not ASCII (case
    folding could then match it to ASCII text)."""
    if not all(phrase.isascii() for phrase in extra):
        return None
    return re.compile(rf"\s*(?:{'|'.join(_VAGUE_START)})\b", re.IGNORECASE)


def _vague_match(title: str, extra: tuple[str, ...]) -> re.Match[str] | None:
    """`_vague(extra).search(title)`, decided for most titles by one anchored match.

    Searching the whole pattern took ~5 us a title, a third of the action rules' time: its
    anywhere part is tried at every position. An ASCII title without the words every
    such phrase contains can only match at its start (for ASCII text, ignoring case is
    lower-casing).
    """
    start = _vague_start(extra)
    if start is not None and title.isascii():
        lowered = title.lower()
        if not any(core in lowered for core in _cores(extra)):
            return start.match(title)
    return _vague(extra).search(title)


@lru_cache(maxsize=8)
def _cores(extra: tuple[str, ...]) -> tuple[str, ...]:
    """`_ASCII_CORES` and the extra phrases, lowered: made once, not for each of the nine
    items of a realistic document (~1 us each)."""
    return (*_ASCII_CORES, *(phrase.lower() for phrase in extra))


def check(ctx: Context) -> list[Hit]:
    if ctx.postmortem is None:
        return []
    hits: list[Hit] = []
    # (An imported postmortem's items had no owner, type or priority before pmctl: the
    # hits would be dropped, and finding their lines costs more than all the other rules.)
    from_review = ctx.rank >= Status.IN_REVIEW.rank and not ctx.excused
    extra = tuple(ctx.settings.lint.vague_extra)
    seen: dict[str, int] = {}
    for index, item in enumerate(ctx.postmortem.action_items):
        if item.id in seen:
            hits.append(
                Hit(
                    ACTION_DUPLICATE_ID,
                    ctx.line_of("action_items", index, "id"),
                    f"action item id {item.id} is already used by item {seen[item.id] + 1}",
                    "give each action item its own id (AI-1, AI-2, ...)",
                )
            )
        seen.setdefault(item.id, index)
        if from_review and (item.owner is None or item.type is None or item.priority is None):
            hits.extend(_incomplete(ctx, index, item))
        match = _vague_match(item.title, extra)
        if match:
            hits.append(
                Hit(
                    ACTION_VAGUE,
                    ctx.line_of("action_items", index, "title"),
                    f"{item.id} is vague ({match[0].strip()!r}): it can never be marked done",
                    "say what will change and how you will know it is done, "
                    "e.g. 'Add an alert on ...', 'Limit ... to ...'",
                )
            )
        if item.status.is_open:
            hits.extend(_follow_up(ctx, index, item))
    return hits


def _incomplete(ctx: Context, index: int, item: ActionItem) -> list[Hit]:
    hits = []
    for rule, key, hint in (
        (ACTION_OWNER_MISSING, "owner", "name the one person accountable: `owner: alice`"),
        (ACTION_TYPE_MISSING, "type", "set `type:` to mitigate, prevent, process or other"),
        (ACTION_PRIORITY_MISSING, "priority", "set `priority:` to P0, P1, P2 or P3"),
    ):
        if getattr(item, key) is None:
            hits.append(
                Hit(
                    rule,
                    ctx.line_of(
                        "action_items", index, *((key,) if key in _keys(ctx, index) else ())
                    ),
                    f"{item.id} has no {key} (required from in-review on)",
                    hint,
                )
            )
    return hits


def _keys(ctx: Context, index: int) -> set[str]:
    items = ctx.data.get("action_items")
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        return {str(key) for key in items[index]}
    return set()


def _follow_up(ctx: Context, index: int, item: ActionItem) -> list[Hit]:
    hits = []
    if item.priority in _HIGH and not item.tracker and item.due is None:
        hits.append(
            Hit(
                ACTION_UNTRACKED,
                ctx.line_of("action_items", index),
                f"{item.id} is {item.priority} but has neither a tracker nor a due date",
                "set `tracker:` to the issue that follows it up, or a `due:` date",
            )
        )
    if item.due is not None and item.due < ctx.today:
        hits.append(
            Hit(
                ACTION_OVERDUE,
                ctx.line_of("action_items", index, "due"),
                f"{item.id} was due on {item.due.isoformat()} and is still {item.status}",
                "finish it (`pmctl action done`), or agree a new `due:` date",
            )
        )
    return hits
