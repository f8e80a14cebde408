"""`pmctl list` and `pmctl show`: finding your way around the postmortems."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from pmctl.domain.document import Invalid
from pmctl.domain.enums import Status
from pmctl.domain.listing import ListFilters
from pmctl.domain.project import Project
from pmctl.services.listing import each_row, list_postmortems
from pmctl.ui import list_output
from tests.conftest import git, run_cli
from tests.test_status import DOCUMENT, ID, TODAY, write_postmortem

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shakespeare" / "postmortems"


@pytest.fixture
def library(repo: Project) -> Project:
    """The bundled Shakespeare postmortems (en, ja), plus an overdue draft."""
    shutil.copytree(EXAMPLE, repo.postmortem_dir, dirs_exist_ok=True)
    git(repo.root, "add", "postmortems")
    git(repo.root, "commit", "--quiet", "-m", "the example postmortems")
    old = DOCUMENT.replace("2026-11-20T", "2026-10-01T").replace("2026-11-21", "2026-10-02")
    write_postmortem(repo, old, postmortem_id="2026-10-01-old-outage")
    return repo


def ids(project: Project, **filters: object) -> list[str]:
    listing = list_postmortems(project, today=TODAY, filters=ListFilters(**filters))  # type: ignore[arg-type]
    return [row.postmortem.id for row in listing.rows]


def test_filters_by_status_severity_service_owner_date_and_overdue(library: Project) -> None:
    everything = ids(library)
    assert set(everything) == {
        "2015-10-21-shakespeare-sonnet",
        "2015-10-21-shakespeare-sonnet-ja",
        "2026-10-01-old-outage",
    }
    assert ids(library, statuses=frozenset({Status.DRAFT})) == ["2026-10-01-old-outage"]
    assert ids(library, severities=frozenset({"SEV1"})) == [
        "2015-10-21-shakespeare-sonnet-ja",
        "2015-10-21-shakespeare-sonnet",
    ]
    assert ids(library, services=frozenset({"shakespeare-search"})) == ids(
        library, severities=frozenset({"SEV1"})
    )
    assert ids(library, owners=frozenset({"山田"})) == ["2026-10-01-old-outage"]
    assert ids(
        library, owners=frozenset({"Jennifer"}), services=frozenset({"Shakespeare-Search"})
    ) == ids(
        library, severities=frozenset({"SEV1"})
    )  # names in any case, as search's owner: and service: take them
    import datetime as dt

    assert ids(library, since=dt.date(2020, 1, 1)) == ["2026-10-01-old-outage"]
    assert ids(library, overdue=True) == ["2026-10-01-old-outage"]


def test_list_formats_table_json_csv(library: Project) -> None:
    table = run_cli(library.root, "list", "--status", "draft,reviewed")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == [
        *("ID", "STATUS", "SEVERITY", "OWNER", "REVIEW", "BY", "OPEN", "TITLE")
    ]
    assert table.stdout.rstrip().endswith("3 postmortems, 1 past their review deadline")
    data = json.loads(run_cli(library.root, "list", "--format", "json").stdout)
    assert data["version"] == 1
    by_id = {record["id"]: record for record in data["postmortems"]}
    assert by_id["2026-10-01-old-outage"]["overdue"] is True
    assert by_id["2015-10-21-shakespeare-sonnet"]["open_action_items"] == 6
    assert by_id["2015-10-21-shakespeare-sonnet"]["path"] == (
        "postmortems/2015/2015-10-21-shakespeare-sonnet.md"
    )
    rows = list(csv.DictReader(io.StringIO(run_cli(library.root, "list", "-f", "csv").stdout)))
    assert len(rows) == 3
    assert {row["services"] for row in rows} >= {"shakespeare-search"}
    bad = run_cli(library.root, "list", "--status", "done")
    assert bad.returncode == 2
    assert "--status: unknown value 'done'" in bad.stderr


@pytest.mark.parametrize("command", ["list", "report"])
def test_a_severity_not_on_the_scale_is_refused(library: Project, command: str) -> None:
    """`list --severity sev9` said "0 postmortems": a typo looked like an answer. (The wrong
    case is the scale's severity: `test_filters_take_severities_...`.)"""
    bad = run_cli(library.root, command, "--severity", "SEV1,sev9")
    assert bad.returncode == 2, bad.stdout
    assert "--severity: unknown severity 'sev9'" in bad.stderr
    assert "SEV1, SEV2, SEV3, SEV4" in bad.stderr
    assert run_cli(library.root, command, "--severity", "SEV1").returncode == 0


def test_list_json_is_made_a_postmortem_at_a_time_laid_out_as_one_dump(library: Project) -> None:
    broken = library.postmortem_dir / "2099" / "2099-01-01-broken.md"  # after every other
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    invalid: list[Invalid] = []
    rows = each_row(library, today=TODAY, invalid=invalid)
    lines = list_output.json_lines(rows, invalid, root=library.root)
    taken = [next(lines), next(lines)]  # the head, the first postmortem
    assert invalid == []  # the rest is not read yet
    text = "".join(taken) + "".join(lines)
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert len(document["postmortems"]) == 3
    assert [item["location"].split(":")[0] for item in document["invalid"]] == [str(broken)]
    broken.unlink()
    none = each_row(library, today=TODAY, filters=ListFilters(owners=frozenset({"x"})), invalid=[])
    empty = "".join(list_output.json_lines(none, [], root=library.root))
    assert empty == json.dumps({"version": 1, "postmortems": [], "invalid": []}, indent=2) + "\n"


def test_an_id_given_as_its_file_or_with_blanks_names_the_postmortem(library: Project) -> None:
    """A path a shell completes (`postmortems/2015/<id>.md`), the file's name, an id pasted
    with a blank: all were "no postmortem with id ..." (exit 8)."""
    postmortem_id = "2015-10-21-shakespeare-sonnet"
    path = next(library.postmortem_dir.rglob(f"{postmortem_id}.md"))
    relative = path.relative_to(library.root).as_posix()
    for given in (relative, f"./{relative}", f"{postmortem_id}.md", f" {postmortem_id}\n"):
        shown = run_cli(library.root, "show", given)
        assert shown.returncode == 0, (given, shown.stderr)
        assert shown.stdout.startswith(postmortem_id), given
    inside = run_cli(path.parent, "show", path.name)
    assert inside.returncode == 0, inside.stderr
    elsewhere = library.root.parent / f"{postmortem_id}.md"
    elsewhere.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    outside = run_cli(library.root, "show", str(elsewhere))
    assert outside.returncode == 8
    assert f"{elsewhere} is not a file in" in outside.stderr


def test_filters_take_severities_statuses_and_priorities_in_any_case(library: Project) -> None:
    """`list --severity sev1`, `--status Draft` and `report --priority p1` were "unknown"
    (exit 2) beside SEV1, draft and P1."""
    for command, typed, written in (
        ("list", ("--severity", "sev1"), ("--severity", "SEV1")),
        ("list", ("--status", "Closed,REVIEWED"), ("--status", "closed,reviewed")),
        (
            "report",
            ("--priority", "p1", "--type", "Prevent"),
            ("--priority", "P1", "--type", "prevent"),
        ),
    ):
        as_typed = run_cli(library.root, command, *typed, "--format", "json")
        assert as_typed.returncode == 0, as_typed.stderr
        expected = run_cli(library.root, command, *written, "--format", "json")
        assert as_typed.stdout == expected.stdout
        assert json.loads(expected.stdout)  # (something is listed)


def test_the_incident_date_is_the_day_it_started_not_the_day_it_was_written(
    repo: Project,
) -> None:
    """Written with `pmctl new` on the 23rd (no --started), its start filled in later as the
    evening of the 21st in New York (the 22nd in UTC): the index, `list`, search's dates and
    stats' months went by the id's date, the 23rd, while review deadlines went by the 21st."""
    created = run_cli(repo.root, "new", "--title", "Queue backlog", "--severity", "SEV3",
                      "--owner", "alice", "--no-input")  # fmt: skip
    assert created.returncode == 0, created.stderr
    path = repo.root / created.stdout.strip()
    assert path.name.startswith("2026-11-23-")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  started: null", "  started: 2026-11-21T22:30:00-05:00"), encoding="utf-8"
    )
    git(repo.root, "commit", "-qam", "the start, found in the chat")
    (row,) = json.loads(run_cli(repo.root, "list", "--format", "json").stdout)["postmortems"]
    assert row["incident_date"] == "2026-11-21"
    assert run_cli(repo.root, "index").returncode == 0
    assert "| 2026-11-21 | [2026-11-23-queue-backlog]" in (repo.root / "INDEX.md").read_text(
        encoding="utf-8"
    )
    found = run_cli(repo.root, "search", "date:2026-11-21", "--format", "json")
    assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["2026-11-23-queue-backlog"]


