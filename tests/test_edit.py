"""Surgical edits: exactly the lines that must change change, and the result reads back."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain import edit
from pmctl.domain.model import Postmortem, Status, Verdict
from pmctl.errors import DocumentError

DOCUMENT = """\
---
# Postmortem of incident 465 (コメント)
schema: 1
id: 2026-11-20-sonnet
title: "Shakespeare Sonnet++ の障害: 検索"   # quoted title
status: draft   # lifecycle status
severity: 'SEV1'
language: ja
owner: 山田
authors: [山田, "suzuki"]
created: 2026-11-23
timestamps:
  started: 2026-11-20T14:51:00+09:00
  detected: null
impact:
  user_visible_minutes: 66
  description: |
    検索が 66 分間利用できなかった。
    約 12 億件のクエリが失われた。
criteria: [user-visible-downtime, data-loss]
action_items:
  - id: AI-1
    title: "ロールバック手順を文書化"
    type: process
    owner: 佐藤
    priority: P1
    status: todo   # not yet
  - id: AI-2
    title: 監視の追加
    type: prevent
reviews: []  # filled by pmctl review
shared_with: []
---

# 本文

<!-- pmctl:action-items:start -->
old table
<!-- pmctl:action-items:end -->
"""


def changed(before: str, after: str) -> list[str]:
    """The `-`/`+` lines of a unified diff, without headers."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), n=0, lineterm="\n"
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def model(text: str) -> Postmortem:
    return documents.load_text(Path("x.md"), text)[1]


def test_set_value_changes_only_the_value_keeping_spacing_and_comment() -> None:
    after = edit.set_value(DOCUMENT, ("status",), Status.IN_REVIEW)
    assert changed(DOCUMENT, after) == [
        "-status: draft   # lifecycle status",
        "+status: in-review   # lifecycle status",
    ]
    assert model(after).status is Status.IN_REVIEW


def test_set_value_in_a_list_item_and_inserting_a_missing_key() -> None:
    after = edit.set_value(DOCUMENT, ("action_items", 0, "status"), "done")
    assert changed(DOCUMENT, after) == [
        "-    status: todo   # not yet",
        "+    status: done   # not yet",
    ]
    after = edit.set_value(after, ("action_items", 1, "owner"), "鈴木 花子")
    assert changed(DOCUMENT, after)[-1] == "+    owner: 鈴木 花子"
    items = model(after).action_items
    assert [item.status.value for item in items] == ["done", "todo"]
    assert items[1].owner == "鈴木 花子"


def test_set_value_inserts_top_level_and_nested_keys_at_the_end_of_their_mapping() -> None:
    after = edit.set_value(DOCUMENT, ("incident",), "465")
    after = edit.set_value(
        after, ("timestamps", "mitigated"), dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
    )
    assert changed(DOCUMENT, after) == [
        "+  mitigated: 2026-11-20T15:00:00+00:00",
        '+incident: "465"',
    ]
    parsed = model(after)
    assert parsed.incident == "465"
    assert parsed.timestamps.mitigated == dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def test_set_value_replaces_a_block_scalar_whole() -> None:
    after = edit.set_value(DOCUMENT, ("impact", "description"), "short: with a colon")
    assert changed(DOCUMENT, after) == [
        "-  description: |",
        "-    検索が 66 分間利用できなかった。",
        "-    約 12 億件のクエリが失われた。",
        '+  description: "short: with a colon"',
    ]
    assert model(after).impact.description == "short: with a colon"


def test_set_value_refuses_what_it_cannot_edit_safely() -> None:
    with pytest.raises(DocumentError):
        edit.set_value(DOCUMENT, ("action_items", 5, "status"), "done")
    with pytest.raises(DocumentError):
        edit.set_value("no front matter\n", ("status",), "draft")
    flow = DOCUMENT.replace(
        "  - id: AI-2\n    title: 監視の追加\n    type: prevent\n", "  - {id: AI-2, title: x}\n"
    )
    with pytest.raises(DocumentError, match="flow mapping"):
        edit.set_value(flow, ("action_items", 1, "status"), "done")


