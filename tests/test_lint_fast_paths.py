"""The fast paths of lint give exactly what the plain way of doing the same gives.

Each reference below is the straightforward implementation that a fast path replaced; the
property tests feed both the same random Markdown-like input.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pmctl.domain.lint.action_rules import _vague, _vague_match
from pmctl.domain.lint.body import Heading, _blank, _blank_code, _heading, parse_body
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
    prose_text = _blank_code(body) if ("```" in body or "~~~" in body) else body
    if "<!--" in prose_text:
        prose_text = re.sub(r"<!--.*?-->", _blank, prose_text, flags=re.DOTALL)
    if "`" in prose_text:
        prose_text = re.sub(r"`[^`\n]*`", _blank, prose_text)
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
            assert parsed.prose_rows(start, end) == prose[start:end]


def test_rows_without_a_known_offset_are_still_given() -> None:
    parsed = parse_body("a\nb\n## Summary\nc\nd", 1, NAMES)
    assert parsed.text(0, 2) == "a\nb"
    assert parsed.text(3, 5) == "c\nd"
    assert parsed.prose_rows(1, 4) == ["b", "## Summary", "c"]
    assert parsed.prose_rows(4, 4) == []


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