def test_a_file_whose_name_is_not_utf8_is_named_not_left_out_silently(library: Project) -> None:
    """`list`, `report`, `export` and `stats` left it out without a word (only lint said)."""
    import os

    source = next(library.postmortem_dir.rglob("*.md"))
    os.link(source, os.fsencode(source.parent) + b"/caf\xe9.md")
    for command in ("list", "report", "export", "stats"):
        result = run_cli(library.root, command)
        assert result.returncode == 0, result.stderr
        said = result.stderr + result.stdout
        assert "caf\\xe9.md: " in said, command
        assert "not read: its name is not valid UTF-8" in said, command


def test_show_says_everything_about_one_postmortem(library: Project) -> None:
    shown = run_cli(library.root, "show", "2015-10-21-shakespeare-sonnet")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert "  incident:  465" in text
    assert "detected 1 min after the start, mitigated 42 min, resolved 66 min" in text
    assert "next:      closed: 2 things missing" in text
    assert "- action item AI-3 is todo and not tracked elsewhere" in text
    assert "open action items: 6 of 9" in text
    assert "AI-6  P1  prevent  agoogler  todo  5554826" in text
    assert "  reviews: 1" in text
    missing = run_cli(library.root, "show", "2099-01-01-nothing")
    assert missing.returncode == 8
    assert "did you mean" not in missing.stderr
    for typed in ("2015-10-21-Shakespeare-Sonnet", "2015-10-21-shakespeare-sonet"):
        mistyped = run_cli(library.root, "show", typed)
        assert mistyped.returncode == 8
        assert "hint: did you mean 2015-10-21-shakespeare-sonnet? " in mistyped.stderr


