"""The real `pre-commit` tool runs `pmctl lint` as a local hook and passes or fails with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git
from tests.sample_postmortems import GOOD

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
PMCTL = shutil.which("pmctl", path=str(BIN))

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or PMCTL is None,
    reason="the pre-commit and pmctl executables are not installed next to this Python",
)

CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: pmctl-lint
        name: pmctl lint
        entry: {entry} lint
        language: system
        files: ^postmortems/.*\\.md$
"""


def pre_commit(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    return subprocess.run(
        [PRE_COMMIT, "run"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"},
    )


def test_pre_commit_passes_a_good_postmortem_and_fails_a_bad_one(
    repo: Project, tmp_path: Path
) -> None:
    root = repo.root
    (root / ".pre-commit-config.yaml").write_text(CONFIG.format(entry=PMCTL), encoding="utf-8")
    git(root, "add", ".pre-commit-config.yaml")
    path = repo.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.replace("status: in-review", "status: draft"), encoding="utf-8")
    git(root, "add", str(path))

    good = pre_commit(root, tmp_path / "pre-commit-home")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "pmctl lint" in good.stdout
    assert "Passed" in good.stdout

    path.write_text(GOOD.replace("severity: SEV2", "severity: SEV9"), encoding="utf-8")
    git(root, "add", str(path))
    bad = pre_commit(root, tmp_path / "pre-commit-home")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert "PM024" in bad.stdout


def test_the_published_hook_definition_is_a_valid_manifest(tmp_path: Path) -> None:
    assert PRE_COMMIT is not None
    definition = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
    result = subprocess.run(
        [PRE_COMMIT, "validate-manifest", str(definition)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "entry: pmctl lint" in definition.read_text(encoding="utf-8")


def test_the_hook_init_writes_for_a_subdirectory_finds_its_project(tmp_path: Path) -> None:
    # `pmctl init docs/incidents` in a monorepo: pre-commit runs the hook at the top of the
    # repository, where there is no pmctl.toml; every commit of a postmortem failed with
    # "no pmctl.toml found". The project is now found from the files the hook is given.
    from pmctl.domain.model import Language
    from pmctl.services.init import initialise

    root = tmp_path / "mono"
    root.mkdir()
    git(root, "init", "--quiet")
    initialise(root / "docs" / "incidents", language=Language.EN, force=False, commit=True)
    config = root / ".pre-commit-config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("entry: pmctl ", f"entry: {PMCTL} "),
        encoding="utf-8",
    )
    git(root, "add", ".pre-commit-config.yaml")
    path = root / "docs" / "incidents" / "postmortems" / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD.replace("status: in-review", "status: draft"), encoding="utf-8")
    git(root, "add", str(path))

    good = pre_commit(root, tmp_path / "pre-commit-home")
    assert good.returncode == 0, good.stdout + good.stderr

    path.write_text(GOOD.replace("severity: SEV2", "severity: SEV9"), encoding="utf-8")
    git(root, "add", str(path))
    bad = pre_commit(root, tmp_path / "pre-commit-home")
    assert bad.returncode == 1
    assert "PM024" in bad.stdout, bad.stdout
