"""The lint service: all postmortems or some paths, repository-wide rules, and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pmctl.adapters import cache
from pmctl.domain.config import LintSettings, RuleLevel, Settings
from pmctl.domain.lint import Severity
from pmctl.domain.project import Project
from pmctl.services import lint as service
from pmctl.services.lint import lint
from tests.conftest import git
from tests.sample_postmortems import GOOD, TODAY

ID = "2026-11-20-checkout-latency"


@pytest.fixture(autouse=True)
def cache_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the cache even for the few files of a test (a real run needs CACHE_FROM files)."""
    monkeypatch.setattr(service, "CACHE_FROM", 1)


def write(project: Project, text: str, name: str = ID) -> Path:
    path = project.postmortem_dir / "2026" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # Older than the cache's "racy" window, as a file saved a while ago would be.
    old = path.stat().st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(old, old))
    return path


def other(text: str, new_id: str) -> str:
    return text.replace(f"id: {ID}", f"id: {new_id}")


def rules_of(project: Project, **options: object) -> list[tuple[str, str]]:
    result = lint(project, today=TODAY, **options)  # type: ignore[arg-type]
    return [(f.path.name, f.rule) for f in result.findings]


def test_a_clean_repository(repo: Project) -> None:
    write(repo, GOOD)
    result = lint(repo, today=TODAY)
    assert result.findings == ()
    assert result.files_checked == 1
    assert not result.failed(strict=True)


def test_every_problem_in_every_file_is_reported(repo: Project) -> None:
    write(repo, GOOD.replace("SEV2", "SEV9"))
    write(repo, "", name="2026-11-21-empty")
    write(repo, "no front matter", name="2026-11-22-plain")
    assert rules_of(repo) == [
        (f"{ID}.md", "PM024"),
        ("2026-11-21-empty.md", "PM005"),
        ("2026-11-22-plain.md", "PM006"),
    ]


def test_duplicate_ids_file_names_and_related_links(repo: Project) -> None:
    write(repo, GOOD)
    write(repo, GOOD, name="2026-11-20-checkout-latency-copy")
    write(
        repo,
        other(GOOD, "2026-11-21-search").replace(
            "related: []", f"related: [{ID}, 2020-01-01-missing]"
        ),
        name="2026-11-21-search",
    )
    result = lint(repo, today=TODAY)
    found = {(f.path.name, f.rule) for f in result.findings}
    assert found == {
        ("2026-11-20-checkout-latency.md", "PM701"),
        ("2026-11-20-checkout-latency-copy.md", "PM701"),
        ("2026-11-20-checkout-latency-copy.md", "PM702"),
        ("2026-11-21-search.md", "PM703"),
    }
    (related,) = [f for f in result.findings if f.rule == "PM703"]
    assert "2020-01-01-missing" in related.message
    assert related.line == GOOD.split("\n").index("related: []") + 1


def test_linting_some_paths_still_knows_the_other_postmortems(repo: Project) -> None:
    write(repo, GOOD)
    linked = write(
        repo,
        other(GOOD, "2026-11-21-search").replace("related: []", f"related: [{ID}]"),
        name="2026-11-21-search",
    )
    result = lint(repo, [linked], today=TODAY)
    assert result.files_checked == 1
    assert result.findings == ()
    clash = write(repo, GOOD, name="2026-11-22-clash")
    (duplicate, name) = lint(repo, [clash], today=TODAY).findings
    assert (duplicate.rule, name.rule) == ("PM701", "PM702")
    assert f"{ID}.md" in duplicate.message


def test_a_directory_argument_lints_the_postmortems_inside(repo: Project) -> None:
    write(repo, GOOD.replace("SEV2", "SEV9"))
    result = lint(repo, [repo.postmortem_dir / "2026"], today=TODAY)
    assert [f.rule for f in result.findings] == ["PM024"]


def test_the_cache_lives_in_the_git_dir_and_is_reused(repo: Project) -> None:
    path = write(repo, GOOD.replace("SEV2", "SEV9"))
    first = lint(repo, today=TODAY)
    stored = cache.cache_path(repo.root, service.CACHE)
    assert stored.is_file()
    assert stored.is_relative_to(repo.root / ".git")
    assert git(repo.root, "status", "--porcelain") == "?? postmortems/2026/\n"
    # Same result from the cache, proven by a cache entry the checker could not produce.
    assert lint(repo, today=TODAY) == first
    assert path.exists()


