"""`pmctl import` of the hand-written legacy corpora in tests/fixtures/legacy/, in real git
repositories: what is recovered, that nothing is lost, one commit or nothing, and that the
imported repository then works with lint, report, stats, index and status."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from pmctl.adapters import discovery, documents
from pmctl.adapters.config_file import load_project
from pmctl.domain.enums import ImportShape
from pmctl.domain.importing import ImportResult, Planned
from pmctl.domain.lint.adoption import PREDATING_RULES
from pmctl.domain.model import ActionStatus, Status
from pmctl.domain.project import Project
from pmctl.errors import ConfigError, ExitCode, GitError, UsageError
from pmctl.services.importing import ImportRequest, import_postmortems
from pmctl.services.lint import lint
from tests.conftest import git, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "legacy"
TODAY = dt.date(2026, 11, 23)


def copy_as_repository(source: Path, target: Path) -> Path:
    """A copy of `source` as a git repository with one commit."""
    shutil.copytree(source, target)
    git(target, "init", "--quiet")
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "-m", "Our postmortems")
    return target


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    return copy_as_repository(FIXTURES / "markdown", tmp_path / "old-postmortems")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_as_repository(FIXTURES / "static-site", tmp_path / "website")


def run_import(project: Project, *sources: Path, **options: object) -> ImportResult:
    request = ImportRequest(sources=sources, **options)  # type: ignore[arg-type]
    return import_postmortems(project, request, today=TODAY)


def closed(project: Project, *sources: Path, **options: object) -> ImportResult:
    return run_import(
        project, *sources, owner="sre", severity="SEV3", status=Status.CLOSED, **options
    )


def by_origin(result: ImportResult, path: str) -> Planned:
    return next(plan for plan in result.planned if plan.origin.path == path)


def words(text: str) -> list[str]:
    """The normalised word sequence of a text: NFC, case-folded, runs of word characters."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


def state(root: Path) -> tuple[str, str, list[str]]:
    """HEAD, `git status`, and every file on disk: what a failed import must leave alone."""
    files = sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if ".git" not in path.parts
    )
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), files


# --- a dry run ------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_reports_what_each_file_would_become(
    repo: Project, legacy: Path
) -> None:
    before = state(repo.root)
    result = closed(repo, legacy, dry_run=True)
    assert state(repo.root) == before
    assert result.commit is None
    assert sorted(plan.origin.path for plan in result.planned) == [
        "2019-03-04-search-outage.md",
        "2021-06-07-dns.md",
        "2023/db-failover.markdown",
        "2023/queue-backlog",
        "drafts/cert-expiry.md",
    ]
    reasons = {Path(skipped.source).name: skipped.reason for skipped in result.skipped}
    assert reasons["README.md"] == "not a postmortem (README.md)"
    assert reasons["LICENSE"] == "not a postmortem (LICENSE)"
    assert reasons["postmortem-template.md"].startswith("a template")
    assert reasons["latency-graph.png"] == "not a Markdown or text file"
    assert reasons["notes.txt"].startswith("not a postmortem: 0 postmortem sections")
    assert result.refused == ()


def test_the_report_of_a_table_timeline_actions_durations_and_unknown_sections(
    repo: Project, legacy: Path
) -> None:
    plan = by_origin(closed(repo, legacy, dry_run=True), "2023/db-failover.markdown")
    assert plan.id == "2023-02-14-primary-database-failover"
    assert plan.target == "postmortems/2023/2023-02-14-primary-database-failover.md"
    assert plan.shape == "Markdown headings"
    assert plan.sections == ("summary", "timeline", "action-items")
    assert plan.other_headings == ("Contributing Factors", "Attendees", "Stats")
    timeline = plan.timeline
    assert timeline is not None
    assert timeline.entries == 5
    assert timeline.unread == (
        (25, "| later that morning | Storage team moves the noisy tenant |"),
    )
    assert timeline.out_of_order == ((23, "~09:10", "09:12"),)
    assert timeline.zone == "CET (+01:00)"
    assert (plan.actions, plan.actions_done) == (6, 4)
    assert plan.durations == (("detect", 7), ("mitigate", None), ("resolve", 47))
    assert "incident date from the first dated timeline entry" in plan.notes
    assert [finding.rule for finding in plan.findings] == ["PM302"]


