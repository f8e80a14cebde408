"""Lint never falls over: every broken file gets its own finding, arbitrary input never raises."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmctl.adapters import documents, yaml_engine
from pmctl.domain.config import Settings
from pmctl.domain.lint import Finding, check_document
from tests.sample_postmortems import GOOD, TODAY, findings

ALIAS_BOMB = "\n".join(
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        *(
            f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


@pytest.mark.parametrize(
    ("raw", "rule", "line"),
    [
        (b"", "PM005", 1),
        (b"# Just a title\n", "PM006", 1),
        (b"---\nschema: 1\nid: x\n", "PM007", 1),
        (b"---\nschema: 1\nid: [unclosed\n---\n", "PM008", 3),
        (b"---\nschema: 1\nid: a\nid: b\n---\n", "PM009", 4),
        (b"---\nschema: 1\nid: !!python/object/apply:os.system ['ls']\n---\n", "PM010", 3),
        (f"---\n{ALIAS_BOMB}\n---\n".encode(), "PM011", 2),
        (b"---\n- a\n- b\n---\n", "PM012", 2),
        (b"---\njust a scalar\n---\n", "PM012", 2),
        ("---\ntitle: 障害\n---\n".encode("shift_jis"), "PM003", 2),
    ],
)
def test_each_broken_file_gets_its_own_finding(raw: bytes, rule: str, line: int) -> None:
    (finding,) = findings("", raw=raw)
    assert (finding.rule, finding.line) == (rule, line)
    assert finding.message
    assert finding.hint


@pytest.mark.parametrize("engine", ["yaml-rs", "pyyaml"])
@pytest.mark.parametrize(
    ("front", "second", "first"),
    [
        # A merge that kept both sides: the top-level owner after an action item's owner
        # was reported at the action item's (yaml-rs names the key only, not where).
        (
            "schema: 2\nowner: alice\naction_items:\n  - id: AI-1\n    owner: bob\n"
            "shared_with: []\nowner: dave\n",
            8,
            3,
        ),
        ("schema: 2\nstatus: draft\ntitle: X\n'status': closed\n", 5, 3),
        ("schema: 2\naction_items:\n  - id: AI-1\n    owner: bob\n    owner: carol\n", 6, 5),
    ],
)
def test_a_repeated_key_is_reported_at_the_second_naming_the_first(
    engine: str, front: str, second: int, first: int
) -> None:
    """A hand edit or a merge that kept both `status:` lines: lint points at the second and
    its hint at the first, so that the user sees both values."""
    with yaml_engine.fallback() if engine == "pyyaml" else contextlib.nullcontext():
        (finding,) = findings("", raw=f"---\n{front}---\n# X\n".encode())
    assert (finding.rule, finding.line) == ("PM009", second)
    assert f"the first is at line {first}" in finding.hint


@pytest.mark.parametrize("engine", ["yaml-rs", "pyyaml"])
def test_a_key_repeated_in_a_flow_mapping_is_reported_at_its_line(engine: str) -> None:
    """yaml-rs names the key only: found at no line start, it was reported at line 2."""
    raw = b"---\nschema: 2\ntitle: X\nimpact: {data_loss: true, data_loss: false}\n---\n"
    with yaml_engine.fallback() if engine == "pyyaml" else contextlib.nullcontext():
        (finding,) = findings("", raw=raw)
    assert (finding.rule, finding.line, finding.column) == ("PM009", 4, 27)


@pytest.mark.parametrize("quote", ['"', "'"])
@pytest.mark.parametrize("engine", ["yaml-rs", "pyyaml"])
def test_a_quote_never_closed_is_reported_where_it_opens(quote: str, engine: str) -> None:
    """yaml-rs said "invalid indentation in multiline quoted scalar", on the line after;
    PyYAML (the fallback engine) "found unexpected end of stream", after the closing `---`."""
    raw = f"---\nschema: 1\ntitle: {quote}Queue stall\nid: x\n---\n".encode()
    with yaml_engine.fallback() if engine == "pyyaml" else contextlib.nullcontext():
        (finding,) = findings("", raw=raw)
    assert (finding.rule, finding.line, finding.column) == ("PM008", 3, 8)
    assert "a quoted value that starts here is never closed" in finding.message


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("title: Outage: db down", 'quote the value: title: "Outage: db down"'),
        ("title: [P1] db down", 'quote the value: title: "[P1] db down"'),
        ('title: @channel "db" down', 'quote the value: title: "@channel \\"db\\" down"'),
        ("title: Fix: the cache # why", 'quote the value: title: "Fix: the cache" # why'),
        ("tags: [a, b", "fix the YAML syntax; quote values that contain `:` or `#`"),
        ("\tid: x", "indent with spaces: YAML does not allow tabs there"),
    ],
)
@pytest.mark.parametrize("engine", ["yaml-rs", "pyyaml"])
def test_a_yaml_error_hints_the_line_as_it_should_be(written: str, hint: str, engine: str) -> None:
    """Every YAML error got "quote values that contain `:` or `#`", where the value at fault
    started with `[` or `@` and the fix was one line that pmctl could write."""
    raw = f"---\nschema: 1\n{written}\nowner: x\n---\n".encode()
    with yaml_engine.fallback() if engine == "pyyaml" else contextlib.nullcontext():
        (finding,) = findings("", raw=raw)
    assert (finding.rule, finding.hint) == ("PM008", hint)


def test_a_file_of_lone_carriage_returns_is_named_so() -> None:
    """Lines ending in a lone CR (classic Mac OS) were "no YAML front matter: start the file
    with a `---` line", though it started with one."""
    (finding,) = findings("", raw=GOOD.replace("\n", "\r").encode())
    assert (finding.rule, finding.line) == ("PM006", 1)
    assert "lines end in a lone carriage return" in finding.message
    assert finding.hint.startswith("save the file with LF (or CRLF) line endings")


