"""The GitHub Action and the GitLab CI template, run here step by step in a temp repository.

Both call `ci/pmctl-ci.sh`; these tests run the script itself, and the `run:`/`script:`
lines of `action.yml` and `ci/gitlab/pmctl.gitlab-ci.yml` with their inputs turned into the
environment as GitHub and GitLab would. No network: installs are pip's `--dry-run` of this
checkout, and pmctl itself is the one of this virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from pmctl.domain.project import Project
from tests.conftest import git, run_cli

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "ci" / "pmctl-ci.sh"
EXAMPLE = "2015-10-21-shakespeare-sonnet"
DRY_RUN = "--dry-run --no-deps --no-build-isolation"


@pytest.fixture
def postmortems(repo: Project) -> Project:
    """The example postmortems, one with an overdue action item, and no INDEX.md yet."""
    shutil.copytree(
        ROOT / "examples" / "shakespeare" / "postmortems", repo.postmortem_dir, dirs_exist_ok=True
    )
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "docs(postmortem): import the examples")
    added = run_cli(
        repo.root,
        *("action", "add", EXAMPLE, "--title", "Alert on the rate of queries of death"),
        *("--type", "mitigate", "--owner", "alice", "--priority", "P1", "--due", "2026-11-01"),
    )
    assert added.returncode == 0, added.stderr
    return repo


def environment(**settings: str) -> dict[str, str]:
    """This process's environment with this virtual environment's pmctl and python3 first."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return {**os.environ, "PATH": path, "NO_COLOR": "1", **settings}


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_a_clean_lint_passes_and_the_optional_checks_are_off_by_default(
    postmortems: Project,
) -> None:
    result = run(f"{SCRIPT} check", postmortems.root, environment())
    assert result.returncode == 0, result.stderr
    assert "2 files checked" in result.stdout
    assert "report" not in result.stderr


def test_the_optional_checks_fail_on_an_overdue_item_and_a_stale_index(
    postmortems: Project,
) -> None:
    overdue = run(f"{SCRIPT} check", postmortems.root, environment(PMCTL_REPORT_OVERDUE="true"))
    assert overdue.returncode == 1
    assert "1 overdue" in overdue.stdout
    stale = run(f"{SCRIPT} check", postmortems.root, environment(PMCTL_INDEX_CHECK="true"))
    assert stale.returncode == 1
    assert "INDEX.md is out of date" in stale.stderr
    assert run_cli(postmortems.root, "index").returncode == 0
    fresh = run(f"{SCRIPT} check", postmortems.root, environment(PMCTL_INDEX_CHECK="true"))
    assert fresh.returncode == 0, fresh.stderr


def break_one(project: Project) -> Path:
    """The English example with an unknown severity (PM024, an error)."""
    path = next(project.postmortem_dir.rglob(f"{EXAMPLE}.md"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("severity: SEV1", "severity: SEV9", 1),
        encoding="utf-8",
    )
    return path


def test_every_step_runs_and_the_worst_status_wins(postmortems: Project) -> None:
    break_one(postmortems)
    result = run(
        f"{SCRIPT} check",
        postmortems.root,
        environment(PMCTL_REPORT_OVERDUE="true", PMCTL_INDEX_CHECK="true"),
    )
    assert result.returncode == 1
    assert re.findall(r"^\+ pmctl (\w+)", result.stderr, re.MULTILINE) == [
        "lint",
        "report",
        "index",
    ]


def action_steps(inputs: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """The `run` steps of action.yml, each with its environment, for `inputs`."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    given = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    assert set(inputs) <= set(given), "an input the action does not have"
    given.update(inputs)

    def substitute(value: str) -> str:
        return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: given[m[1]], str(value))

    assert action["runs"]["using"] == "composite"
    return [
        (step["run"], {key: substitute(value) for key, value in step.get("env", {}).items()})
        for step in action["runs"]["steps"]
        if "run" in step
    ]


def test_the_github_action_installs_and_annotates_the_pull_request(postmortems: Project) -> None:
    broken = break_one(postmortems)
    steps = action_steps(
        {"report-overdue": "true", "junit": "pmctl-junit.xml", "pip-args": DRY_RUN}
    )
    assert len(steps) == 2
    outcomes = [
        run(command, postmortems.root, environment(GITHUB_ACTION_PATH=str(ROOT), **env))
        for command, env in steps
    ]
    installed, checked = outcomes
    assert installed.returncode == 0, installed.stderr
    assert "Would install pmctl" in installed.stdout  # the action's own checkout
    assert checked.returncode == 1
    annotation = f"::error file={broken.relative_to(postmortems.root)},line="
    assert annotation in checked.stdout
    assert "1 overdue" in checked.stdout
    report = ET.parse(postmortems.root / "pmctl-junit.xml").getroot()
    assert report.get("failures") == "1"


def test_the_action_installs_a_given_version_from_the_index() -> None:
    (install, env), _ = action_steps({"version": "0.1.0", "pip-args": "--dry-run --no-deps"})
    assert "install" in install
    assert env["PMCTL_SOURCE"] == "0.1.0"
    requirement = run(
        f"PYTHON=true {SCRIPT} install 0.1.0; PYTHON=echo {SCRIPT} install 0.1.0",
        ROOT,
        environment(),
    )
    assert requirement.stdout.split()[-1] == "pmctl==0.1.0"


def gitlab_job() -> dict[str, Any]:
    template = yaml.safe_load(
        (ROOT / "ci" / "gitlab" / "pmctl.gitlab-ci.yml").read_text(encoding="utf-8")
    )
    job: dict[str, Any] = template["pmctl"]
    return job


def test_the_gitlab_template_writes_code_quality_and_junit_reports(
    postmortems: Project,
) -> None:
    broken = break_one(postmortems)
    job = gitlab_job()
    variables = {str(k): str(v) for k, v in dict(job["variables"]).items()}
    variables.update(PMCTL_SOURCE=str(ROOT), PMCTL_PIP_ARGS=DRY_RUN, PMCTL_INDEX_CHECK="true")
    env = environment(**variables)
    lines = [line for line in job["before_script"] if not line.startswith("apt-get")]
    for line in lines:
        prepared = run(line, postmortems.root, env)
        assert prepared.returncode == 0, prepared.stderr
    script = "\n".join(job["script"])
    result = run(script, postmortems.root, env)
    assert result.returncode == 1
    reports = job["artifacts"]["reports"]
    quality = json.loads((postmortems.root / reports["codequality"]).read_text(encoding="utf-8"))
    (issue,) = [i for i in quality if i["check_name"].startswith("PM024")]
    assert issue["location"]["path"] == str(broken.relative_to(postmortems.root))
    assert issue["severity"] == "major"
    assert len({i["fingerprint"] for i in quality}) == len(quality)
    junit = ET.parse(postmortems.root / reports["junit"]).getroot()
    assert junit.get("failures") == "1"
    assert "INDEX.md is out of date" in result.stderr


def test_the_script_ships_in_the_package_where_the_template_finds_it() -> None:
    from pmctl.adapters.resources import builtin_dir

    assert (builtin_dir("ci") / "pmctl-ci.sh").read_bytes() == SCRIPT.read_bytes()
