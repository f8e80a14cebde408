"""A `pmctl site build` killed outright leaves staged files; the next build removes them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.site_corpus import EN_ID, EXAMPLES

COPIES = 120


def _add_copies(project: Project) -> None:
    """Enough postmortems that a cold build takes long enough to be killed in the middle."""
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    target = project.postmortem_dir / "2015"
    target.mkdir(parents=True, exist_ok=True)
    for number in range(COPIES):
        copy = f"{EN_ID}-{number}"
        text = english.replace(f"id: {EN_ID}", f"id: {copy}").replace("related: [", "related: [] #")
        (target / f"{copy}.md").write_text(text, encoding="utf-8")
    git(project.root, "add", "postmortems")
    git(project.root, "commit", "-q", "-m", "many postmortems")


def _leftovers(project: Project) -> list[str]:
    site = project.root / "_site"
    states = project.root / ".git" / "pmctl"
    return sorted(
        [path.name for path in site.rglob("*") if path.name.endswith(".tmp")]
        + [path.name for path in states.glob("site-*/*") if ".staged" in path.name]
    )


def _kill_once_staging(project: Project) -> None:
    build = subprocess.Popen(
        [sys.executable, "-m", "pmctl", "site", "build"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the killed build's workers go with it
    )
    try:
        deadline = time.monotonic() + 60
        while not _leftovers(project) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()


def test_the_next_build_removes_what_a_killed_build_staged(repo: Project) -> None:
    _add_copies(repo)
    _kill_once_staging(repo)
    assert _leftovers(repo), "the build ended before it staged a file: make the corpus bigger"
    markers = list((repo.root / ".git" / "pmctl").glob("site-*/building.*"))
    assert len(markers) == 1  # the killed build says it never finished

    result = run_cli(repo.root, "site", "build")

    assert result.returncode == 0, result.stderr
    assert _leftovers(repo) == []
    assert list((repo.root / ".git" / "pmctl").glob("site-*/building.*")) == []
    assert len(list((repo.root / "_site" / "pm").glob("*.html"))) == COPIES  # all there


def test_a_build_still_running_keeps_its_staged_files(repo: Project) -> None:
    """Another build's staged files are removed only once its process has ended."""
    run_cli(repo.root, "site", "build")
    running = subprocess.Popen(["sleep", "30"])
    try:
        state = next((repo.root / ".git" / "pmctl").glob("site-*"))
        (state / f"building.{running.pid}").touch()
        staged = repo.root / "_site" / f".page.html.{running.pid}.tmp"
        staged.write_text("half a page", encoding="utf-8")

        assert run_cli(repo.root, "site", "build").returncode == 0
        assert staged.exists()

        running.kill()
        running.wait()
        assert run_cli(repo.root, "site", "build").returncode == 0
        assert not staged.exists()
        assert not (state / f"building.{running.pid}").exists()
    finally:
        running.kill()
