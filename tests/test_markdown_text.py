"""Text pmctl writes into Markdown stays the text it was, as a CommonMark renderer reads it."""

from __future__ import annotations

from html import unescape

import pytest
from markdown_it_pyrs import MarkdownIt

from pmctl.domain.markdown_text import code_span


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "postmortems/2026/x.md:4: PM021 unknown key `notes`",
        "``double`` and `single`",
        "`starts and ends with one`",
        "a ``` fence-like run",
    ],
)
def test_a_code_span_renders_as_exactly_its_text(text: str) -> None:
    html = MarkdownIt("commonmark").render(code_span(text))
    assert html.count("<code>") == 1
    assert unescape(html.split("<code>")[1].split("</code>")[0]) == text
