"""`pmctl import` of postmortems as other tools and teams leave them: front matter a merge
kept both sides of, dates only in the title, converters' exports (`.mdx`, setext headings,
UTF-16 without a byte-order mark, Latin-1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.test_import_inputs import BODY, dry_run, legacy


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