def test_a_git_lfs_pointer_is_named_so() -> None:
    """A CI checkout without LFS has pointer files where the postmortems are: each was "no
    YAML front matter: start the file with a `---` line", though the file in the editor
    has one."""
    pointer = (
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        b"size 12345\n"
    )
    (finding,) = findings("", raw=pointer)
    assert (finding.rule, finding.line) == ("PM006", 1)
    assert finding.message.startswith("a Git LFS pointer, not the postmortem")
    assert "git lfs pull" in finding.hint


def test_a_schema_newer_than_pmctls_says_to_upgrade_pmctl() -> None:
    (finding,) = findings("", raw=GOOD.replace("schema: 2", "schema: 3", 1).encode())
    assert (finding.rule, finding.hint) == (
        "PM020",
        "a newer pmctl wrote it (schema 3; this one reads up to 2): upgrade pmctl",
    )


def test_a_file_without_front_matter_is_pointed_to_import() -> None:
    """A team adopting pmctl lints the postmortems it already has: the hint said only how
    to write front matter by hand."""
    (finding,) = findings("", raw=b"# Database outage\n\n## Summary\n\nIt broke.\n")
    assert finding.rule == "PM006"
    assert "`pmctl import FILE`" in finding.hint


def test_a_bom_is_a_warning_and_the_rest_is_still_checked() -> None:
    found = findings("", raw=b"\xef\xbb\xbf" + GOOD.replace("SEV2", "SEV9").encode())
    assert [(f.rule, f.severity.value) for f in found] == [
        ("PM004", "warning"),
        ("PM024", "error"),
    ]


def test_crlf_line_endings_are_accepted() -> None:
    assert findings("", raw=GOOD.replace("\n", "\r\n").encode()) == []


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    (finding,) = check_document(documents.read(path), Settings(), today=TODAY)
    assert finding.rule == "PM001"
    assert "52,428,800 bytes" in finding.message


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    (finding,) = check_document(documents.read(tmp_path / "gone.md"), Settings(), today=TODAY)
    assert finding.rule == "PM002"


def test_every_schema_problem_is_reported_at_once() -> None:
    text = (
        GOOD.replace("severity: SEV2", "severity: [SEV2]")
        .replace("owner: alice\n", "")
        .replace("created: 2026-11-20", "created: 2026-13-01")
    )
    assert {f.rule for f in findings(text)} == {"PM020", "PM022", "PM023"}


def _check_never_raises(raw: bytes) -> list[Finding]:
    document = documents.parse_bytes(Path("postmortems/x.md"), raw)
    found = check_document(document, Settings(), today=TODAY)
    assert all(f.line >= 1 and f.column >= 1 and f.rule.startswith("PM") for f in found)
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_findings_never_an_exception(raw: bytes) -> None:
    _check_never_raises(raw)


FRAGMENTS = st.sampled_from(
    [
        "---\n",
        "schema: 1\n",
        "id: 2026-11-20-x\n",
        "status: reviewed\n",
        "created: 2026-02-30\n",
        "action_items:\n  - id: AI-1\n    title: x\n",
        "timestamps:\n  started: 2026-01-01T00:00:00Z\n",
        "## Summary\n",
        "## Timeline\n- 10:00 a\n- 09:00 b\n",
        "<!-- pmctl-disable PM401 -->\n",
        "<!-- pmctl:guide x -->\n",
        "<!-- pmctl:action-items:start -->\n",
        "```\n",
        "&a [1]\n",
        "*a\n",
        "\r\n",
        "\ufeff",
        "should have ミス\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=30))
def test_arbitrary_text_gives_findings_never_an_exception(parts: list[str]) -> None:
    _check_never_raises("".join(parts).encode("utf-8", errors="surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_front_matter_text_never_raises(text: str) -> None:
    _check_never_raises(f"---\n{text}\n---\n# Body\n".encode("utf-8", errors="surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GOOD)), st.integers(0, len(GOOD)), st.text(max_size=30))
def test_a_valid_postmortem_with_any_span_replaced_never_raises(
    first: int, second: int, text: str
) -> None:
    start, end = sorted((first, second))
    _check_never_raises((GOOD[:start] + text + GOOD[end:]).encode("utf-8", errors="surrogatepass"))


def test_a_latin_1_file_is_told_to_convert_from_cp1252_not_shift_jis() -> None:
    (finding,) = findings("", raw="---\ntitle: Café\n---\n".encode("latin-1"))
    assert finding.rule == "PM003"
    assert "CP1252 (Latin-1)" in finding.hint
    assert "SHIFT_JIS" not in finding.hint