def test_a_japanese_file_without_an_extension_is_read_in_its_language(
    repo: Project, legacy: Path
) -> None:
    plan = by_origin(closed(repo, legacy, dry_run=True), "2023/queue-backlog")
    document, postmortem = documents.load_text(Path(plan.target), plan.text)
    assert plan.id == "2023-08-01-kessai-cue-no-tairyuu"
    assert postmortem.language.value == "ja"
    assert postmortem.owner == "佐藤"
    assert [(item.title, item.status) for item in postmortem.action_items] == [
        ("不正なメッセージをデッドレターキューに移す処理を追加する", ActionStatus.DONE),
        ("キューの滞留時間に対するアラートを追加する", ActionStatus.TODO),
        ("再試行回数の上限を設定する", ActionStatus.IN_PROGRESS),
    ]
    assert "| ID | アクションアイテム |" in document.body
    assert (postmortem.durations.detect_minutes, postmortem.durations.resolve_minutes) == (5, 117)


def test_a_table_of_action_items_keeps_its_owner_type_priority_and_tracker(
    repo: Project, legacy: Path
) -> None:
    plan = by_origin(closed(repo, legacy, dry_run=True), "2019-03-04-search-outage.md")
    postmortem = documents.load_text(Path(plan.target), plan.text)[1]
    first, _, third, fourth = postmortem.action_items
    assert (first.owner, first.type, first.priority, first.tracker) == (
        "olu",
        "prevent",
        "P1",
        "SEARCH-1204",
    )
    assert (third.title, third.status) == ("Document the restore procedure", ActionStatus.DONE)
    assert (fourth.owner, fourth.priority) == (None, None)  # "TBD": left empty, not guessed
    assert (postmortem.owner, postmortem.authors) == ("maria", ["maria", "kenji", "olu"])


# --- the import itself ------------------------------------------------------------------------


