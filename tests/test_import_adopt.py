"""`pmctl import` of postmortems as other tools and teams leave them: front matter a merge
kept both sides of, dates only in the title, converters' exports (`.mdx`, setext headings,
UTF-16 without a byte-order mark, Latin-1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.project import Project
from pmctl.services.importing import ImportRequest, import_postmortems
from tests.test_import_inputs import BODY, TODAY, dry_run, legacy


@pytest.mark.parametrize(
    ("front_matter", "key", "first", "second"),
    [
        (
            "---\ntitle: DB outage\nstatus: draft\nowner: alice\nstatus: closed\n---\n",
            "status",
            3,
            5,
        ),
        ('{"title": "DB outage", "owner": "alice",\n "owner": "bob"}\n', "owner", 1, 2),
        ("---\ntitle: DB outage\nowner: {name: a, name: b}\n---\n", "name", 3, 3),
    ],
    ids=["YAML", "JSON", "YAML-flow"],
)
def test_a_key_given_twice_in_foreign_front_matter_is_refused_naming_both_lines(
    repo: Project, tmp_path: Path, front_matter: str, key: str, first: int, second: int
) -> None:
    """PyYAML and json keep the last of a repeated key without a word: a merge that kept
    both `status:` lines was imported with one of them, the other dropped."""
    source = legacy(tmp_path, "2024-03-01-db.md", front_matter + BODY)
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith(f"2024-03-01-db.md:{second}")
    assert f"key {key!r} is given twice" in refused.reason
    assert f"the first is at line {first}" in refused.hint


def test_a_key_given_twice_in_toml_front_matter_is_named_as_such(
    repo: Project, tmp_path: Path
) -> None:
    source = legacy(tmp_path, "2024-03-01-db.md", '+++\nowner = "a"\nowner = "b"\n+++\n' + BODY)
    (refused,) = dry_run(repo, source).refused
    assert refused.source.endswith(":3")
    assert "a key given twice" in refused.reason


def test_a_yaml_merge_key_overridden_is_no_repetition(repo: Project, tmp_path: Path) -> None:
    front = "---\nbase: &b {owner: alice}\nmeta:\n  <<: *b\n  owner: bob\n---\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "2024-03-01-db.md", front + BODY)).planned
    assert plan.id.startswith("2024-03-01")


@pytest.mark.parametrize(
    ("title", "date", "slug"),
    [
        ("DB outage 2024-03-01", "2024-03-01", "db-outage"),
        ("2024/03/01 Queue stall", "2024-03-01", "queue-stall"),
        ("2024年3月1日 Queue stall", "2024-03-01", "queue-stall"),
        ("DB outage 2024-02-30, again 2024-03-02", "2024-03-02", "db-outage-again"),
    ],
)
def test_a_date_in_the_title_is_the_incident_date_when_nothing_else_gives_one(
    repo: Project, tmp_path: Path, title: str, date: str, slug: str
) -> None:
    """Only the file name, a mapped key or the timeline gave the date: a team that dated
    its titles (`# DB outage 2024-03-01`) had every postmortem refused for no date."""
    text = f"# {title}\n\n## Summary\n\nDown.\n\n## Timeline\n\n- 10:00 alert\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text)).planned
    assert plan.id == f"{date}-{slug}"
    assert "incident date from the title" in plan.notes


def test_empty_keys_of_foreign_front_matter_are_said_to_be_empty_not_unmapped(
    repo: Project, tmp_path: Path
) -> None:
    front = '---\ntitle:\nowner: ""\ndate: 2024-03-05\nteam: payments\n---\n'
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", front + BODY)).planned
    assert plan.unmapped == ("team",)
    assert "empty in the front matter, nothing taken: title, owner" in plan.notes


def test_an_mdx_file_is_imported(repo: Project, tmp_path: Path) -> None:
    """Docusaurus writes `.mdx`: it was skipped as 'not a Markdown or text file'."""
    text = '---\ndate: 2024-03-06\n---\nimport Chart from "./chart"\n\n' + BODY
    (plan,) = dry_run(repo, legacy(tmp_path, "db-outage.mdx", text)).planned
    assert plan.id == "2024-03-06-search-outage"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf_16_without_a_byte_order_mark_is_read_by_its_nul_bytes(
    repo: Project, tmp_path: Path, encoding: str
) -> None:
    """It was skipped as 'not text (it holds NUL bytes)'."""
    text = "# 障害 2024-03-07\n\n## Summary\n\n検索が止まった。\n\n## Timeline\n\n- 10:00 alert\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text.encode(encoding))).planned
    assert plan.id.startswith("2024-03-07")
    assert "検索が止まった。" in plan.text


def test_binary_with_nul_bytes_is_still_no_text(repo: Project, tmp_path: Path) -> None:
    result = dry_run(repo, legacy(tmp_path, "db.md", bytes(range(256)) * 20))
    assert [skipped.reason for skipped in result.skipped] == ["not text (it holds NUL bytes)"]


@pytest.mark.parametrize(
    ("text", "encoding", "named"),
    [
        ("# Café outage\n\n## Summary\n\nCrème brûlée.\n", "latin-1", "CP1252 (Latin-1)"),
        ("# 障害\n\n## 概要\n\n検索が止まった。\n", "shift_jis", "Shift_JIS"),
        ("# 障害\n\n## 概要\n\n検索が止まった。\n", "euc-jp", "EUC-JP"),
    ],
)
def test_a_file_not_in_utf_8_is_refused_naming_the_encoding_it_reads_as(
    repo: Project, tmp_path: Path, text: str, encoding: str, named: str
) -> None:
    """A Latin-1 file was told to convert from Shift_JIS."""
    (refused,) = dry_run(repo, legacy(tmp_path, "db.md", text.encode(encoding))).refused
    assert refused.hint.startswith(f"it reads as {named}: convert it to UTF-8 first")


def test_the_alias_hint_for_a_numbered_heading_leaves_the_number_out(
    repo: Project, tmp_path: Path
) -> None:
    text = "# Outage 2024-03-09\n\n## 1. Summary\n\nx\n\n## 2. Timeline\n\n- 10:00 a\n\n## 3. **Root cause:**\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text)).planned
    assert plan.alias_hints == (("Root cause", "root-causes"),)


PANDOC = """\
DB outage
=========

