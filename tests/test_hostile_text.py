"""Text that a postmortem may hold, however hostile, is read in time linear in its length: a
regular expression that tries a long run of one character from each of its positions made
a one-file lint take 25 s and a search stall for minutes on 100-200 KB of it."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmctl.domain import sections
from pmctl.domain.comments import without_comments
from pmctl.domain.learning import snippet
from pmctl.domain.learning.query import parse

PIECES = st.lists(
    st.sampled_from(["<!--", "-->", "<!-->", "-", "<", "!", ">", "x", "\n"]), max_size=40
)


@settings(max_examples=500)
@given(PIECES.map("".join))
def test_comments_go_as_the_regular_expression_takes_them(text: str) -> None:
    expected = re.sub(r"<!--.*?-->", lambda match: f"[{len(match[0])}]", text, flags=re.DOTALL)
    assert without_comments(text, lambda comment: f"[{len(comment)}]") == expected
    assert without_comments(text, " ") == re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)


def test_openings_never_closed_take_linear_time() -> None:
    """20,000 of them took the regular expression 21 s (a one-file lint, 25 s)."""
    text = "x <!-- y --> z " + "<!--" * 250_000  # a postmortem's worth (1 MB)
    started = time.process_time()
    assert without_comments(text) == "x  z " + "<!--" * 250_000
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    "run",
    [
        "[" * 100_000,  # a link's text never closed
        "![a](" * 20_000,  # a link's target never closed
        "\n" * 200_000 + "x",  # blank lines
        " \n" * 100_000,
        "## heading" + " " * 200_000 + "(x",  # a heading's trailing spaces
    ],
    ids=["brackets", "targets", "blank lines", "spaced lines", "heading"],
)
def test_a_snippet_of_a_long_run_takes_linear_time(run: str) -> None:
    # (a link and a Japanese word: the snippet then takes the links and line breaks out)
    text = f"## Summary\n\nThe sonnet search failed ([a](b), 障害).\n\n{run}\n"
    started = time.process_time()
    found = snippet.make(text, parse("sonnet").terms)
    assert time.process_time() - started < 1.0  # minutes before
    assert "sonnet" in found.text


@settings(max_examples=500)
@given(
    st.lists(st.sampled_from(["(", ")", "（", "）", " ", "\u3000", "x", ":"]), max_size=30).map(
        "".join
    )
)
def test_a_headings_trailing_note_goes_as_the_regular_expression_takes_it(text: str) -> None:
    text = text.rstrip() + ")"
    expected = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", text)
    assert sections.without_trailing_note(text) == expected


def test_a_heading_of_spaces_and_parentheses_takes_linear_time() -> None:
    started = time.process_time()
    assert sections.heading_name("Summary" + " " * 200_000 + "(x(y)") == "summary (x"
    assert time.process_time() - started < 1.0  # 75 s for a quarter of it
