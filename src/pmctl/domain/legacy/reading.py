"""What the body of a legacy document says: its title, sections, header lines, timeline,
action items and stated durations, found with the headings lint matches (built-in, aliases
of `[lint.section_aliases]`, in any case, with a trailing colon or parenthetical, at any
heading level) so that an imported document means to lint what it meant to the import.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pmctl.domain.cjk import KANA
from pmctl.domain.legacy import actions, durations, mapping, timeline
from pmctl.domain.lint.body import Body, Heading, parse_body
from pmctl.domain.sections import SECTIONS, SectionNames, alias_form, heading_name

_KANA = re.compile(f"[{KANA}]")
_TEMPLATE = re.compile(r"template|テンプレート|ひな形|雛形", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reading:
    """A legacy body as read; rows index its lines (0 is the body's first line)."""

    body: Body
    title: str | None
    sections: tuple[tuple[str, str], ...]
    """(section key, heading as written) of each known section, in order."""
    other_headings: tuple[str, ...]
    """Headings below the title that open no known section, as written."""
    header: dict[str, mapping.HeaderField]
    """The `Key: value` lines above the first section (see `mapping.header_fields`)."""
    timeline: timeline.Timeline | None
    timeline_start: int
    actions: tuple[actions.LegacyAction, ...]
    actions_start: int
    table_row: int | None
    """Where the generated action-item table goes (the end of the action-item section)."""
    durations: tuple[durations.Stated, ...]
    japanese: bool

    @property
    def looks_like_template(self) -> bool:
        return bool(self.title and _TEMPLATE.search(self.title))

    def suggestions(self) -> dict[str, str]:
        """Unknown heading (as an alias would name it) -> the section key it is closest to
        (for an alias hint)."""
        found: dict[str, str] = {}
        for heading in self.other_headings:
            key = _closest_section(heading_name(heading))
            if key is not None:
                found[alias_form(heading)] = key
        return found


_NAMES = {heading_name(s.en): s.key for s in SECTIONS} | {
    heading_name(s.ja): s.key for s in SECTIONS
}


_OTHER_NAMES = {
    "summary": (
        "overview", "executive summary", "incident summary", "tl;dr", "tldr", "what happened",
        "事象", "事象概要", "発生事象",
    ),
    "impact": ("customer impact", "user impact", "business impact", "影響範囲", "影響度"),
    "root-causes": (
        "root cause", "root cause analysis", "rca", "contributing factors", "causes", "cause",
        "five whys", "5 whys", "原因", "原因分析",
    ),
    "trigger": ("triggers", "what triggered it", "きっかけ", "発生契機"),
    "resolution": ("mitigation", "recovery", "resolution and recovery", "復旧", "復旧対応"),
    "lessons": ("lessons", "learnings", "takeaways", "振り返り", "学び"),
    "went-wrong": ("what didn't go well", "what could have gone better", "悪かった点"),
    "went-well": ("what went right", "良かった点"),
    "timeline": ("chronology", "sequence of events", "incident timeline", "時系列", "経緯"),
    "action-items": (
        "actions", "action plan", "follow-ups", "follow ups", "followups", "next steps",
        "remediations", "remediation items", "corrective actions", "preventive actions",
        "対策", "再発防止策", "恒久対策", "今後の対応",
    ),
    "supporting-information": ("references", "links", "appendix", "参考", "参考資料"),
}  # fmt: skip
"""Other teams' names of pmctl's sections (morgue's *Remediations*, the *Contributing
Factors* of many templates): too far from pmctl's headings to be found alike."""
_KNOWN = {heading_name(name): key for key, names in _OTHER_NAMES.items() for name in names}


@lru_cache(maxsize=1024)  # the same few headings recur in every document of a repository
def _closest_section(name: str) -> str | None:
    known = _KNOWN.get(name)
    if known is not None:
        return known
    close = difflib.get_close_matches(name, _NAMES, n=1, cutoff=0.8)
    return _NAMES[close[0]] if close else None


def _with_inline_code(body: Body, start: int, end: int, *, backticks: bool = False) -> list[str]:
    r"""Rows [start, end) of `body` as prose (fenced code and comments blanked), but with
    the text of inline code kept (with its backticks, if asked): a timeline pasted from
    chat writes its times so (`- \`10:07\` paged`), an action item its commands (`Add a
    \`df\` check`), and blanked, the time or the command was lost."""
    rows = body.prose[start:end]
    return [
        (raw if backticks else raw.replace("`", " ")) if "`" in raw and prose.strip() else prose
        for raw, prose in zip(body.lines[start:end], rows, strict=True)
    ]


def _lines_over_a_rule(heading: Heading) -> bool:
    """Whether `heading` is `Key: value` lines underlined with `---` that open no section:
    a header block (`**Date:** ...`, `**Owner:** ...`) with a rule under it, which
    Markdown reads as a heading, but its writer did not mean as one."""
    return (
        heading.rows > 1
        and heading.level == 2
        and heading.key is None
        and bool(mapping.header_fields([heading.text]))
    )


def _rows_inside_sections(body: Body) -> Callable[[int], bool]:
    """Whether a row is within a known section, past its heading: a deeper heading there
    (a timeline's `### 2023-02-14`, a `### Database` under the root causes) is part of the
    section, not a heading that no section took."""
    spans = [
        (start, end)
        for key in body.sections
        if (found := body.extent(key)) is not None
        for _, start, end in [found]
    ]
    return lambda row: any(start <= row < end for start, end in spans)


def read(text: str, names: SectionNames) -> Reading:
    """Read `text`, a legacy document's body (newlines `\\n`, no front matter)."""
    body = parse_body(text, 1, names)
    title: str | None = None
    title_row: int | None = None
    first_section: int | None = None
    sections: list[tuple[str, str]] = []
    others: list[str] = []
    inside = _rows_inside_sections(body)
    for row, heading in body.headings:
        if heading.key is not None:
            first_section = row if first_section is None else first_section
            if all(key != heading.key for key, _ in sections):
                sections.append((heading.key, heading.text))
        elif heading.level == 1 and title is None and first_section is None:
            title, title_row = heading.text, row
        elif not inside(row) and not _lines_over_a_rule(heading):
            others.append(heading.text)
    header_end = next(
        (
            row
            for row, heading in body.headings
            if row != title_row and not _lines_over_a_rule(heading)
        ),
        len(body.lines),
    )
    found_timeline = body.extent("timeline")
    parsed_timeline = None
    timeline_start = 0
    if found_timeline is not None:
        heading, timeline_start, end = found_timeline
        parsed_timeline = timeline.parse(
            _with_inline_code(body, timeline_start, end), notes=[heading.text]
        )
    found_actions = body.extent("action-items")
    items: list[actions.LegacyAction] = []
    actions_start = 0
    table_row = None
    if found_actions is not None:
        _, actions_start, end = found_actions
        items = actions.parse(_with_inline_code(body, actions_start, end, backticks=True))
        filled = [row for row in range(actions_start, end) if body.lines[row].strip()]
        table_row = filled[-1] + 1 if filled else actions_start
    return Reading(
        body=body,
        title=title,
        sections=tuple(sections),
        other_headings=tuple(others),
        header=mapping.header_fields(body.prose[:header_end]),
        timeline=parsed_timeline,
        timeline_start=timeline_start,
        actions=tuple(items),
        actions_start=actions_start,
        table_row=table_row,
        durations=tuple(durations.find(body.prose)),
        japanese=bool(_KANA.search(text)),
    )