**Date:** 2024-03-01

Summary
-------

The primary database failed over.

Timeline
--------

- 10:00 alert
- 10:05 failover

Action Items
------------

- [ ] Alert on replication lag
"""


def test_a_pandoc_export_with_underlined_headings_is_read_by_its_sections(
    repo: Project, tmp_path: Path
) -> None:
    """Setext headings (pandoc, Confluence exports) were no headings to pmctl: the file was
    skipped as 'not a postmortem: 0 postmortem sections'."""
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", PANDOC)).planned
    assert plan.id == "2024-03-01-db-outage"
    assert plan.sections == ("summary", "timeline", "action-items")
    assert (plan.timeline.entries if plan.timeline else 0, plan.actions) == (2, 1)
    assert plan.findings == ()


def test_unix_times_of_a_morgue_export_are_read_as_utc(repo: Project, tmp_path: Path) -> None:
    """morgue (etsy) keeps its times in seconds since 1970: mapped to a timestamp or the
    date, `1709287200 is not a date-time; left empty`."""
    (tmp_path / "map.toml").write_text(
        'starttime = "timestamps.started"\nendtime = "timestamps.resolved"\ndetecttime = "date"\n',
        encoding="utf-8",
    )
    front = '{"title": "Checkout", "starttime": 1709287200, "endtime": 1709290800000,\n'
    front += ' "detecttime": 1709287500}\n'
    source = legacy(tmp_path, "checkout.md", front + BODY)
    request = ImportRequest(
        sources=(source,),
        map_file=tmp_path / "map.toml",
        owner="sre",
        severity="SEV3",
        dry_run=True,
    )
    (plan,) = import_postmortems(repo, request, today=TODAY).planned
    fields = {field.field: field.value for field in plan.fields}
    assert fields["timestamps.started"] == "2024-03-01T10:00:00+00:00"
    assert fields["timestamps.resolved"] == "2024-03-01T11:00:00+00:00"
    assert fields["date"] == "2024-03-01"
    assert "front matter `starttime`: 1709287200 read as Unix time (UTC)" in plan.notes


def test_a_small_number_is_no_unix_time(repo: Project, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text('ticket = "timestamps.started"\n', encoding="utf-8")
    source = legacy(tmp_path, "2024-03-01-x.md", '{"ticket": 4711}\n' + BODY)
    request = ImportRequest(
        sources=(source,),
        map_file=tmp_path / "map.toml",
        owner="sre",
        severity="SEV3",
        dry_run=True,
    )
    (plan,) = import_postmortems(repo, request, today=TODAY).planned
    assert "front matter `ticket`: 4711 is not a date-time; left empty" in plan.notes


def test_japanese_utf_16_without_a_mark_is_read_though_few_characters_are_ascii(
    repo: Project, tmp_path: Path
) -> None:
    """Most of its characters have no NUL byte: it was skipped as not text."""
    prose = "検索クラスタのディスクが一杯になり、検索が四十五分間止まった。一部の利用者に影響。" * 8
    text = f"# 障害 2024-03-07\n\n## 概要\n\n{prose}\n\n## タイムライン\n\n- 10:00 一報\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text.encode("utf-16-le"))).planned
    assert prose in plan.text


def test_a_file_utf_8_but_for_a_few_bytes_is_told_so(repo: Project, tmp_path: Path) -> None:
    """A UTF-8 file with a few Latin-1 bytes pasted in was told to convert the whole file
    (from Shift_JIS), which would have garbled the rest of it."""
    text = "# 障害 2024-03-07\n\n## 概要\n\nCafé\n".encode().replace("é".encode(), b"\xe9")
    (refused,) = dry_run(repo, legacy(tmp_path, "db.md", text)).refused
    assert refused.source.endswith("db.md:5")
    assert refused.hint.startswith("the rest of it is UTF-8 (1 bad byte, the first here)")


def test_other_teams_names_of_the_sections_get_an_alias_hint(repo: Project, tmp_path: Path) -> None:
    """morgue's *Remediations*, the *Contributing Factors* of many templates: no hint was
    given (they are not spelled like pmctl's headings), and no action item was read."""
    text = BODY + "\n## Contributing Factors\n\nx\n\n## Remediations\n\n- [ ] Alert\n\n## 経緯\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "2024-03-01-db.md", text)).planned
    assert dict(plan.alias_hints) == {
        "Contributing Factors": "root-causes",
        "Remediations": "action-items",
        "経緯": "timeline",
    }


def test_a_time_in_italics_is_a_timeline_entry(repo: Project, tmp_path: Path) -> None:
    """Google Docs exports write `*10:07* ack` as they write `**10:07** ack`: the bold one
    was read, the italic one was neither read nor listed as kept as written."""
    text = (
        "# Outage\n\n## Summary\n\nx\n\n## Timeline\n\n**10:00** alert\n*10:07* ack\n_10:09_ fix\n"
    )
    (plan,) = dry_run(repo, legacy(tmp_path, "2024-03-01-db.md", text)).planned
    assert plan.timeline is not None
    assert plan.timeline.entries == 3


@pytest.mark.parametrize("content", [b"", b"\n \r\n\t\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_skipped_as_empty(repo: Project, tmp_path: Path, content: bytes) -> None:
    (skipped,) = dry_run(repo, legacy(tmp_path, "2024-03-01-db.md", content)).skipped
    assert skipped.reason == "empty"


def test_a_heading_within_a_section_is_not_listed_as_not_mapped(
    repo: Project, tmp_path: Path
) -> None:
    """A timeline's dated sub-heading sets the day of the entries under it: it was listed as
    a heading no section took, as `## Attendees` is."""
    text = (
        "# Outage\n\n## Summary\n\nx\n\n### Details\n\ny\n\n## Timeline\n\n### 2024-05-05\n\n"
        "- 10:00 a\n\n## Attendees\n\n### Guests\n"
    )
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text)).planned
    assert plan.id.startswith("2024-05-05")
    assert plan.other_headings == ("Attendees", "Guests")


@pytest.mark.parametrize("header", ["**Date:** 2024-03-01\n**Owner:** alice", "Date: 2024-03-01"])
def test_header_lines_with_a_rule_under_them_are_still_header_lines(
    repo: Project, tmp_path: Path, header: str
) -> None:
    """Markdown reads `Date: ...` lines with `---` right under them as a heading: since
    underlined headings are read, their date and owner were lost and the file refused."""
    text = f"# DB outage\n{header}\n---\n## Summary\n\nx\n\n## Timeline\n\n- 10:00 a\n"
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text)).planned
    assert plan.id == "2024-03-01-db-outage"
    assert plan.other_headings == ()