def test_an_import_is_one_commit_naming_the_source_and_its_commit(
    repo: Project, legacy: Path
) -> None:
    head = git(repo.root, "rev-parse", "HEAD").strip()
    source_commit = git(legacy, "rev-parse", "HEAD").strip()
    result = closed(repo, legacy)
    assert result.commit is not None
    assert git(repo.root, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    changed = git(repo.root, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted(plan.target for plan in result.planned)
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith("docs(postmortem): import 5 postmortems\n")
    assert f"Pmctl-Import-Source: {legacy.resolve()}\n" in message
    assert f"Pmctl-Import-Commit: {source_commit}\n" in message
    assert "2023/db-failover.markdown -> 2023-02-14-primary-database-failover" in message
    assert git(repo.root, "status", "--porcelain") == ""
    postmortem = documents.load(repo.root / by_origin(result, "2021-06-07-dns.md").target)[1]
    assert postmortem.origin is not None
    assert (postmortem.origin.source, postmortem.origin.commit) == (str(legacy), source_commit)
    assert (postmortem.origin.imported, postmortem.origin.status) == (TODAY, Status.CLOSED)


def test_nothing_of_a_source_is_lost(repo: Project, legacy: Path, site: Path) -> None:
    results = [
        closed(repo, legacy),
        closed(repo, site, map_file=site / "map.toml"),
    ]
    planned = [plan for result in results for plan in result.planned]
    assert len(planned) == 8
    for plan in planned:
        source = Path(plan.origin.source) / plan.origin.path
        original = source.read_bytes().decode("utf-8").replace("\r\n", "\n")
        imported = (repo.root / plan.target).read_text(encoding="utf-8")
        assert is_subsequence(words(original), words(imported)), plan.source
        # Every line of the source is there as it was, byte for byte, in order.
        lines = iter(imported.split("\n"))
        assert all(line in lines for line in original.split("\n")), plan.source


def test_link_definitions_footnotes_and_non_ascii_text_are_kept_byte_for_byte(
    repo: Project, legacy: Path
) -> None:
    result = closed(repo, legacy)
    search = (repo.root / by_origin(result, "2019-03-04-search-outage.md").target).read_text()
    assert "\n[dash]: https://dashboards.example.com/search/errors\n" in search
    assert "[^canary]: A canary step existed" in search
    queue = (repo.root / by_origin(result, "2023/queue-backlog").target).read_bytes()
    original = (legacy / "2023" / "queue-backlog").read_bytes()
    body = queue.split(b"\n---\n", 1)[1]
    start = body.index(b"\n\n<!-- pmctl:action-items:start -->")
    end = body.index(b"<!-- pmctl:action-items:end -->") + len(b"<!-- pmctl:action-items:end -->")
    assert body[:start] + body[end:] == original  # all of it, less the generated table


def test_after_an_import_as_closed_lint_reports_only_content_problems(
    repo: Project, legacy: Path
) -> None:
    closed(repo, legacy)
    findings = lint(load_project(repo.root), today=TODAY, use_cache=False).findings
    assert sorted((Path(f.path).name, f.rule) for f in findings) == [
        ("2019-03-04-search-outage-after-the-index-rollout.md", "PM204"),  # "Investigate ..."
        ("2019-03-04-search-outage-after-the-index-rollout.md", "PM401"),  # "should have"
        ("2023-02-14-primary-database-failover.md", "PM302"),  # ~09:10 after 09:12
    ]
    assert not {f.rule for f in findings} & {"PM501", *(rule.id for rule in PREDATING_RULES)}


def test_report_stats_index_and_status_work_on_every_imported_document(
    repo: Project, legacy: Path
) -> None:
    closed(repo, legacy)
    report = run_cli(repo.root, "report", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert '"postmortem_id": "2023-02-14-primary-database-failover"' in report.stdout
    stats = run_cli(repo.root, "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    numbers = json.loads(stats.stdout)
    assert numbers["postmortems"]["total"] == 5
    assert numbers["durations_seconds"]["time_to_detect"]["count"] == 3  # stated durations
    index = run_cli(repo.root, "index")
    assert index.returncode == 0, index.stderr
    assert "(5 postmortems)" in index.stdout
    listing = run_cli(repo.root, "status", "--list")
    assert listing.returncode == 0, listing.stderr
    assert "5 postmortems, 0 past their review deadline" in listing.stdout
    assert "invalid" not in listing.stdout + listing.stderr


def test_running_it_again_imports_nothing_twice(repo: Project, legacy: Path) -> None:
    first = closed(repo, legacy)
    head = git(repo.root, "rev-parse", "HEAD")
    again = closed(repo, legacy / "2023")
    assert again.planned == ()
    assert again.commit is None
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert {skipped.reason for skipped in again.skipped} >= {
        f"imported before, as {by_origin(first, '2023/queue-backlog').id}",
        f"imported before, as {by_origin(first, '2023/db-failover.markdown').id}",
    }


def test_ids_never_collide_a_taken_id_gets_a_suffix_and_is_reported(
    repo: Project, legacy: Path, tmp_path: Path
) -> None:
    first = closed(repo, legacy)
    twin = copy_as_repository(FIXTURES / "markdown", tmp_path / "a-copy")
    second = closed(repo, twin)
    assert len(second.planned) == len(first.planned)
    for plan in second.planned:
        original = by_origin(first, plan.origin.path).id
        assert (plan.id, plan.renamed_from) == (f"{original}-2", original)
    ids = [path.stem for path in discovery.discover(repo.postmortem_dir)]
    assert len(ids) == len(set(ids)) == 10


def test_ids_never_collide_within_one_import(repo: Project, tmp_path: Path) -> None:
    source = tmp_path / "same"
    source.mkdir()
    text = "# Cache outage\n\n## Summary\n\nIt broke.\n\n## Timeline\n\n- 10:00 Down\n"
    for name in ("2024-01-02-a.md", "2024-01-02-b.md"):
        (source / name).write_text(text, encoding="utf-8")
    result = closed(repo, source)
    assert [plan.id for plan in result.planned] == [
        "2024-01-02-cache-outage",
        "2024-01-02-cache-outage-2",
    ]


# --- refusals and failures --------------------------------------------------------------------


def broken_toml(directory: Path) -> Path:
    path = directory / "2022-01-01-broken.md"
    path.write_text('+++\ntitle = "Broken"\ndate = 2022-01-01\nowner = \n+++\n\n## Summary\n')
    return path


def test_a_refused_file_fails_the_import_with_its_reason_and_nothing_is_written(
    repo: Project, legacy: Path
) -> None:
    broken = broken_toml(legacy)
    before = state(repo.root)
    result = closed(repo, legacy)
    assert state(repo.root) == before
    assert result.commit is None
    (refused,) = result.refused
    assert refused.source.endswith(f"{broken.name}:4")
    assert refused.reason.startswith("invalid TOML front matter")
    cli = run_cli(repo.root, "import", str(legacy), "--owner", "sre", "--severity", "SEV3")
    assert cli.returncode == ExitCode.LINT_FAILED
    assert "refused (1):" in cli.stdout
    assert "nothing imported" in cli.stdout
    dry = run_cli(repo.root, "import", str(legacy), "--dry-run", "--owner", "sre")
    assert dry.returncode == ExitCode.LINT_FAILED
    assert state(repo.root) == before


def test_a_file_that_cannot_be_read_is_refused_with_the_systems_reason(repo: Project) -> None:
    """A read that fails (here a real EIO: `/proc/self/mem` at offset 0; on a failing disk
    or a lost network mount the same) refuses that file, naming why; it was exit 70."""
    before = state(repo.root)
    result = run_cli(repo.root, "import", "/proc/self/mem", "--owner", "sre", "--severity", "SEV3")
    assert result.returncode == ExitCode.LINT_FAILED, result.stderr
    assert "cannot be read: Input/output error" in result.stdout
    assert "check the disk it is on" in result.stdout
    assert state(repo.root) == before


def test_a_file_whose_name_is_not_utf_8_is_refused_by_name(repo: Project, tmp_path: Path) -> None:
    """A Latin-1 name (`café-outage.md`): the origin recorded for it could not hold it, and
    pydantic's ValidationError ended the import with exit 70."""
    source = Path(os.fsdecode(os.fsencode(tmp_path) + b"/legacy"))
    source.mkdir()
    text = "# Outage\n\n**Date:** 2024-05-06\n\n## Summary\n\nx\n\n## Timeline\n\n- 10:00 y\n"
    Path(os.fsdecode(os.fsencode(source) + b"/caf\xe9-outage.md")).write_text(text)
    before = state(repo.root)
    result = run_cli(repo.root, "import", str(source), "--owner", "sre", "--severity", "SEV3")
    assert result.returncode == ExitCode.LINT_FAILED, result.stderr
    assert "caf\\xe9-outage.md: its name is not valid UTF-8" in result.stdout
    assert "convmv" in result.stdout
    assert state(repo.root) == before


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("2024-01-01-deep.md", '{"title": "x", "y": ' + "[" * 100_000 + "]" * 100_000 + "}\n"),
        (
            "2024-01-02-deep.md",
            '+++\ntitle = "x"\ny = ' + "[" * 100_000 + "]" * 100_000 + "\n+++\n",
        ),
    ],
    ids=["JSON", "TOML"],
)
def test_front_matter_nested_too_deeply_is_refused(
    repo: Project, tmp_path: Path, name: str, text: str
) -> None:
    """JSON's RecursionError ended the import with exit 70."""
    source = tmp_path / "legacy"
    source.mkdir()
    (source / name).write_text(text + "\n## Summary\n\nx\n", encoding="utf-8")
    (refused,) = run_import(repo, source, severity="SEV3", dry_run=True).refused
    assert refused.reason.endswith("front matter: nested too deeply")


CLOSED = ("--owner", "sre", "--severity", "SEV3", "--status", "closed")


def test_links_to_nothing_or_in_a_loop_and_named_pipes_are_skipped_with_their_reason(
    repo: Project, legacy: Path
) -> None:
    """A dangling symbolic link or a loop of them in the directory imported was exit 70
    (stat raised), and a named pipe was read for ever: each is skipped, saying why."""
    (legacy / "dangling.md").symlink_to(legacy / "gone.md")
    (legacy / "loop-a.md").symlink_to(legacy / "loop-b.md")
    (legacy / "loop-b.md").symlink_to(legacy / "loop-a.md")
    os.mkfifo(legacy / "pipe.md")
    before = state(repo.root)
    result = subprocess.run(
        [sys.executable, "-m", "pmctl", "import", str(legacy), "--dry-run", *CLOSED],
        cwd=repo.root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "dangling.md: cannot be read: No such file or directory" in result.stdout
    assert "loop-a.md: cannot be read: Too many levels of symbolic links" in result.stdout
    assert "pipe.md: not a regular file" in result.stdout
    assert state(repo.root) == before
    named = run_import(repo, legacy / "pipe.md", dry_run=True)  # was: nothing, no reason
    assert [(Path(item.source).name, item.reason) for item in named.skipped] == [
        ("pipe.md", "not a regular file")
    ]
    imported = closed(repo, legacy)
    assert imported.commit is not None
    assert {Path(skipped.source).name for skipped in imported.skipped} >= {
        "dangling.md",
        "loop-a.md",
        "loop-b.md",
        "pipe.md",
    }


def test_a_document_without_owner_severity_or_date_is_refused_with_a_hint(
    repo: Project, tmp_path: Path
) -> None:
    source = tmp_path / "undated"
    source.mkdir()
    (source / "outage.md").write_text("# Outage\n\n## Summary\n\nx\n\n## Timeline\n\n- 10:00 y\n")
    (refused,) = run_import(repo, source, dry_run=True).refused
    assert refused.reason.startswith("no incident date")
    (source / "outage.md").rename(source / "2024-05-06-outage.md")
    (refused,) = run_import(repo, source, dry_run=True).refused
    assert (refused.reason, refused.hint) == (
        "no severity",
        "pass --severity, or map the key that holds it",
    )
    (refused,) = run_import(repo, source, severity="SEV2", dry_run=True).refused
    assert refused.reason == "no owner"


def test_an_owner_typed_with_a_line_break_or_an_escape_is_one_line(
    repo: Project, tmp_path: Path
) -> None:
    """It went into the front matter as written (`owner: "a\\nb\\e[31m"`), where `new`
    folds the same typing to one line."""
    source = tmp_path / "old"
    source.mkdir()
    (source / "2024-05-06-outage.md").write_text(
        "# Outage\n\n## Summary\n\nx\n\n## Timeline\n\n- 10:00 y\n", encoding="utf-8"
    )
    (planned,) = run_import(
        repo, source, severity="SEV2", owner="ann\nlee\x1b[31m", dry_run=True
    ).planned
    assert '\nowner: "ann lee [31m"\n' in planned.text


def test_a_hook_that_refuses_the_commit_leaves_the_repository_as_it_was(
    repo: Project, legacy: Path
) -> None:
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no imports today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = state(repo.root)
    with pytest.raises(GitError):
        closed(repo, legacy)
    assert state(repo.root) == before
    assert git(repo.root, "diff", "--cached", "--name-only") == ""


def test_ctrl_c_while_the_commit_runs_leaves_the_repository_as_it_was(
    repo: Project, legacy: Path
) -> None:
    # The hook interrupts its whole process group, as Ctrl-C in a terminal does.
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nkill -INT 0\nsleep 5\n")
    hook.chmod(0o755)
    before = state(repo.root)
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmctl",
            "import",
            str(legacy),
            "--owner",
            "o",
            "--severity",
            "SEV3",
        ],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        start_new_session=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.returncode in (ExitCode.INTERRUPTED, -signal.SIGINT), process.stderr
    assert state(repo.root) == before


def test_unknown_flags_are_usage_errors(repo: Project, legacy: Path) -> None:
    with pytest.raises(UsageError, match="unknown severity"):
        run_import(repo, legacy, severity="critical")
    with pytest.raises(UsageError, match="does not exist"):
        run_import(repo, legacy / "missing")
    bad_status = run_cli(repo.root, "import", str(legacy), "--status", "done")
    assert bad_status.returncode == ExitCode.USAGE


# --- foreign front matter and mapping ---------------------------------------------------------


def test_toml_yaml_and_json_front_matter_are_mapped_by_the_mapping_file(
    repo: Project, site: Path
) -> None:
    result = run_import(repo, site, map_file=site / "map.toml", owner="web", dry_run=True)
    assert [Path(s.source).name for s in result.skipped] == ["_index.md", "map.toml"]
    cdn = by_origin(result, "content/postmortems/2022-11-02-cdn-purge.md")
    postmortem = documents.load_text(Path(cdn.target), cdn.text)[1]
    cet = dt.timezone(dt.timedelta(hours=1))
    assert cdn.shape == "toml front matter"
    assert postmortem.severity == "SEV2"
    assert postmortem.authors == ["lena", "tomás"]
    assert postmortem.tags == ["cdn", "storefront-outage"]
    assert postmortem.timestamps.started == dt.datetime(2022, 11, 2, 9, 14, tzinfo=cet)
    assert postmortem.timestamps.resolved == dt.datetime(2022, 11, 2, 10, 2, tzinfo=cet)
    assert postmortem.durations.detect_minutes == 4
    assert postmortem.impact.description is not None
    assert cdn.unmapped == ("draft",)
    assert ("Root cause", "root-causes") in cdn.alias_hints
    login = by_origin(result, "content/postmortems/2021-05-20-login-errors.md")
    login_model = documents.load_text(Path(login.target), login.text)[1]
    assert (login.shape, login_model.severity, login_model.owner) == (
        "json front matter",
        "SEV3",
        "ines",
    )
    assert (login_model.services, login_model.impact.affected_users) == (
        ["auth", "session-store"],
        1200,
    )


def test_a_midnight_date_is_a_date_only_and_a_naive_time_takes_the_timeline_zone(
    repo: Project, site: Path
) -> None:
    result = run_import(repo, site, map_file=site / "map.toml", owner="web", dry_run=True)
    plan = by_origin(result, "_posts/2020-07-08-payment-timeouts.md")
    postmortem = documents.load_text(Path(plan.target), plan.text)[1]
    cest = dt.timezone(dt.timedelta(hours=2))
    assert postmortem.id == "2020-07-08-payment-provider-timeouts"
    assert postmortem.timestamps.started is None
    assert postmortem.timestamps.detected == dt.datetime(2020, 7, 8, 14, 20, tzinfo=cest)
    assert any("at midnight: taken as a date only" in note for note in plan.notes)
    assert postmortem.action_items[0].status is ActionStatus.WONTFIX


def test_the_source_front_matter_is_kept_whole_in_a_comment(repo: Project, site: Path) -> None:
    result = run_import(repo, site, map_file=site / "map.toml", owner="web", dry_run=True)
    plan = by_origin(result, "content/postmortems/2022-11-02-cdn-purge.md")
    original = (site / plan.origin.path).read_text(encoding="utf-8")
    block = original[: original.index("+++", 3) + 3]
    assert f"<!-- pmctl:imported-front-matter (toml)\n{block}\n-->\n" in plan.text


def test_the_mapping_in_pmctl_toml_is_used_and_a_bad_mapping_file_points_at_its_line(
    repo: Project, site: Path, tmp_path: Path
) -> None:
    config = repo.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[import.map]\nseverity = { field = "severity", values = { major = "SEV1" } }\n',
        encoding="utf-8",
    )
    plan = by_origin(
        run_import(load_project(repo.root), site, owner="o", dry_run=True),
        "_posts/2020-07-08-payment-timeouts.md",
    )
    assert documents.load_text(Path(plan.target), plan.text)[1].severity == "SEV1"
    config.write_text(
        config.read_text(encoding="utf-8") + 'title = { field = "titel" }\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as error:
        load_project(repo.root)
    assert error.value.location.endswith(f"pmctl.toml:{len(config.read_text().splitlines())}")
    assert "did you mean 'title'?" in error.value.message
    bad = tmp_path / "map.toml"
    bad.write_text('title = "title"\n\ndate = { field = "dat" }\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        run_import(repo, site, map_file=bad, dry_run=True)
    assert error.value.location == f"{bad}:3"
    assert "did you mean 'date'?" in error.value.message


def test_a_leading_thematic_break_that_is_not_yaml_needs_shape_headings(
    repo: Project, tmp_path: Path
) -> None:
    source = tmp_path / "breaks"
    source.mkdir()
    (source / "2024-03-01-queue.md").write_text(
        "---\nNote: the outage: it started at noon\n---\n\n# Queue stall\n\n"
        "## Summary\n\nThe queue stalled.\n\n## Timeline\n\n- 12:00 Stall\n",
        encoding="utf-8",
    )
    (refused,) = closed(repo, source, dry_run=True).refused
    assert refused.source.endswith("2024-03-01-queue.md:2")
    assert "--shape headings" in refused.hint
    (plan,) = closed(repo, source, shape=ImportShape.HEADINGS, dry_run=True).planned
    assert (plan.shape, plan.id) == ("Markdown headings", "2024-03-01-queue-stall")
    refused_again = closed(repo, source, shape=ImportShape.FRONT_MATTER, dry_run=True).refused
    assert [r.reason.split(":")[0] for r in refused_again] == ["invalid YAML front matter"]


@pytest.mark.parametrize(
    ("front", "line", "said"),
    [
        (
            'title: "Queue stall\nseverity: SEV2\n',
            2,
            "a quoted value that starts here is never closed",
        ),
        (
            "title: Queue stall\ntags: [queue, stall\n",
            3,
            "a [ list that starts here is never closed",
        ),
        (
            "title: Queue stall\nimpact: {users: 10\n",
            3,
            "a { mapping that starts here is never closed",
        ),
    ],
)
def test_yaml_never_closed_is_reported_where_it_opens(
    repo: Project, tmp_path: Path, front: str, line: int, said: str
) -> None:
    """The line of the closing `---` was given, where PyYAML ran out of text."""
    source = tmp_path / "unclosed"
    source.mkdir()
    (source / "2024-03-01-queue.md").write_text(
        f"---\n{front}---\n\n# Queue stall\n\n## Summary\n\nThe queue stalled.\n",
        encoding="utf-8",
    )
    (refused,) = closed(repo, source, dry_run=True).refused
    assert refused.source.endswith(f"2024-03-01-queue.md:{line}")
    assert said in refused.reason


def test_json_output_for_scripts(repo: Project, legacy: Path) -> None:
    result = run_cli(
        repo.root, "import", str(legacy), "--dry-run", "--owner", "o", "--severity", "SEV3",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["version"], data["dry_run"], data["commit"]) == (1, True, None)
    failover = next(i for i in data["imported"] if i["origin"]["path"].endswith(".markdown"))
    assert failover["timeline"]["out_of_order"] == [
        {"line": 23, "entry": "~09:10", "after": "09:12"}
    ]
    assert failover["action_items"] == {"total": 6, "done": 4}
    assert {"kind": "mitigate", "minutes": None} in failover["durations"]
    assert failover["lint"][0]["rule"] == "PM302"
    assert len(data["skipped"]) == 5


def test_lint_and_help_do_not_load_the_import_machinery(repo: Project, legacy: Path) -> None:
    closed(repo, legacy)
    probe = (
        "import sys\n"
        "from pmctl.cli.app import main\n"
        "for args in (['--help'], ['lint']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('frontmatter', 'yaml', 'pykakasi') or m.startswith('pmctl.services.importing'))\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert "warning" in result.stdout
    assert result.stderr == "[]"
