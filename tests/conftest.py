"""Shared fixtures: real git repositories in temp dirs with an isolated git config."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain.model import Language
from pmctl.domain.project import Project
from pmctl.services.init import initialise

FIXED_DATE = "2026-11-23T12:00:00+00:00"
TODAY = "2026-11-23"
"""The date every command-line run in the suite takes as today (`PMCTL_TODAY`)."""


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own global git config, fixed commit dates and a pinned clock."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test Author\n\temail = author@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_DATE", FIXED_DATE)
    monkeypatch.setenv("GIT_COMMITTER_DATE", FIXED_DATE)
    monkeypatch.setenv("PMCTL_TODAY", TODAY)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return config


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its stdout; fail the test on a non-zero exit."""
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An initialised pmctl repository (committed), with the cwd inside it."""
    root = tmp_path / "pm"
    root.mkdir()
    initialise(root, language=Language.EN, force=False, commit=True)
    monkeypatch.chdir(root)
    return load_project(root)


def run_cli(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pmctl's command line (`pmctl.cli.app.main`) in this process, in `cwd`, without a
    terminal, and return what it printed and its exit code.

    `env` adds to (or overrides) the test's environment for the run; the environment and
    the working directory are restored afterwards. A tenth of the cost of a new process:
    most wiring tests use this, and `run_process` is kept for what needs a real process.
    """
    from pmctl.cli.app import main

    saved_env, saved_cwd = dict(os.environ), Path.cwd()
    out, err = io.StringIO(), io.StringIO()
    os.environ.update({"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    os.chdir(cwd)
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _stdin(stdin),
        ):
            try:
                main(list(args))
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["pmctl", *args], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def run_process(
    cwd: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `pmctl` entry point (`python -m pmctl`) in `cwd`, without a terminal.

    `env` adds to (or overrides) the test's environment.
    """
    return subprocess.run(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
    )
