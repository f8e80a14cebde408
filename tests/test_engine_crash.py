"""A crash of the YAML engine on one file is a finding on that file, never the end of lint.

The crash here is real: yaml-rs 0.1.6 dies of a stack overflow (SIGSEGV) on front matter
nested 20,000 levels deep. The reader refuses such front matter before the engine sees it
(`yaml_engine.MAX_INDENT`); to reach the engine, these tests lift that guard.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest

from pmctl.adapters import yaml_engine
from pmctl.adapters.parallel import ChildCrashed, ordered, pipelined, split
from pmctl.domain.project import Project
from pmctl.services.lint import lint
from tests.conftest import git
from tests.sample_postmortems import GOOD, TODAY
from tests.test_lint_service import other, write

CRASHING_FRONT_MATTER = "- " * 20_000 + "x\n"
"""40 KB that yaml-rs 0.1.6 cannot survive."""


@pytest.fixture
def unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let deeply nested front matter through to the engine."""
    monkeypatch.setattr(yaml_engine, "_TOO_DEEP", re.compile(r"(?!)"))


def test_the_crash_is_real_an_engine_in_a_process_of_its_own_dies_of_it() -> None:
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, yaml_rs; yaml_rs.loads(sys.stdin.read(), parse_datetime=False)",
        ],
        input=CRASHING_FRONT_MATTER,
        capture_output=True,
        text=True,
        check=False,
    )
    assert crashed.returncode == -signal.SIGSEGV


def test_the_reader_refuses_the_known_crash_before_the_engine_sees_it() -> None:
    with pytest.raises(yaml_engine.YamlProblem, match="nested or indented 200 levels deep"):
        yaml_engine.parse(CRASHING_FRONT_MATTER)


@pytest.mark.usefixtures("unguarded")
def test_lint_reports_a_file_that_crashes_the_engine_and_checks_the_others(
    repo: Project,
) -> None:
    good = write(repo, GOOD)
    crashing = write(repo, f"---\n{CRASHING_FRONT_MATTER}---\n\n# Body\n", "2026-11-21-crashing")
    also_good = write(repo, other(GOOD, "2026-11-22-also-good"), "2026-11-22-also-good")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "three postmortems")

    result = lint(repo, today=TODAY, use_cache=False)

    by_file = {path: [f.rule for f in result.findings if f.path == path] for path in result.paths}
    assert by_file[crashing][0] == "PM014"
    assert "PM008" in by_file[crashing]  # the fallback engine's own refusal of the nesting
    assert by_file[good] == by_file[also_good] == []
    (crash,) = [f for f in result.findings if f.rule == "PM014"]
    assert crash.line == 2
    assert "PMCTL_YAML_ENGINE=pyyaml" in crash.hint
    assert result.failed()


@pytest.mark.usefixtures("unguarded")
def test_lint_of_the_one_crashing_file_as_pre_commit_runs_it_survives(repo: Project) -> None:
    crashing = write(repo, f"---\n{CRASHING_FRONT_MATTER}---\n", "2026-11-21-crashing")

    result = lint(repo, [crashing], today=TODAY)

    assert [f.rule for f in result.findings][:1] == ["PM014"]
    assert result.files_checked == 1


def test_a_child_that_crashes_on_an_item_has_that_item_rescued_and_the_rest_done() -> None:
    parent = os.getpid()

    def aborts_on_13(chunk: Sequence[int]) -> list[tuple[int, bool]]:
        if 13 in chunk:
            os.abort()  # what a Rust panic does in a release build of yaml-rs
        return [(value, os.getpid() != parent) for value in chunk]

    rescued: list[int] = []

    def rescue(value: int) -> tuple[int, bool]:
        rescued.append(value)
        return (-value, False)

    results = list(
        ordered(aborts_on_13, split(list(range(20)), [0.5, 0.5]), rescue=rescue, isolate=True)
    )

    assert [value for value, _ in results] == [*range(13), -13, *range(14, 20)]
    assert rescued == [13]
    assert all(in_child for value, in_child in results if value >= 0)


def test_without_isolation_the_parents_own_chunk_still_runs_here() -> None:
    parent = os.getpid()

    def where(chunk: Sequence[int]) -> list[bool]:
        return [os.getpid() == parent for _ in chunk]

    assert list(ordered(where, split([1, 2, 3, 4], [0.5, 0.5]))) == [
        True,
        True,
        False,
        False,
    ]


def _aborts_on_bad(chunk: Sequence[str]) -> list[str]:
    if "bad.md" in chunk:
        os.abort()
    return list(chunk)


@pytest.mark.parametrize(
    "run",
    [
        ordered,
        lambda work, batches: pipelined(work, batches, workers=2),
    ],
    ids=["ordered", "pipelined"],
)
def test_a_crash_with_no_rescue_is_an_error_naming_the_item_not_a_dead_parent(
    run: Callable[..., Iterable[list[str]]],
) -> None:
    with pytest.raises(ChildCrashed, match=r"bad\.md"):
        list(run(_aborts_on_bad, [["a.md"], ["b.md"], ["bad.md", "c.md"]]))


def test_a_crash_leaves_no_core_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def aborts(chunk: Sequence[int]) -> list[int]:
        os.abort()

    assert list(ordered(aborts, [[1]], rescue=lambda value: value, isolate=True)) == [1]
    assert not any(path.name.startswith("core") for path in tmp_path.iterdir())