def test_status_with_edits_commits_the_users_edits_with_the_move(repo: Project) -> None:
    path = write_postmortem(repo)
    text = path.read_bytes().decode("utf-8")
    path.write_bytes(text.replace('incident: "465"', 'incident: "466"').encode("utf-8"))
    refused = run_cli(repo.root, "status", ID, "in-review")
    assert refused.returncode == 4
    assert "--with-edits" in refused.stderr
    moved = run_cli(repo.root, "status", ID, "in-review", "--with-edits")
    assert moved.returncode == 0, moved.stderr
    committed = git(repo.root, "show", "HEAD", "--format=")
    assert "+status: in-review" in committed.replace("\r", "")
    assert "466" in committed
    assert git(repo.root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "command",
    [("list",), ("list", "--format", "json"), ("lint",), ("show", "9999-12-31-far"), ("stats",)],
    ids=" ".join,
)
def test_an_incident_started_on_the_last_day_there_is_has_no_deadline_to_miss(
    repo: Project, command: tuple[str, ...]
) -> None:
    """Its review deadline (SEV2: 5 business days on) is past the year 9999: the last day a
    date can be, not exit 70."""
    # Written by hand: `new` refuses a start after today, a typo in the year.
    made = run_cli(repo.root, *NEW_FAR)
    assert made.returncode == 0, made.stderr
    near = repo.postmortem_dir / "2026" / "2026-11-23-far.md"
    far = repo.postmortem_dir / "9999" / "9999-12-31-far.md"
    far.parent.mkdir()
    far.write_text(
        near.read_text(encoding="utf-8")
        .replace("2026-11-23-far", "9999-12-31-far")
        .replace("2026-11-23T10:00:00+00:00", "9999-12-31T10:00:00+00:00"),
        encoding="utf-8",
    )
    near.unlink()
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    if command[0] in ("list", "show"):
        assert "9999-12-31" in result.stdout  # its review deadline


NEW_FAR = (
    "new",
    "--title",
    "Far",
    "--severity",
    "SEV2",
    "--owner",
    "alice",
    "--started",
    "2026-11-23T10:00+00:00",
    "--no-input",
)


def test_an_id_whose_file_has_another_name_is_named_with_the_fix(repo: Project) -> None:
    """A copied postmortem with its id changed, not its file name: `list` showed the id,
    and `show`/`status` said there was no such id, with the hint to look in `list`."""
    path = write_postmortem(repo)  # CRLF line endings, as some editors write
    copied = "2026-11-21-copied"
    renamed = path.with_name("copy of it.md")
    renamed.write_bytes(path.read_bytes().replace(ID.encode(), copied.encode()))
    listed = run_cli(repo.root, "list", "--format", "json")
    assert copied in listed.stdout
    for command in ("show", "status"):
        result = run_cli(repo.root, command, copied)
        assert result.returncode == 8, result.stderr
        assert "postmortems/2026/copy of it.md" in result.stderr
        assert f"rename it to {copied}.md" in result.stderr
    unknown = run_cli(repo.root, "show", "2026-11-22-nothing")
    assert unknown.returncode == 8
    assert "`pmctl list` shows every postmortem and its id" in unknown.stderr
