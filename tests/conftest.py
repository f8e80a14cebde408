"""Shared fixtures: real git repositories in temp dirs with an isolated git config."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain.model import Language
from pmctl.domain.project import Project
from pmctl.services.init import initialise
from tests.browser import CHROMIUM, FLAGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FIXED_DATE = "2026-11-23T12:00:00+00:00"
TODAY = "2026-11-23"
"""The date every command-line run in the suite takes as today (`PMCTL_TODAY`)."""


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own global git config, fixed commit dates and a pinned clock."""
    config = isolate_git(tmp_path_factory.mktemp("home"), monkeypatch)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return config


def isolate_git(home: Path, monkeypatch: pytest.MonkeyPatch, *, clear: bool = False) -> Path:
    """Point HOME and git's global config at `home`, with the suite's identity and dates;
    with `clear`, first drop every GIT_ and PMCTL_ variable."""
    if clear:
        for name in [n for n in os.environ if n.startswith(("GIT_", "PMCTL_"))]:
            monkeypatch.delenv(name)
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
    return config


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its stdout; fail the test on a non-zero exit."""
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout


@pytest.fixture
def repo(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Project:
    """An initialised pmctl repository (committed), with the cwd inside it.

    `initialise` runs once per worker; each test gets a copy of that repository (371 tests
    use this fixture: a copy costs 6 ms of CPU, a new `init` and commit 37 ms).
    """
    root = initialised_copy(tmp_path / "pm", tmp_path_factory)
    monkeypatch.chdir(root)
    return load_project(root)


def initialised_copy(root: Path, factory: pytest.TempPathFactory) -> Path:
    """`root`: a copy of the repository `initialise(commit=True)` makes, in the suite's git
    environment."""
    shutil.copytree(_initialised(factory), root, symlinks=True)
    # The copy's files have new inodes and change times, so the index's stat data is stale:
    # refresh it, or `git diff-index` would call every file modified until git rehashes it.
    git(root, "update-index", "-q", "--refresh")
    return root


_INITIALISED: list[Path] = []


def _initialised(factory: pytest.TempPathFactory) -> Path:
    """A repository as `initialise(commit=True)` leaves it, made once per worker in the
    suite's isolated git environment (fixed identity and dates, so every test's copy has the
    same commit a new `init` would make)."""
    if not _INITIALISED:
        base = factory.mktemp("initialised")
        with pytest.MonkeyPatch.context() as clean:
            isolate_git(base, clean, clear=True)  # whatever the first test using it has set
            (base / "pm").mkdir()
            initialise(base / "pm", language=Language.EN, force=False, commit=True)
        _INITIALISED.append(base / "pm")
    return _INITIALISED[0]


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A directory that `make` fills once per test session, whichever xdist worker asks first;
    the others wait for it and share it (read only)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's directory, above each worker's own
    target = base / f"once-{name}"
    with (base / f"once-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".made").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            make(target)
            (target / ".made").touch()
    return target


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pmctl's wheel, built once per session from this checkout as `pip install .` or
    `pipx install .` builds it: in an isolated environment holding only the build system's
    requirements (so a missing one fails here). The install tests all use it; a build costs
    about 3 s of CPU."""

    def build(out: Path) -> None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "-w",
                str(out),
                str(ROOT),
            ],
            check=True,
            capture_output=True,
            # No .pyc files in the throw-away build environment: a third of the build's time.
            env={**os.environ, "PIP_NO_COMPILE": "1"},
        )

    (built,) = made_once(tmp_path_factory, "wheel", build).glob("pmctl-*.whl")
    return built


@pytest.fixture(scope="session")
def tool(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a `pipx install` of `wheel` (the README's tool install), made once
    per session: pipx resolves and installs pmctl's dependencies into a new environment.
    Without .pyc files (`--no-compile`): 18 CPU-s from the source tree with them, 7 without."""

    def install(home: Path) -> None:
        installed = subprocess.run(
            [sys.executable, "-m", "pipx", "install", "--pip-args=--no-compile", str(wheel)],
            env={
                **os.environ,
                "PIPX_HOME": str(home / "pipx"),
                "PIPX_BIN_DIR": str(home / "bin"),
                "PIPX_MAN_DIR": str(home / "man"),
            },
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stderr

    return made_once(tmp_path_factory, "pipx", install) / "bin"


def tool_environment() -> dict[str, str]:
    """The environment to run `tool`'s pmctl in: not this checkout's (no PYTHONPATH), and
    free to write .pyc files, since pipx installed it without (a run compiling what it
    imports costs 0.7 s of CPU; with them, 0.3)."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    }


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
    cwd: Path,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    limits: Callable[[], None] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `pmctl` entry point (`python -m pmctl`) in `cwd`, without a terminal.

    `env` adds to (or overrides) the test's environment; `limits` runs in the child before
    pmctl starts (to set a resource limit); past `timeout` seconds the child is killed and
    `subprocess.TimeoutExpired` raised (for what used to hang).
    """
    return subprocess.run(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limits,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
    )


def run_read_only(directory: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`run_process` with `directory` mounted read-only (a CI job that mounts the checkout
    so), in a user and mount namespace of its own. Skips the test when there is none."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rm", "true"], check=False).returncode:
        pytest.skip("no user and mount namespace to mount a directory read-only in")
    place = shlex.quote(str(directory))
    mount = f"mount --bind {place} {place} && mount -o remount,bind,ro {place}"
    pmctl = (sys.executable, "-m", "pmctl", *args)
    return subprocess.run(
        [unshare, "-rm", "sh", "-c", f'{mount} && exec "$@"', "sh", *pmctl],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def without_root_powers() -> list[str]:
    """The command prefix that runs a process unable to read what its permissions forbid:
    none for a user; `unshare -r` for root (which reads anything), in a user namespace where
    files of an unmapped owner keep their permissions. Skips the test when there is none."""
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-r", "true"], check=False).returncode:
        pytest.skip("root, and no user namespace to give up its powers in")
    return ["unshare", "-r"]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` run by a fresh Python (what a new process imports is its own business)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


INSTALLS = ("tests/test_packaging.py", "tests/test_distribution.py")
"""The modules that build the wheel and `pipx install` it (session fixtures): 25 s of one
worker, 10 of them waiting for the package registry."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The install tests first: `--dist worksteal` gives them to the first worker at once, so
    the wheel and the pipx install overlap the rest of the suite and can never be its last
    25 s, wherever the collection's order would have put them."""
    items.sort(key=lambda item: item.nodeid.partition("::")[0] not in INSTALLS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the site's browser tests (one per module)."""
    if not CHROMIUM.exists():
        if os.environ.get("PMCTL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and PMCTL_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium fonts-noto-cjk`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # (Playwright gives every launch a fresh, temporary profile of its own.)
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS))
        yield launched
        launched.close()
