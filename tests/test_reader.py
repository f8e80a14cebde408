"""The one reader turns any bytes into a document plus problems with positions; it never raises."""

import os
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.document import ParsedDocument
from pmctl.errors import DocumentError

GOOD = (
    "---\nschema: 1\nid: 2026-11-23-x\ntitle: X\nseverity: SEV2\nowner: alice\n"
    "created: 2026-11-23\n---\n# X\n"
)


def parse(raw: bytes) -> ParsedDocument:
    return documents.parse_bytes(Path("pm.md"), raw)


def codes(raw: bytes) -> list[str]:
    return [problem.code for problem in parse(raw).problems]


def test_a_good_document_has_no_problems() -> None:
    document = parse(GOOD.encode())
    assert document.problems == ()
    assert document.data["id"] == "2026-11-23-x"
    assert document.body_line == 9


def test_crlf_is_accepted_and_remembered() -> None:
    document = parse(GOOD.replace("\n", "\r\n").encode())
    assert document.problems == ()
    assert document.crlf
    assert "\r" not in document.text


def test_bom_is_reported_but_the_document_is_still_read() -> None:
    document = parse(b"\xef\xbb\xbf" + GOOD.encode())
    assert [p.code for p in document.problems] == ["bom"]
    assert document.data["title"] == "X"


def test_non_utf8_points_at_the_line_of_the_bad_byte() -> None:
    raw = GOOD.encode().replace(b"title: X", "title: 障害".encode("shift_jis"))
    (problem,) = parse(raw).problems
    assert problem.code == "encoding"
    assert problem.line == 4


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"# no front matter\n", "no-front-matter"),
        (b"---\nid: x\n", "unclosed-front-matter"),
        (b"---\n- a\n- b\n---\n", "front-matter-not-mapping"),
        (b"---\njust a scalar\n---\n", "front-matter-not-mapping"),
        (b"---\n---\n", "front-matter-not-mapping"),
        (b"---\nid: [unclosed\n---\n", "yaml"),
        (b"---\nid: a\nid: b\n---\n", "yaml"),
        (b"---\nid: !!python/object/apply:os.system ['ls']\n---\n", "yaml"),
        (b"bin\x00ary", "encoding"),
    ],
)
def test_each_kind_of_bad_document_gets_its_own_problem(raw: bytes, code: str) -> None:
    assert codes(raw) == [code]


def test_yaml_errors_carry_the_file_line() -> None:
    (problem,) = parse(b"---\nschema: 1\nid: a\nid: b\n---\n").problems
    assert problem.line == 4
    assert "duplicate key 'id'" in problem.message


def test_alias_bombs_are_refused() -> None:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x,x]"]
    for index, name in enumerate("bcdefghij"):
        previous = "abcdefghij"[index]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    raw = ("---\n" + "\n".join(lines) + "\n---\n").encode()
    assert codes(raw) == ["yaml"]


def test_huge_files_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"---\n" + b"x" * (documents.MAX_BYTES + 1))
    assert [p.code for p in documents.read(path).problems] == ["too-large"]


def test_read_with_stat_gives_the_stat_of_the_file_read(tmp_path: Path) -> None:
    path = tmp_path / "good.md"
    path.write_text(GOOD, encoding="utf-8")
    document, stat = documents.read_with_stat(path)
    assert document.text == GOOD
    assert stat is not None
    assert (stat.st_ino, stat.st_size) == (path.stat().st_ino, path.stat().st_size)
    assert documents.read_with_stat(tmp_path)[1] is None
    assert [p.code for p in documents.read(tmp_path).problems] == ["unreadable"]


def test_a_file_that_grew_after_its_stat_is_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "grown.md"
    path.write_bytes(b"x" * 100_000)
    descriptor = os.open(path, os.O_RDONLY)
    try:
        assert documents._read_all(descriptor, 10) == b"x" * 100_000
    finally:
        os.close(descriptor)


def test_load_raises_a_document_error_at_the_line_of_the_bad_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text(GOOD.replace("created: 2026-11-23", "created: 2026-02-30"), encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        documents.load(path)
    assert raised.value.location == f"{path}:7"
    assert "created" in raised.value.message


def test_a_quoted_date_in_a_text_field_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(GOOD.replace("title: X", 'title: "2026-01-02"'), encoding="utf-8")
    _, postmortem = documents.load(path)
    assert postmortem.title == "2026-01-02"
    assert postmortem.created.isoformat() == "2026-11-23"


@pytest.mark.parametrize(
    ("yaml", "key", "value"),
    [
        (
            "summary: |\n  we saw !important in the logs\n",
            "summary",
            "we saw !important in the logs\n",
        ),
        ("summary: >\n  !first\n  !second\n", "summary", "!first !second\n"),
        ('title: "Deploy !fast"\n', "title", "Deploy !fast"),
        ("title: '!fast deploy'\n", "title", "!fast deploy"),
        ('title: "Deploy\n  !fast"\n', "title", "Deploy !fast"),
        ("title: Deploy !fast\n", "title", "Deploy !fast"),
        ("title: Deploy\n  !fast\n", "title", "Deploy !fast"),
        ("# !todo\ntitle: X # !later\n", "title", "X"),
        ("tags: [a!, 'b !c']\n", "tags", ["a!", "b !c"]),
    ],
)
def test_an_exclamation_mark_that_is_text_is_not_a_tag(yaml: str, key: str, value: object) -> None:
    document = parse(f"---\n{yaml}---\n".encode())
    assert document.problems == ()
    assert document.data[key] == value


@pytest.mark.parametrize(
    ("yaml", "tag", "line", "column"),
    [
        ("id: !!python/object/apply:os.system ['ls']\n", "!!python/object/apply:os.system", 2, 5),
        ("# !todo\nsummary: |\n  !text\ntitle: !foo X\n", "!foo", 5, 8),
        ('title: "!quoted"\nowner: !<tag:yaml.org,2002:str> a\n', "!<tag:yaml.org,2002:str>", 3, 8),
        ("tags: [a, !x b]\n", "!x", 2, 11),
        ("tags: [a,!x]\n", "!x", 2, 10),
        ("items:\n  - &first !t x\n", "!t", 3, 12),
        ("!root\ntitle: X\n", "!root", 2, 1),
    ],
)
def test_a_real_tag_is_refused_at_its_line(yaml: str, tag: str, line: int, column: int) -> None:
    (problem,) = parse(f"---\n{yaml}---\n".encode()).problems
    assert problem.code == "yaml"
    assert f"YAML tag {tag!r} is not allowed" in problem.message
    assert (problem.line, problem.column) == (line, column)


def test_a_tag_directive_is_refused() -> None:
    (problem,) = parse(b"---\n%TAG ! tag:example.com,2026:\n--- !x\ntitle: X\n---\n").problems
    assert problem.code == "yaml"
    assert "YAML tag directive %TAG is not allowed" in problem.message
    assert problem.line == 2
