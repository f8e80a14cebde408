"""`pmctl import` of files shaped the way real repositories shape them by accident: numbers
no parser will convert, line endings of other systems, other encodings, odd file names.
Each case was found by feeding such a file to a real import."""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.domain.importing import ImportResult
from pmctl.domain.project import Project
from pmctl.errors import ExitCode
from pmctl.services.importing import ImportRequest, import_postmortems
from tests.conftest import git, run_cli, run_process, without_root_powers

TODAY = dt.date(2026, 11, 23)
BODY = "# Search outage\n\n## Summary\n\nSearch was down.\n\n## Timeline\n\n- 10:00 alert\n"
HUGE = "1" + "0" * 5000


SRE = ("--owner", "sre", "--severity", "SEV3")


def legacy(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """A directory of old postmortems holding one file, `name`, of `content`."""
    source = tmp_path / "legacy"
    source.mkdir()
    data = content.encode("utf-8") if isinstance(content, str) else content
    (source / name).write_bytes(data)
    return source


def dry_run(project: Project, source: Path) -> ImportResult:
    request = ImportRequest(sources=(source,), owner="sre", severity="SEV3", dry_run=True)
    return import_postmortems(project, request, today=TODAY)


@pytest.mark.parametrize(
    ("front_matter", "line"),
    [
        (f'{{"title": "Search outage",\n\n"ticket": {HUGE}}}\n', 3),
        (f"---\ntitle: Search outage\n\nticket: {HUGE}\n---\n", 4),
        (f'+++\ntitle = "Search outage"\n\nticket = {HUGE}\n+++\n', 4),
    ],
    ids=["JSON", "YAML", "TOML"],
)
def test_a_number_too_long_to_convert_is_refused_at_its_line(
    repo: Project, tmp_path: Path, front_matter: str, line: int
) -> None:
    """Python converts no integer of more than 4,300 digits: in JSON front matter that was
    exit 70, in YAML and TOML a refusal at the wrong line naming
    `sys.set_int_max_str_digits()`."""
    source = legacy(tmp_path, "2024-01-01-outage.md", front_matter + BODY)
    result = run_cli(repo.root, "import", str(source), "--dry-run", "--severity", "SEV3")
    assert result.returncode == ExitCode.LINT_FAILED, result.stderr
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith(f"2024-01-01-outage.md:{line}")
    assert refused.reason.endswith("a number of more than 4,300 digits (quote it)")


def test_a_file_with_lone_cr_line_breaks_is_imported_with_lf(repo: Project, tmp_path: Path) -> None:
    """A file saved with classic Mac OS line breaks (a lone CR, which Markdown reads as a
    line break) was skipped as 'not a postmortem: 0 postmortem sections'; one lone CR among
    LFs joined two timeline entries into one."""
    source = tmp_path / "legacy"
    source.mkdir()
    text = BODY + "- 10:30 fixed\n\n## Action items\n\n- [ ] Alert on the index size\n"
    (source / "2024-01-01-mac.md").write_bytes(text.replace("\n", "\r").encode())
    mixed = text.replace("\n- 10:30", "\r- 10:30")
    (source / "2024-01-02-mixed.md").write_bytes(mixed.encode())
    (source / "2024-01-03-latin1.md").write_bytes(b"# T\r\r## Summary\r\r\xe9\r")
    result = dry_run(repo, source)
    assert [plan.timeline.entries for plan in result.planned if plan.timeline] == [2, 2]
    for plan in result.planned:
        assert "\r" not in plan.text
        assert "\n- 10:00 alert\n- 10:30 fixed\n" in plan.text
    (refused,) = result.refused
    assert refused.source.endswith("2024-01-03-latin1.md:5")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_file_in_utf_16_or_32_with_its_byte_order_mark_is_imported(
    repo: Project, tmp_path: Path, encoding: str
) -> None:
    """Windows tools and wiki exports write UTF-16 with a byte-order mark: such a file was
    skipped as 'not text (it holds NUL bytes)'. The mark says the encoding for certain."""
    source = tmp_path / "legacy"
    source.mkdir()
    text = "---\ntitle: 検索の障害\ndate: 2024-01-01\n---\n" + BODY
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode(encoding)
    (source / "2024-01-01-outage.md").write_bytes(data)
    (plan,) = dry_run(repo, source).planned
    assert plan.text.endswith(BODY)
    assert ("title", "検索の障害") in [(field.field, field.value) for field in plan.fields]


def test_a_byte_not_utf_8_after_a_byte_order_mark_is_named_as_it_is(
    repo: Project, tmp_path: Path
) -> None:
    """The byte named was three bytes before the one that is not UTF-8 (the mark's length)."""
    source = legacy(tmp_path, "2024-01-01-cafe.md", b"\xef\xbb\xbf# T\n\n## Summary\n\ncaf\xe9\n")
    (refused,) = dry_run(repo, source).refused
    assert (refused.source.rsplit("/", 1)[1], refused.reason) == (
        "2024-01-01-cafe.md:5",
        "byte 0xe9 is not valid UTF-8",
    )


def test_a_line_break_or_escape_in_a_source_name_stays_spelled_out_in_the_commit(
    repo: Project, tmp_path: Path
) -> None:
    """A file named with a line break split its `path -> id` line of the commit message in
    two, and an escape in the source directory's name went into `Pmctl-Import-Source` raw,
    to be played on the terminal of whoever ran `git log`."""
    source = tmp_path / "old\x1b[2Jpostmortems"
    source.mkdir()
    (source / "2024-01-01-two\nlines.md").write_text(BODY, encoding="utf-8")
    request = ImportRequest(sources=(source,), owner="sre", severity="SEV3")
    assert import_postmortems(repo, request, today=TODAY).commit is not None
    message = git(repo.root, "log", "-1", "--format=%B")
    assert "\x1b" not in message
    assert "\n2024-01-01-two\\nlines.md -> 2024-01-01-search-outage\n" in message
    assert f"Pmctl-Import-Source: {tmp_path}/old\\x1b[2Jpostmortems\n" in message


def _one_gibibyte_of_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_billion_laughs_in_a_mapped_key_are_noted_in_a_few_characters(
    repo: Project, tmp_path: Path
) -> None:
    """Nine lines of YAML aliases make a `title` of 387 million items: the note that it is
    not a text wrote all of them first (a minute, then MemoryError: exit 70)."""
    lines = ["---", "date: 2024-01-01", "l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["title: *l8", "---", BODY]
    source = legacy(tmp_path, "2024-01-01-laughs.md", "\n".join(lines))
    result = run_process(
        repo.root,
        *("import", str(source), "--dry-run", "--owner", "sre", "--severity", "SEV3"),
        limits=_one_gibibyte_of_memory,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "front matter `title`: [[[[...], [...], [...], [...], ...], ... is not a text" in (
        result.stdout
    )


def test_a_refusal_for_a_missing_field_says_why_the_value_mapped_to_it_was_not_taken(
    repo: Project, tmp_path: Path
) -> None:
    """`date: 20230214` (an integer to YAML) was refused as 'no incident date: none
    mapped', with the hint to map the key that was mapped; the note saying why its value
    was left empty is shown only for a file imported, not for one refused."""
    source = tmp_path / "legacy"
    source.mkdir()
    front_matter = "---\ntitle: Outage\ndate: 20230214\nowner: [ann, bo]\n---\n"
    (source / "outage.md").write_text(front_matter + BODY, encoding="utf-8")
    request = ImportRequest(sources=(source,), severity="SEV3", dry_run=True)
    (refused,) = import_postmortems(repo, request, today=TODAY).refused
    assert refused.reason == (
        "no incident date: front matter `date`: 20230214 is not a date, none in the file "
        "name, no dated timeline entry, none in the title"
    )
    (source / "2023-02-14-outage.md").write_text(front_matter + BODY, encoding="utf-8")
    (source / "outage.md").unlink()
    (refused,) = import_postmortems(repo, request, today=TODAY).refused
    assert refused.reason == "no owner: front matter `owner`: ['ann', 'bo'] is not a text"


def test_symbolic_links_in_a_directory_imported_are_not_followed(
    repo: Project, tmp_path: Path
) -> None:
    """A link to a postmortem of the same directory imported it twice (as `-2`); a link
    leading out of it took a file from anywhere on the machine into the commit; a link to a
    directory was passed over without a word. Each is skipped, naming its target."""
    source = tmp_path / "legacy"
    (source / "2024").mkdir(parents=True)
    (source / "2024" / "2024-01-01-outage.md").write_text(BODY, encoding="utf-8")
    (source / "latest.md").symlink_to("2024/2024-01-01-outage.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "2024-02-02-private.md").write_text(BODY, encoding="utf-8")
    (source / "2024-02-02-private.md").symlink_to(elsewhere / "2024-02-02-private.md")
    (source / "shared").symlink_to(elsewhere)
    result = dry_run(repo, source)
    assert [plan.origin.path for plan in result.planned] == ["2024/2024-01-01-outage.md"]
    assert sorted((Path(item.source).name, item.reason) for item in result.skipped) == [
        (
            "2024-02-02-private.md",
            f"a symbolic link (to {elsewhere}/2024-02-02-private.md): not followed; "
            "name its target to import it",
        ),
        (
            "latest.md",
            "a symbolic link (to 2024/2024-01-01-outage.md): not followed; "
            "name its target to import it",
        ),
        ("shared", f"a symbolic link (to {elsewhere}): not followed; name its target to import it"),
    ]
    named = dry_run(repo, source / "2024-02-02-private.md")
    assert [plan.origin.path for plan in named.planned] == ["2024-02-02-private.md"]


def test_a_mapping_file_that_is_a_directory_or_a_pipe_is_said_to_be_one(
    repo: Project, tmp_path: Path
) -> None:
    """`--map` of a directory, a named pipe or a dangling link said 'does not exist'."""
    (tmp_path / "dir.toml").mkdir()
    os.mkfifo(tmp_path / "fifo.toml")
    for given, problem in [
        (tmp_path / "dir.toml", "is not a file: a directory"),
        (tmp_path / "fifo.toml", "is not a file: a pipe, socket or device"),
        (tmp_path / "none.toml", "does not exist"),
    ]:
        result = run_cli(repo.root, "import", str(repo.root), "--dry-run", "--map", str(given))
        assert result.returncode == ExitCode.CONFIG
        assert f"mapping file {given} {problem}" in result.stderr


@pytest.mark.parametrize(
    ("front_matter", "shown"),
    [
        ('+++\ntitle = "Outage"\ndate = 07:32:00\n+++\n', "07:32:00"),
        ("---\ntitle: Outage\ndate: [2023-02-14, 2023-02-15]\n---\n", "[2023-02-14, 2023-02-15]"),
    ],
    ids=["TOML time", "YAML list of dates"],
)
def test_a_date_or_time_not_taken_is_shown_as_written(
    repo: Project, tmp_path: Path, front_matter: str, shown: str
) -> None:
    """They were shown as Python writes them: `datetime.time(7, 32)`,
    `[datetime.date(2023, 2, 14), ...]`."""
    source = legacy(tmp_path, "outage.md", front_matter + BODY)
    (refused,) = dry_run(repo, source).refused
    assert refused.reason.startswith(f"no incident date: front matter `date`: {shown} is not")


def on_disk(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if ".git" not in path.parts)


def test_a_file_where_a_year_directory_must_be_fails_the_import_and_leaves_no_trace(
    repo: Project, tmp_path: Path
) -> None:
    """`postmortems/2024` a file: mkdir failed, then putting back the files written failed
    in turn (NotADirectoryError), and the import ended with exit 70."""
    source = legacy(tmp_path, "2023-05-05-earlier.md", BODY)
    (source / "2024-01-01-outage.md").write_text(BODY, encoding="utf-8")
    (repo.postmortem_dir / "2024").write_text("not a directory\n", encoding="utf-8")
    before = on_disk(repo.root)
    status = git(repo.root, "status", "--porcelain")
    result = run_cli(repo.root, "import", str(source), "--owner", "sre", "--severity", "SEV3")
    assert result.returncode == ExitCode.FILE_SYSTEM, result.stderr
    assert (
        "2024/2024-01-01-search-outage.md: postmortems/2024 is a file, not a directory"
        in result.stderr
    )
    assert on_disk(repo.root) == before
    assert git(repo.root, "status", "--porcelain") == status


def test_a_year_directory_linked_out_of_the_repository_is_refused_before_writing(
    repo: Project, tmp_path: Path
) -> None:
    """`postmortems/2024` a link to a directory elsewhere: `pmctl new` refused it (exit 6),
    the import ended with exit 70 (ValueError) and a dry run planned the file there."""
    source = legacy(tmp_path, "2024-01-01-outage.md", BODY)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo.postmortem_dir / "2024").symlink_to(elsewhere)
    status = git(repo.root, "status", "--porcelain")
    for dry in (["--dry-run"], []):
        result = run_cli(
            repo.root, "import", str(source), *dry, "--owner", "sre", "--severity", "SEV3"
        )
        assert result.returncode == ExitCode.DOCUMENT, result.stderr
        assert f"leads to {elsewhere}/2024-01-01-search-outage.md" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert git(repo.root, "status", "--porcelain") == status


def test_a_directory_then_a_part_of_it_imports_nothing_twice(repo: Project, tmp_path: Path) -> None:
    """A directory that is no git repository is the base of its files' origin paths: after
    importing it, importing a directory or a file in it imported the same files again, as
    `-2` postmortems (and the other way round)."""
    source = tmp_path / "wiki-export"
    (source / "2024").mkdir(parents=True)
    (source / "2024" / "2024-01-01-outage.md").write_text(BODY, encoding="utf-8")
    first = ImportRequest(sources=(source / "2024",), owner="sre", severity="SEV3")
    assert import_postmortems(repo, first, today=TODAY).commit is not None
    for again in (source, source / "2024" / "2024-01-01-outage.md"):
        result = dry_run(repo, again)
        assert result.planned == ()
        assert [item.reason for item in result.skipped] == [
            "imported before, as 2024-01-01-search-outage"
        ]


def test_a_directory_that_cannot_be_listed_is_refused_not_passed_over(
    repo: Project, tmp_path: Path
) -> None:
    """`os.walk` passes over a directory it cannot list without a word: the postmortems in
    it were not imported, and nothing said so."""
    prefix = without_root_powers()
    source = tmp_path / "legacy"
    (source / "locked").mkdir(parents=True)
    (source / "locked" / "2024-01-01-outage.md").write_text(BODY, encoding="utf-8")
    (source / "2024-01-02-outage.md").write_text(BODY, encoding="utf-8")
    if prefix:
        os.chown(source / "locked", 12345, 12345)
    (source / "locked").chmod(0)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "pmctl", "import", str(source), "--dry-run", *SRE],
            cwd=repo.root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        )
    finally:
        (source / "locked").chmod(0o755)
    assert result.returncode == ExitCode.LINT_FAILED, result.stderr
    assert "legacy/locked: cannot be read: Permission denied" in result.stdout
    assert "make the directory readable" in result.stdout


def test_a_postmortem_imported_but_never_committed_is_said_to_be(
    repo: Project, tmp_path: Path
) -> None:
    """An import killed (SIGKILL, a power cut) after writing its files and before its commit
    leaves them all there, none committed; the next import skipped every source as
    'imported before' and said 'nothing to import', as if all were well."""
    source = legacy(tmp_path, "2024-01-01-outage.md", BODY)
    request = ImportRequest(sources=(source,), owner="sre", severity="SEV3")
    assert import_postmortems(repo, request, today=TODAY).commit is not None
    assert [item.reason for item in dry_run(repo, source).skipped] == [
        "imported before, as 2024-01-01-search-outage"
    ]
    git(repo.root, "reset", "--quiet", "HEAD~1")  # the files written, no commit made
    assert [item.reason for item in dry_run(repo, source).skipped] == [
        "imported before, as 2024-01-01-search-outage (not committed: commit it, or remove "
        "it to import it again)"
    ]


def test_a_page_bundles_index_md_is_read_as_the_postmortem_of_its_directory(
    repo: Project, tmp_path: Path
) -> None:
    """Hugo keeps a page and its images in a directory, the page as `index.md` (a page
    bundle; Docusaurus and Jekyll folder pages too): every such postmortem was skipped as
    'not a postmortem (index.md)'. A section's `_index.md` is still no postmortem."""
    posts = tmp_path / "site" / "content" / "postmortems"
    (posts / "2023-03-02-cache-stampede").mkdir(parents=True)
    (posts / "2023-03-02-cache-stampede" / "index.md").write_text(BODY, encoding="utf-8")
    (posts / "db").mkdir()
    toml = '+++\ntitle = "Database failover"\ndate = 2023-03-01\n+++\n'
    (posts / "db" / "index.md").write_text(toml + BODY, encoding="utf-8")
    (posts / "_index.md").write_text('+++\ntitle = "Postmortems"\n+++\n' + BODY, encoding="utf-8")
    result = dry_run(repo, tmp_path / "site")
    assert sorted(plan.id for plan in result.planned) == [
        "2023-03-01-database-failover",
        "2023-03-02-search-outage",
    ]
    assert [(Path(item.source).name, item.reason) for item in result.skipped] == [
        ("_index.md", "not a postmortem (_index.md)")
    ]


def test_a_json_string_left_open_is_refused_with_a_whole_sentence(
    repo: Project, tmp_path: Path
) -> None:
    """It said 'invalid JSON front matter: Invalid control character at', the position
    the parser's message ends with cut off."""
    source = legacy(tmp_path, "2024-01-01-outage.md", '{"title": "x",\n"note": "abc\n' + BODY)
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith("2024-01-01-outage.md:2")
    assert refused.reason == (
        "invalid JSON front matter: a line break or tab inside a string "
        "(is a closing quote missing?)"
    )


@pytest.mark.parametrize(
    ("opening", "reason"),
    [
        ('notes = """The cache', "Unterminated string"),
        ('tags = [\n  "cache",', "Invalid value"),
    ],
    ids=["string", "array"],
)
def test_toml_never_closed_is_refused_where_it_opens(
    repo: Project, tmp_path: Path, opening: str, reason: str
) -> None:
    """tomllib says only '(at end of document)': the refusal pointed at the block's first
    line, wherever the string or array that is never closed opens."""
    source = tmp_path / "legacy"
    source.mkdir()
    toml = f'+++\ntitle = "Cache"\n\n{opening}\n\n+++\n'
    (source / "2024-01-01-outage.md").write_text(toml + BODY, encoding="utf-8")
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith("2024-01-01-outage.md:4")
    assert refused.reason == f"invalid TOML front matter: {reason}: what opens here is never closed"


def test_an_impossible_date_in_the_file_name_is_named_in_the_refusal(
    repo: Project, tmp_path: Path
) -> None:
    """`2023-02-30-outage.md` was refused with 'none in the file name'."""
    source = legacy(tmp_path, "2023-02-30-outage.md", BODY)
    (refused,) = dry_run(repo, source).refused
    assert refused.reason == (
        "no incident date: none mapped, 2023-02-30 in the file name is no date, "
        "no dated timeline entry, none in the title"
    )
