"""Running several real `pmctl` processes against one repository, and reading the result."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from pmctl.adapters import documents
from pmctl.domain.model import Language, Postmortem
from pmctl.domain.project import Project
from pmctl.services.new import NewPostmortem, create
from tests.conftest import git

DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130, 143}

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
"""When the fault tests' postmortems are written (the suite's today is 2026-11-23)."""

ITEM = ("--type", "mitigate", "--owner", "bob", "--priority", "P2")
"""An action item's options, its title aside."""

ADD = ("--title", "Alert on queue depth", *ITEM)
"""The options of `pmctl action add` for one well-formed item."""


def new_postmortem(project: Project, title: str = "Checkout latency") -> Path:
    """A committed SEV2 draft owned by alice."""
    request = NewPostmortem(title=title, severity="SEV2", owner="alice", language=Language.EN)
    return create(project, request, now=NOW, commit=True).path


def start(cwd: Path, *args: str, new_session: bool = False) -> subprocess.Popen[str]:
    """`python -m pmctl args` in `cwd`, started now, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        start_new_session=new_session,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


def at_head(root: Path, path: Path) -> Postmortem:
    """The postmortem as HEAD holds it."""
    relative = path.relative_to(root).as_posix()
    return documents.load_text(path, git(root, "show", f"HEAD:{relative}"))[1]


def clean(root: Path) -> bool:
    return git(root, "status", "--porcelain", "--untracked-files=all") == ""
