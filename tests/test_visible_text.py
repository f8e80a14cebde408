"""`visible`: text from outside pmctl, safe to print on a terminal."""

from __future__ import annotations

import pytest

from pmctl.domain.visible_text import visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("535 5.7.8 bad credentials", "535 5.7.8 bad credentials"),
        ("決済 API の遅延 ✓", "決済 API の遅延 ✓"),
        ("\x1b[2J\x1b]0;owned\x07", "\\x1b[2J\\x1b]0;owned\\x07"),
        ("line one\r\nline two\ttab", "line one\\r\\nline two\\ttab"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("abc\u202edcba\u2066x\u2028y", "abc\\u202edcba\\u2066x\\u2028y"),
    ],
)
def test_control_characters_are_spelled_out(text: str, shown: str) -> None:
    assert visible(text, limit=200) == shown


def test_long_text_is_cut_to_the_limit_with_a_note() -> None:
    shown = visible("x" * 10_000, limit=80)

    assert len(shown) == 80
    assert shown.endswith(" ... [cut, 10000 characters in all]")


def test_the_limit_counts_the_spelled_out_characters() -> None:
    shown = visible("\x1b" * 100, limit=60)

    assert len(shown) <= 60
    assert shown.startswith("\\x1b\\x1b")


def test_only_what_is_shown_is_spelled_out_and_the_note_counts_the_text_as_given() -> None:
    """A 100 MB multi-line reply of an SMTP server was spelled out whole (3 s, beyond the
    notification's time bound) and then cut to 500 characters; the note counted the
    spelled-out characters, 4 for each control character the server sent."""
    shown = visible("\x1b" * 1_000_000, limit=60)

    assert len(shown) <= 60
    assert shown.startswith("\\x1b\\x1b")
    assert shown.endswith(" ... [cut, 1000000 characters in all]")


def test_json_safe_escapes_what_json_leaves_raw_and_keeps_the_rest() -> None:
    import json

    from pmctl.domain.visible_text import json_safe

    value = {"title": "障害\x9b2J\u202eevil\u2028x", "n": "\x1b"}
    text = json_safe(json.dumps(value, ensure_ascii=False, indent=2))
    assert text == ('{\n  "title": "障害\\u009b2J\\u202eevil\\u2028x",\n  "n": "\\u001b"\n}')
    assert json.loads(text) == value
