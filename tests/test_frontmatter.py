"""Splitting documents and finding the line of a key, without a second YAML parse."""

from pmctl.domain.frontmatter import key_line, split

DOCUMENT = """---
schema: 1
# a comment
id: 2026-11-23-x
action_items:
- id: AI-1
  title: first
- id: AI-2
  title: second
  owner: bob
timestamps:
  started: 2026-11-23T10:00:00Z
  detected: nonsense
reviews:
  - reviewer: carol
    verdict: approved
---
# Title
"""


def test_split_reports_where_front_matter_and_body_start() -> None:
    parts = split(DOCUMENT)
    assert parts.closed
    assert parts.front_matter_line == 2
    assert parts.front_matter is not None
    assert parts.front_matter.startswith("schema: 1\n")
    assert parts.body == "# Title\n"
    assert parts.body_line == 18


def test_split_without_fence_or_closing_fence() -> None:
    assert split("# just markdown\n").front_matter is None
    unclosed = split("---\nid: x\n")
    assert unclosed.front_matter == "id: x\n"
    assert not unclosed.closed


def test_key_line_follows_mappings_and_sequence_items() -> None:
    front = split(DOCUMENT).front_matter or ""
    assert key_line(front, ("id",)) == 2
    assert key_line(front, ("action_items", 1, "owner")) == 8
    assert key_line(front, ("action_items", 1, "title")) == 7
    assert key_line(front, ("timestamps", "detected")) == 11
    assert key_line(front, ("reviews", 0, "verdict")) == 14


def test_key_line_falls_back_to_the_deepest_ancestor() -> None:
    front = split(DOCUMENT).front_matter or ""
    assert key_line(front, ("action_items", 0, "owner")) == 4
    assert key_line(front, ("missing",)) is None