def test_a_few_files_are_checked_without_the_cache(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "CACHE_FROM", 2)
    write(repo, GOOD)
    lint(repo, today=TODAY)
    assert not cache.cache_path(repo.root, service.CACHE).exists()
    write(repo, other(GOOD, "2026-11-21-search"), name="2026-11-21-search")
    lint(repo, today=TODAY)
    assert cache.cache_path(repo.root, service.CACHE).exists()


def test_a_changed_file_is_checked_again(repo: Project) -> None:
    path = write(repo, GOOD)
    assert lint(repo, today=TODAY).findings == ()
    write(repo, GOOD.replace("SEV2", "SEV9"))
    assert [f.rule for f in lint(repo, today=TODAY).findings] == ["PM024"]
    path.unlink()
    assert lint(repo, today=TODAY).files_checked == 0


def test_a_file_changed_within_the_same_second_is_not_served_stale(repo: Project) -> None:
    path = repo.postmortem_dir / "2026" / f"{ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD, encoding="utf-8")
    assert lint(repo, today=TODAY).findings == ()
    stat = path.stat()
    # Same size, same mtime: only a "racy" file is never cached, so this is still seen.
    path.write_text(GOOD.replace("SEV2", "SEV9"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [f.rule for f in lint(repo, today=TODAY).findings] == ["PM024"]


def test_the_cache_is_dropped_when_settings_or_the_date_change(repo: Project) -> None:
    write(repo, GOOD)
    assert lint(repo, today=TODAY).findings == ()
    assert [f.rule for f in lint(repo, today=TODAY.replace(day=29)).findings] == ["PM501"]
    changed = Project(repo.root, Settings(lint=LintSettings(rules={"PM501": RuleLevel.WARNING})))
    (finding,) = lint(changed, today=TODAY.replace(day=29)).findings
    assert finding.severity is Severity.WARNING


def test_a_corrupt_cache_is_ignored(repo: Project) -> None:
    write(repo, GOOD.replace("SEV2", "SEV9"))
    lint(repo, today=TODAY)
    cache.cache_path(repo.root, service.CACHE).write_bytes(b"\x00garbage")
    assert [f.rule for f in lint(repo, today=TODAY).findings] == ["PM024"]


def test_without_git_the_cache_goes_to_the_xdg_cache_dir(
    tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "plain"
    root.mkdir()
    assert cache.cache_path(root, service.CACHE).is_relative_to(tmp_path / "cache" / "pmctl")


def test_a_worktree_git_file_is_followed(tmp_path: Path) -> None:
    root = tmp_path / "wt"
    root.mkdir()
    (tmp_path / "real-git-dir").mkdir()
    (root / ".git").write_text("gitdir: ../real-git-dir\n", encoding="utf-8")
    assert cache.cache_path(root, service.CACHE) == (
        tmp_path / "real-git-dir" / "pmctl" / "lint-cache"
    )


def test_cold_parallel_and_cached_runs_agree(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(12):
        text = other(GOOD, f"2026-11-20-incident-{number}")
        if number % 3 == 0:
            text = text.replace("Detection took", "A careless push. Detection took")
        write(repo, text, name=f"2026-11-20-incident-{number}")
    serial = lint(repo, today=TODAY, use_cache=False)
    monkeypatch.setattr(service, "PARALLEL_FROM", 2)
    parallel = lint(repo, today=TODAY, use_cache=False)
    cached = lint(repo, today=TODAY)
    again = lint(repo, today=TODAY)
    assert serial == parallel == cached == again
    assert [f.rule for f in serial.findings] == ["PM402"] * 4


def test_a_file_lint_would_not_read_is_a_warning_attachments_are_not(repo: Project) -> None:
    write(repo, GOOD)
    folder = repo.postmortem_dir / "2026"
    (folder / "2026-11-21-disk-full.markdown").write_text(GOOD, encoding="utf-8")
    (folder / "notes").write_text("loose notes\n", encoding="utf-8")
    (folder / "p99-latency.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    found = [(f.path.name, f.rule, f.severity) for f in lint(repo, today=TODAY).findings]
    assert found == [
        ("2026-11-21-disk-full.markdown", "PM013", Severity.WARNING),
        ("notes", "PM013", Severity.WARNING),
    ]
    # Linting one file (a pre-commit run) does not walk the directory.
    assert lint(repo, [folder / f"{ID}.md"], today=TODAY).findings == ()