def test_append_item_turns_an_empty_flow_list_into_a_block_list() -> None:
    review = {
        "reviewer": "Bob Reviewer",
        "date": dt.date(2026, 11, 24),
        "verdict": Verdict.APPROVED,
        "checklist": {"key-data": True, "impact": False},
        "notes": '良い\nline 2 "quoted"',
    }
    after = edit.append_item(DOCUMENT, "reviews", review)
    assert changed(DOCUMENT, after) == [
        "-reviews: []  # filled by pmctl review",
        "+reviews:  # filled by pmctl review",
        "+  - reviewer: Bob Reviewer",
        "+    date: 2026-11-24",
        "+    verdict: approved",
        "+    checklist:",
        "+      key-data: true",
        "+      impact: false",
        '+    notes: "良い\\nline 2 \\"quoted\\""',
    ]
    again = edit.append_item(
        after,
        "reviews",
        {"reviewer": "carol", "date": dt.date(2026, 11, 25), "verdict": "changes-requested"},
    )
    assert changed(after, again) == [
        "+  - reviewer: carol",
        "+    date: 2026-11-25",
        "+    verdict: changes-requested",
    ]
    reviews = model(again).reviews
    assert [r.reviewer for r in reviews] == ["Bob Reviewer", "carol"]
    assert reviews[0].notes == '良い\nline 2 "quoted"'
    assert reviews[0].checklist == {"key-data": True, "impact": False}


def test_append_item_copies_the_indentation_of_existing_items() -> None:
    indentless = DOCUMENT.replace("  - id: AI-1\n    title", "- id: AI-1\n  title").replace(
        "    type: process\n    owner: 佐藤\n    priority: P1\n    status: todo   # not yet\n  - id: AI-2\n    title: 監視の追加\n    type: prevent\n",
        "  type: process\n",
    )
    after = edit.append_item(indentless, "action_items", {"id": "AI-2", "title": "x"})
    assert changed(indentless, after) == ["+- id: AI-2", "+  title: x"]
    assert [item.id for item in model(after).action_items] == ["AI-1", "AI-2"]


def test_append_item_creates_a_missing_key_and_refuses_a_flow_list() -> None:
    without = DOCUMENT.replace("shared_with: []\n", "")
    after = edit.append_item(without, "action_items", {"id": "AI-3", "title": "t"})
    assert model(after).action_items[-1].id == "AI-3"
    with pytest.raises(DocumentError, match="not a block list"):
        edit.append_item(DOCUMENT, "criteria", {"id": "x"})


def test_replace_region_keeps_the_markers() -> None:
    after = edit.replace_region(
        DOCUMENT,
        "<!-- pmctl:action-items:start -->",
        "<!-- pmctl:action-items:end -->",
        "| a |\n| b |",
    )
    assert changed(DOCUMENT, after) == ["-old table", "+| a |", "+| b |"]
    with pytest.raises(DocumentError, match="markers"):
        edit.replace_region(DOCUMENT, "<!-- nope -->", "<!-- pmctl:action-items:end -->", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (3, "3"),
        (dt.date(2026, 1, 2), "2026-01-02"),
        ("in-review", "in-review"),
        ("Bob Reviewer", "Bob Reviewer"),
        ("山田 太郎", "山田 太郎"),
        ("yes", '"yes"'),
        ("Null", '"Null"'),
        ("1.5e3", '"1.5e3"'),
        ("465", '"465"'),
        ("a: b", '"a: b"'),
        ("x # y", '"x # y"'),
        ("trailing ", '"trailing "'),
        ("", '""'),
        ("tab\tand\u2028", '"tab\\tand\\u2028"'),
    ],
)
def test_format_scalar_reads_back_as_the_same_value(value: object, expected: str) -> None:
    assert edit.format_scalar(value) == expected
    text = DOCUMENT.replace("  detected: null\n", f"  detected: null\n  probe: {expected}\n")
    from pmctl.adapters import yaml_engine

    front = text.split("---\n")[1]
    # The reader leaves dates as ISO text; the models turn them into dates.
    read_back = value.isoformat() if isinstance(value, dt.date) else value
    assert yaml_engine.parse(front)["timestamps"]["probe"] == read_back
