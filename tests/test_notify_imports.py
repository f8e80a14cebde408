"""apprise (and the requests stack it brings) is imported only when an apprise channel sends:
`pmctl --help`, `pmctl lint` and a transition without `[notify.apprise]` never pay for it."""

from __future__ import annotations

import os
import subprocess
import sys

from pmctl.domain.config import CONFIG_FILE
from pmctl.domain.project import Project
from tests.conftest import git
from tests.test_notify import free_port
from tests.test_status import ID, write_postmortem

# Runs the commands in one process, then says which of the heavy modules were imported.
PROBE = f"""
import sys
from pmctl.cli.app import main
for argv in (["--help"], ["lint"], ["status", "{ID}", "in-review"]):
    try:
        main(argv)
    except SystemExit:
        pass
print(sorted(name for name in ("apprise", "requests", "urllib3") if name in sys.modules))
"""


def imported(project: Project) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PMCTL_TEST_APPRISE": f"json://127.0.0.1:{free_port()}/hook"},
    )
    last_commit = git(project.root, "log", "-1", "--format=%B")
    assert "Pmctl-Transition: draft->in-review" in last_commit, result.stderr
    return result.stdout.splitlines()[-1]


def test_help_lint_and_a_transition_without_apprise_channels_do_not_import_it(
    repo: Project,
) -> None:
    write_postmortem(repo)

    assert imported(repo) == "[]"


def test_a_transition_with_an_apprise_channel_imports_it(repo: Project) -> None:
    with (repo.root / CONFIG_FILE).open("a", encoding="utf-8") as toml:
        toml.write(
            '\n[notify]\nretries = 0\n\n[notify.apprise]\nurls_env = ["PMCTL_TEST_APPRISE"]\n'
        )
    git(repo.root, "commit", "--quiet", "-m", "notify by apprise", "--", CONFIG_FILE)
    write_postmortem(repo)

    assert "apprise" in imported(repo)