def test_a_time_in_inline_code_is_a_timeline_entry(repo: Project, tmp_path: Path) -> None:
    """A timeline pasted from chat writes `- \\`10:07\\` paged`: the time was blanked with
    the code (as lint blanks code) and the row kept as written; a fenced log is still no
    timeline."""
    text = (
        "# Outage\n\n## Summary\n\nx\n\n## Timeline\n\n- `10:00` alert\n- `10:07` paged\n\n"
        "```\n10:01:02 ERROR pool exhausted\n```\n"
    )
    (plan,) = dry_run(repo, legacy(tmp_path, "2024-03-01-db.md", text)).planned
    assert plan.timeline is not None
    assert (plan.timeline.entries, plan.timeline.unread) == (2, ())


def test_action_items_keep_their_inline_code_and_lose_their_markdown_escapes(
    repo: Project, tmp_path: Path
) -> None:
    """An action item's inline code was dropped (`Add a \\`df\\` check` became "Add a
    check"), and its escapes and character references, as Confluence and pandoc write
    them, were kept as Markdown source in the front matter's plain text ("search\\_cluster
    disk &amp; inodes")."""
    text = (
        "# DB outage 2024-03-01\n\n## Summary\n\nDown.\n\n## Action Items\n\n"
        "| Action | Owner |\n|---|---|\n"
        "| Alert on search\\_cluster disk &amp; inodes | ana |\n"
        "| Add a `df` check | ken |\n\n"
        "- [ ] Rotate the `api\\_key`&nbsp;weekly\n"
    )
    (plan,) = dry_run(repo, legacy(tmp_path, "db.md", text)).planned
    postmortem = documents.load_text(Path(plan.target), plan.text)[1]
    assert [item.title for item in postmortem.action_items] == [
        "Alert on search_cluster disk & inodes",
        "Add a `df` check",
        "Rotate the `api_key`\xa0weekly",
    ]
