"""Markdown to safe HTML for the site and the digest: the one home of the Markdown parser.

markdown-it-pyrs (markdown-it's rules, compiled) renders CommonMark plus tables and
strikethrough. A postmortem is written by many hands and the site is opened by everyone, so:

- raw HTML is not a Markdown feature here: the `html_block`/`html_inline` rules are off and
  `<script>`, `<img onerror=...>` or `<div onclick=...>` come out as visible, escaped text
  (HTML comments, which templates use for guidance and markers, are dropped first);
- every `href` and `src` the renderer writes is checked against an allow-list: relative
  links, `#anchors`, `http(s):` and `mailto:`. Anything else (`javascript:`, `vbscript:`,
  `data:`, `file:`...) loses its link and keeps its text;
- a line break between two Japanese (CJK) characters is dropped: Japanese has no spaces
  between words, and a soft break rendered as a space shows as a gap mid-sentence;
- an image that is not part of the site (an absolute URL) becomes a link to it, because the
  site makes no request outside itself;
- on request (`taken`), each heading gets the `id` GitHub gives it (`## Root causes` is
  `#root-causes`, `## 根本原因` is `#根本原因`), so that the links written for GitHub
  (`[why](#root-causes)`, `[see](other.md#lessons-learned)`) lead to it on the site too.

Because raw HTML is escaped, every `<a href="...">` and `<img src="...">` in the output was
written by the renderer, which is what makes checking them with a regular expression sound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache
from html import escape, unescape
from typing import Any

from pmctl.domain.cjk import WIDE
from pmctl.domain.comments import without_comments

_RULES = (
    "blockquote",
    "code",
    "fence",
    "heading",
    "hr",
    "lheading",
    "list",
    "paragraph",
    "reference",
    "autolink",
    "backticks",
    "emphasis",
    "entity",
    "escape",
    "image",
    "link",
    "newline",
    "table",
    "strikethrough",
)
_CJK_LINE_START = re.compile(rf"\n[ \t]*(?=[{WIDE}])")
_IS_CJK = re.compile(rf"[{WIDE}]")
_HEADING = re.compile(r"[ ]{0,3}#")
_LINK = re.compile(r'<a href="([^"]*)"( title="[^"]*")?>(.*?)</a>', re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"( title="[^"]*")? ?/?>')
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_HEADING_TAG = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_NOT_IN_ID = re.compile(r"[^\w\- ]")

LinkRewrite = Callable[[str], str]
"""Takes a safe, relative link target as written; returns the target to use."""
ImageSource = Callable[[str], "str | None"]
"""Takes a safe, relative image source as written; returns the source to use, or None
when there is no such image to show."""


def is_safe_url(url: str) -> bool:
    """Relative, an anchor, or http(s)/mailto. Control characters and whitespace inside
    the scheme (`jav\\tascript:`) are removed before looking, as browsers do."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", unescape(url))
    match = _SCHEME.match(cleaned)
    if match is None:
        return not cleaned.startswith("//")  # protocol-relative: another host
    return match[1].lower() in _SAFE_SCHEMES


def is_external(url: str) -> bool:
    cleaned = unescape(url).strip()
    return cleaned.startswith("//") or _SCHEME.match(cleaned) is not None


def render(
    text: str,
    *,
    rewrite: LinkRewrite | None = None,
    image: ImageSource | None = None,
    taken: Collection[str] | None = None,
) -> str:
    """`text` (Markdown) as HTML; unsafe links dropped, relative ones passed to `rewrite`.
    With `image`, a relative image is shown from where it says, or as its text when it has
    nothing (no broken image, no request out of the site). With `taken` (the ids the rest
    of the page uses), headings get GitHub's ids."""
    # A line break inside Japanese prose is not a space (CommonMark would render one).
    source = _joined_cjk_lines(_shallow(without_comments(text)))
    html: str = _parser().render(source)
    if "<a " in html:
        html = _LINK.sub(lambda match: _link(match, rewrite), html)
    if "<img " in html:
        html = _IMAGE.sub(lambda match: _image(match, image), html)
    if taken is not None and "<h" in html:
        html = _with_heading_ids(html, taken)
    return html


