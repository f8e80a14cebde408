"""The fast paths of lint give exactly what the plain way of doing the same gives.

Each reference below is the straightforward implementation that a fast path replaced; the
property tests feed both the same random Markdown-like input.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pmctl.domain.config import Settings
from pmctl.domain.document import ParsedDocument
from pmctl.domain.legacy import timeline
from pmctl.domain.lint import time_rules
from pmctl.domain.lint.action_rules import _vague, _vague_match
from pmctl.domain.lint.body import Body, Heading, _blank, _heading, blank_code, parse_body
from pmctl.domain.lint.context import Context
from pmctl.domain.model import Status
from pmctl.domain.sections import section_names

NAMES = section_names({"timeline": ["Chronology"]})

FRAGMENTS = st.sampled_from(
    [
        *("#", "##", "###", "####### ", "# ", "## ", "   #", "    #", "\t#", "a#", " "),
        *("\n", "\n\n", "```", "~~~", "````", "<!--", "-->", "`", "x", "text "),
        *("Summary", "Timeline", "タイムライン", "Chronology", "Impact：", " ##", ":", "\u3000"),
    ]
)
BODIES = st.lists(FRAGMENTS, max_size=60).map("".join)


def reference_parse_body(body: str) -> tuple[list[str], str, list[str], list[tuple[int, Heading]]]:
    """Lines, prose text, prose lines and headings, found line by line."""
    prose_text = blank_code(body) if ("```" in body or "~~~" in body) else body
    if "<!--" in prose_text:
        prose_text = re.sub(r"<!--.*?-->", lambda m: _blank(m[0]), prose_text, flags=re.DOTALL)
    if "`" in prose_text:
        prose_text = re.sub(r"`[^`\n]*`", lambda m: _blank(m[0]), prose_text)
    lines = body.split("\n")
    prose = prose_text.split("\n")
    headings = [
        (index, heading)
        for index, line in enumerate(prose)
        if "#" in line[:4] and (heading := _heading(line, NAMES)) is not None
    ]
    return lines, prose_text, prose, headings


@settings(max_examples=400)
@given(BODIES)
def test_parse_body_finds_what_a_line_by_line_reading_finds(body: str) -> None:
    parsed = parse_body(body, 7, NAMES)
    lines, prose_text, prose, headings = reference_parse_body(body)
    assert list(parsed.headings) == headings
    assert parsed.prose_text == prose_text
    assert parsed.lines == lines
    assert parsed.prose == prose
    for number, (row, heading) in enumerate(headings):
        end = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        if heading.key is not None and parsed.sections[heading.key][0] is heading:
            assert parsed.section(heading.key) == (heading, row + 1, end)
        for start in (row, row + 1):
            assert parsed.text(start, end) == "\n".join(lines[start:end])
            assert parsed.text(start, end, prose=True) == "\n".join(prose[start:end])


def test_rows_without_a_known_offset_are_still_given() -> None:
    parsed = parse_body("a\nb\n## Summary\nc\nd", 1, NAMES)
    assert parsed.text(0, 2) == "a\nb"
    assert parsed.text(3, 5) == "c\nd"
    assert parsed.text(1, 4, prose=True) == "b\n## Summary\nc"
    assert parsed.text(4, 4, prose=True) == ""


TITLE_WORDS = st.sampled_from(
    [
        *("Investigate", "look into", "LOOK AT", "consider", "Try to", "discuss", " ", "\t"),
        *("be careful", "Be More Careful", "pay attention", "take care", "care", "x", "pool"),
        *("注意する", "気をつける", "検討する", "Discussion", "investigated", "follow up on"),
        *("\u212a", "\u0130", "ſ"),
    ]
)
EXTRAS = st.sampled_from([(), ("follow up on",), ("Keep An Eye",), ("\u212aeep",), ("様子を見る",)])


@settings(max_examples=400)
@given(st.lists(TITLE_WORDS, max_size=8).map("".join), EXTRAS)
def test_vague_titles_are_found_as_the_whole_pattern_finds_them(
    title: str, extra: tuple[str, ...]
) -> None:
    fast = _vague_match(title, extra)
    slow = _vague(extra).search(title)
    assert (fast and fast.span()) == (slow and slow.span())


TIMELINE_LINES = st.sampled_from(
    [
        *("- 10:00 a", "- 9:05 b", "* 23:59 c", "+ 00:01 d", "1. 10:30 e", "2) 08:00 f"),
        *("- **2026-11-20 10:00** g", "- 2026-11-21T01:00 h", "  - 11:00 i", "-10:00 no"),
        *("2026-11-21", "### 2026-11-22", "**2026-11-23**", "2026-02-30", "- 2026-13-01 10:00"),
        *("", "text", "- 1:2 short", "- 10:00x", "\t- 12:00 tab", "- ١٠:٠٠ arabic"),
    ]
)


def reference_timeline(body: Body) -> list[tuple[int, str]]:
    """(line, message) of PM302, from the whole body split into lines."""
    found = body.extent("timeline")
    assert found is not None
    _, start, end = found
    entries = timeline.parse(body.prose[start:end], zones=False).entries
    return [
        (body.file_line(start + entry.row), f"{entry.written} comes after {previous.written}")
        for entry, previous in timeline.out_of_order(entries)
    ]


PLAIN_TIMELINE_LINES = st.sampled_from(
    [
        *("- 10:00 a", "- 9:05 b", "- 23:59 c", "- 00:01 d", "- 10:00 All", "- 10:00 Pm x"),
        *("- 10:00 am x", "- 10:00 PM", "- 10:00 p.m. x", "- 24:00 x", "- 10:60 x", "- 10:00"),
        *("- 10:00  two", "- 10:00 UTC x", "- 10:00 (CET) x", "- 10:00:30 s", "- 10:00 x\r"),
        *("- ２３:５９ fullwidth", "- 10:00 2026-11-21 x", "- 100:00 x", "-  10:00 x"),
        *("2026-11-21", "2026-11-21 (UTC)", "2026-11-21(時刻はUTC)", "2026-11-21,10:00 x"),
        *("2026-11-21 10:00 x", "2026-11-21T10:00", "2026-11-21 T", "# 2026-11-20"),
        *("### 2026-11-22 (UTC)", "####### 2026-11-20", "2026-11-31 x", "2026-02-30"),
        *("2026-1-21", "2026-11-19 ١٠:٠٠ x", "- 19:75 x", "- 09:59 y", "", "   ", "\t", "text"),
    ]
)


@settings(max_examples=400)
@given(st.lists(TIMELINE_LINES, max_size=20) | st.lists(PLAIN_TIMELINE_LINES, max_size=20))
def test_the_timeline_is_read_as_line_by_line(lines: list[str]) -> None:
    text = "# T\n\n## Timeline\n" + "\n".join(lines) + "\n## Action Items\n"
    body = parse_body(text, 30, NAMES)
    context = Context(
        document=ParsedDocument(Path("x.md")),
        data={},
        postmortem=None,
        status=Status.DRAFT,
        settings=Settings(),
        today=dt.date(2026, 11, 23),
        body=body,
        as_status=False,
    )
    found = [(hit.line, hit.message) for hit in time_rules._timeline(context)]
    expected = reference_timeline(body)
    assert found == [(line, f"timeline entry {message}") for line, message in expected]


BLAMELESS_FRAGMENTS = st.sampled_from(
    [
        *("should have", "Should Have", "should've", "WOULD'VE", "if only", "human error"),
        *("careless", "CARELESS", "careleſs", "blame", "lazy", "KAMI", "kamı", "İf only"),
        *(
            "\u212aami",
            "Kami",
            "ミス",
            "人為的ミス",
            "ミスター",
            "確認不足",
            "ていれば",
            "ｍｉｓｓ",
        ),
        *("Ｍｉｓｓ", "café", "CAFÉ", " ", "\n", "x", "日本", "é", "ß", "ﬀ"),
    ]
)
LEXICON_EXTRAS = st.lists(st.sampled_from(["kami", "miss", "ｍｉｓｓ", "café", "haveé", "ミスＡ"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(BLAMELESS_FRAGMENTS, max_size=30).map("".join), LEXICON_EXTRAS)
def test_blameless_terms_are_found_as_in_the_lowered_text(text: str, extra: list[str]) -> None:
    """The blameless scan skips lowering most of a Japanese text; it finds the same terms
    as a test of every term against the whole lowered text, in the same order."""
    from pmctl.domain.lint import blameless

    lexicon = blameless._lexicon(tuple(extra), ())
    lowered = text.lower()
    reference = [
        term
        for group in lexicon
        if group.gate in lowered
        for term in group.members
        if term.needle in lowered
    ]
    assert blameless._present(text, lexicon) == reference


FRONT_LINES = st.sampled_from(
    [
        *("id: a", "  id: b", "- id: c", '"id": d', "'id': e", "id : f", "id:g", "id:"),
        *("schema: 2", "title: x", "  nested: y", "- item", "# id: comment", "", "   ", "ids: z"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FRONT_LINES, max_size=20))
def test_the_id_line_is_the_one_the_whole_outline_finds(lines: list[str]) -> None:
    """`Facts` look for `id:` among the first lines before outlining the whole front
    matter; the line is the one the outline gives, wherever the key is, or if it is not."""
    from pmctl.domain.lint.repository_rules import _id_line

    front = "\n".join(lines) + "\n"
    document = ParsedDocument(Path("x.md"), front_matter=front, front_matter_line=2)
    reference = ParsedDocument(Path("x.md"), front_matter=front, front_matter_line=2)
    assert _id_line(document) == reference.line_of(("id",))
    assert _id_line(ParsedDocument(Path("x.md"))) == ParsedDocument(Path("x.md")).line_of(("id",))
