"""The monthly digest: the period's new postmortems, the postmortem of the month, what was
learned, the action items, and the month's process numbers.

Pure: the service hands in the postmortems with their lessons, the action-item completions
read from `git log`, the transitions, the settings and `today`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pmctl.domain.cjk import WIDE
from pmctl.domain.comments import without_comments
from pmctl.domain.config import Settings
from pmctl.domain.lint.body import parse_body
from pmctl.domain.metrics import Stats, Transition, compute
from pmctl.domain.model import ActionItem, Language, Postmortem, Status
from pmctl.domain.report import Row, incident_date, is_overdue
from pmctl.domain.sections import SectionNames

LESSON_KEYS = ("went-well", "went-wrong", "got-lucky")
_CJK_BREAK = re.compile(rf"(?<=[{WIDE}])\s*\n\s*(?=[{WIDE}])")
RICH_LESSONS = 400
"""Characters of lessons (all three kinds together) from which they count as rich; a
Japanese (wide) character counts as two, as it says about as much: the Japanese example
says what the English one does in 354 characters against 640, and was never rich."""
_WIDE_CHARACTER = re.compile(f"[{WIDE}]")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a postmortem scored: a stable key, the words in both languages, and the points."""

    key: str
    points: int
    en: str
    ja: str

    def text(self, language: Language) -> str:
        return self.ja if language is Language.JA else self.en


@dataclass(frozen=True, slots=True)
class Candidate:
    """A postmortem of the period with its lessons (section key -> text) and its score."""

    postmortem: Postmortem
    lessons: Mapping[str, str]
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


@dataclass(frozen=True, slots=True)
class Completion:
    """An action item marked done in the period (from its `Pmctl-Action` commit)."""

    postmortem_id: str
    item: ActionItem
    on: dt.date


@dataclass(frozen=True, slots=True)
class Digest:
    month: str
    language: Language
    today: dt.date
    new: tuple[Candidate, ...]
    """The period's postmortems (by incident date), oldest first."""
    featured: Candidate | None
    chosen: bool
    """True when the featured postmortem was chosen by hand (`--feature`), not by score."""
    completed: tuple[Completion, ...]
    open_items: tuple[Row, ...]
    """Every open action item of every postmortem, overdue first."""
    numbers: Stats


def lessons(body: str, names: SectionNames) -> dict[str, str]:
    """The three kinds of lessons of a body, by section key (missing kinds left out)."""
    parsed = parse_body(body, 1, names)
    found = {}
    for key in LESSON_KEYS:
        section = parsed.section(key)
        if section is not None:
            text = without_comments(parsed.text(section[1], section[2])).strip()
            if text:
                found[key] = text
    return found


def reasons(postmortem: Postmortem, found: Mapping[str, str], settings: Settings) -> list[Reason]:
    """Why this postmortem deserves to be the postmortem of the month (the score's parts)."""
    result = []
    times = postmortem.timestamps
    complete = (
        all((times.started, times.detected, times.mitigated, times.resolved))
        and postmortem.action_items
        and all(item.owner and item.priority for item in postmortem.action_items)
    )
    if complete:
        result.append(
            Reason(
                "complete",
                2,
                "complete: every timestamp, and owned, prioritised action items",
                "完成度が高い: すべての時刻と、担当者・優先度のあるアクションアイテム",
            )
        )
    if postmortem.status.rank >= Status.REVIEWED.rank:
        result.append(Reason("reviewed", 3, "reviewed and approved", "レビュー済み・承認済み"))
    size = sum(len(text) + len(_WIDE_CHARACTER.findall(text)) for text in found.values())
    if len(found) == len(LESSON_KEYS) and size >= RICH_LESSONS:
        result.append(
            Reason(
                "lessons",
                3,
                "rich lessons: what went well, what went wrong and where we got lucky",
                "豊富な教訓: うまくいったこと・うまくいかなかったこと・幸運だったこと",
            )
        )
    scale = settings.severities
    if postmortem.severity in scale[:2]:
        points = 3 if postmortem.severity == scale[0] else 2
        result.append(
            Reason(
                "impact",
                points,
                f"high impact ({postmortem.severity})",
                f"影響が大きい({postmortem.severity})",
            )
        )
    return result


def worth_featuring(reasons: Sequence[Reason]) -> bool:
    """Whether a postmortem with these reasons may be suggested as the one to read: for
    being complete, reviewed or rich in lessons. High impact alone is not enough: a SEV1
    draft that holds only the template's guidance was suggested, for its severity."""
    return any(reason.key != "impact" for reason in reasons)


def build(
    entries: Sequence[tuple[Postmortem, Mapping[str, str]]],
    everything: Sequence[Postmortem],
    transitions: Sequence[Transition],
    completed: Sequence[Completion],
    *,
    month: str,
    settings: Settings,
    today: dt.date,
    feature: str | None = None,
) -> Digest:
    """The digest of `month` (YYYY-MM). `entries` are the month's postmortems with their
    lessons; `everything` is every postmortem (for the open action items).

    The featured postmortem is `feature` when given (it may be of any month), else the
    month's best score, the more severe and then the older first on a tie.
    """
    candidates = sorted(
        (
            Candidate(postmortem, found, tuple(reasons(postmortem, found, settings)))
            for postmortem, found in entries
        ),
        key=lambda candidate: (incident_date(candidate.postmortem), candidate.postmortem.id),
    )
    featured: Candidate | None = None
    worthy = [candidate for candidate in candidates if worth_featuring(candidate.reasons)]
    if feature is not None:
        featured = next((c for c in candidates if c.postmortem.id == feature), None)
    elif worthy:
        rank = {severity: index for index, severity in enumerate(settings.severities)}
        featured = max(
            worthy,
            key=lambda c: (c.score, -rank.get(c.postmortem.severity, len(rank)), _age(c)),
        )
    open_rows = [
        Row(
            postmortem.id,
            postmortem.title,
            postmortem.severity,
            tuple(postmortem.services),
            "",
            item,
            is_overdue(item, today),
        )
        for postmortem in everything
        for item in postmortem.action_items
        if item.status.is_open
    ]
    open_rows.sort(
        key=lambda row: (not row.overdue, row.item.due or dt.date.max, row.postmortem_id)
    )
    return Digest(
        month=month,
        language=settings.default_language,
        today=today,
        new=tuple(candidates),
        featured=featured,
        chosen=feature is not None,
        completed=tuple(completed),
        open_items=tuple(open_rows),
        numbers=compute(
            [c.postmortem for c in candidates], transitions, settings=settings, today=today
        ),
    )


def with_feature(digest: Digest, candidate: Candidate) -> Digest:
    """`digest` featuring `candidate` (a postmortem of another month chosen by hand)."""
    return replace(digest, featured=candidate, chosen=True)


def excerpt(text: str, limit: int = 280) -> str:
    """The first `limit` characters of `text` on one line, cut at a word where there is one."""
    flat = " ".join(_CJK_BREAK.sub("", text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"


def _age(candidate: Candidate) -> int:
    return -incident_date(candidate.postmortem).toordinal()