_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|hr|br)\b[^>]*>"
)
_IMAGE_ALT = re.compile(r'<img src="[^"]*" alt="([^"]*)"[^>]*>')


def plain(text: str) -> str:
    """`text` (Markdown) as the words a reader sees of it rendered: its marks, link targets
    and image addresses gone (an image is its alt text), a space between blocks. Marks as
    text stay: `user_sessions`, `C#`, `a > b`, `2 * 3` (a search excerpt lost them)."""
    html = _IMAGE_ALT.sub(r" \1 ", render(text))
    return unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html)))


def heading_id(text: str) -> str:
    """The id GitHub gives a heading of `text` (github-slugger): lower case, without
    punctuation, each space a hyphen; letters and digits of any script are kept."""
    return _NOT_IN_ID.sub("", text.lower()).replace(" ", "-")


def _with_heading_ids(html: str, taken: Collection[str]) -> str:
    """`html` with an id on each heading; one seen before (or in `taken`) gets `-1`, `-2`...
    as on GitHub, so that each id is unique on the page."""
    used = set(taken)

    def with_id(match: re.Match[str]) -> str:
        base = heading_id(unescape(_TAG.sub("", match[2])).strip())
        if not base:
            return match[0]
        found, count = base, 0
        while found in used:
            count += 1
            found = f"{base}-{count}"
        used.add(found)
        return f'<h{match[1]} id="{escape(found)}">{match[2]}</h{match[1]}>'

    return _HEADING_TAG.sub(with_id, html)


MAX_NESTING = 10_000
"""Lists and block quotes opened on one line (`- - - - x`) beyond which the markers are text.
markdown-it-pyrs recurses once for each, on the native stack: ~40,000 of them (a line of
80 KB) crashed the process with SIGSEGV, where no document nests more than a few. Such a
line is at least twice as long as its markers: a shorter text (a real postmortem) is not
searched for one (the search is 0.27 ms for 12.7 KB, 2.7 s of CPU for 10,000)."""
_DEEP = re.compile(r"(?m)^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))" + f"{{{MAX_NESTING}}}")


def _shallow(text: str) -> str:
    """`text` with the marker after the first `MAX_NESTING` of a line escaped (made text)."""
    if len(text) <= 2 * MAX_NESTING:
        return text
    return _DEEP.sub(lambda match: match[0] + "\\", text)


def _joined_cjk_lines(text: str) -> str:
    """`text` without the line breaks between two CJK characters, except after a heading.

    A break (with the spaces and tabs around it) goes when the line after it starts with a
    CJK character, the line before ends with one, and that line is no heading. The search
    looks for line breaks, which the regular expression engine finds by a fast scan for one
    character: 0.012 ms a postmortem where a pattern starting with a CJK class, tried at
    every character, took 0.086 ms (and a pattern anchored at each line start missed every
    other break of consecutive lines).
    """
    parts = []
    last = 0
    for match in _CJK_LINE_START.finditer(text):
        end = match.start()
        while end > last and text[end - 1] in " \t":
            end -= 1
        if end == last or not _IS_CJK.match(text, end - 1):
            continue
        if _HEADING.match(text, text.rfind("\n", 0, end) + 1):
            continue
        parts.append(text[last:end])
        last = match.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import markdown_it_pyrs

    parser = markdown_it_pyrs.MarkdownIt("zero")
    for rule in _RULES:
        parser.enable(rule)  # type: ignore[arg-type]  # (the stub lists names as a Literal)
    return parser


def _link(match: re.Match[str], rewrite: LinkRewrite | None) -> str:
    href, title, content = match[1], match[2] or "", match[3]
    if not is_safe_url(href):
        return content
    if rewrite is not None and not is_external(href):
        href = escape(rewrite(unescape(href)))
    return f'<a href="{href}"{title}>{content}</a>'


def _image(match: re.Match[str], image: ImageSource | None) -> str:
    src, alt = match[1], match[2]
    if not is_safe_url(src):
        return alt
    if is_external(src):
        return f'<a href="{src}">{alt or src}</a>'
    if image is not None:
        found = image(unescape(src))
        if found is None:
            return alt
        return f'<img src="{escape(found)}" alt="{alt}"{match[3] or ""} />'
    return match[0]
