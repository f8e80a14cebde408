"""What of a postmortem goes into which column of the search index.

Five columns, so that ranking can weigh them and `related` can compare causes: the title;
the summary; the cause (root causes and trigger); the rest of the body (without the
generated action-item table, which repeats the front matter, or HTML comments); and the
metadata people search for (services, tags, incident number, people, impact, action items,
review notes). Sections are found as lint finds them (`domain.lint.body`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmctl.domain.comments import without_comments
from pmctl.domain.learning.text import index_text
from pmctl.domain.markdown_text import as_text
from pmctl.domain.sections import ACTION_TABLE_END, ACTION_TABLE_START, SectionNames

if TYPE_CHECKING:  # `readable` alone, for a search's snippets, needs neither lint nor the model
    from pmctl.domain.lint.body import Body
    from pmctl.domain.model import Postmortem

SUMMARY = ("summary",)
CAUSE = ("root-causes", "trigger")


def section_text(body: Body, keys: tuple[str, ...]) -> str:
    """The Markdown of the sections `keys`, one after the other (their headings left out),
    `readable`: without HTML comments, so without the template's guidance, which a draft
    still holds (it was indexed, so that a search for words of the guidance found every
    draft, `related` called two drafts alike for it, and a drill played the guidance's
    example timeline)."""
    parts: list[str] = []
    for key in keys:
        found = body.section(key)
        if found is not None:
            parts.append(readable(body.text(found[1], found[2])))
    return "\n\n".join(part.strip() for part in parts if part.strip())


def rest_text(body: Body) -> str:
    """The body without the summary and cause sections, the action-item table and comments."""
    # Cut by character offsets (a section's heading row and the row after its content are
    # known rows), not by lines: splitting and joining every line took 0.6 s of CPU at
    # 10,000 postmortems, this 0.2 s.
    offsets = body.row_offsets
    cuts = sorted(
        (offsets[found[1] - found[0].rows], offsets[found[2]])
        for key in SUMMARY + CAUSE
        if (found := body.section(key)) is not None
    )
    kept: list[str] = []
    at = 0
    for start, end in cuts:
        if start > at:
            kept.append(body.source[at:start])
        at = max(at, end)
    kept.append(body.source[at:])
    return readable("".join(kept))


def readable(text: str) -> str:
    """Markdown without the generated action-item table and without HTML comments, with
    its character references (`&nbsp;`, `&amp;`) and backslash escapes (`search\\_cluster`)
    as the characters they stand for: as a reader sees it rendered. (Confluence and pandoc
    exports are full of both: `"disk space"` did not find `disk&nbsp;space`.)"""
    start = text.find(ACTION_TABLE_START)
    end = text.find(ACTION_TABLE_END, start)
    if start >= 0 and end > start:
        text = text[:start] + text[end + len(ACTION_TABLE_END) :]
    text = without_comments(text, " ") if "<!--" in text else text
    return as_text(text)


def body_columns(body: str, first_line: int, names: SectionNames) -> tuple[str, str, str]:
    """The summary, cause and rest columns of a postmortem's body, ready for the index."""
    from pmctl.domain.lint.body import parse_body

    parsed = parse_body(body, first_line, names)
    return (
        index_text(section_text(parsed, SUMMARY)),
        index_text(section_text(parsed, CAUSE)),
        index_text(rest_text(parsed)),
    )


def meta_text(postmortem: Postmortem) -> str:
    """The front matter's searchable text, ready for the index."""
    impact = postmortem.impact
    parts = [
        *postmortem.services,
        *postmortem.tags,
        postmortem.incident or "",
        postmortem.owner,
        *postmortem.authors,
        impact.description or "",
        impact.revenue_impact or "",
        *(f"{item.id} {item.title} {item.owner or ''}" for item in postmortem.action_items),
        *(review.notes or "" for review in postmortem.reviews),
        *postmortem.shared_with,
    ]
    return index_text("\n".join(part for part in parts if part))
