"""No command commits what lint rejects: a change that would leave a postmortem failing the
content rules of its status is refused, naming the rule, and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pmctl.domain.actions import NewAction
from pmctl.domain.model import ActionType, Priority, Status, Verdict
from pmctl.domain.project import Project
from pmctl.errors import TransitionRefused
from pmctl.services import review, status
from pmctl.services.actions import add_action
from tests.conftest import git, run_cli
from tests.sample_postmortems import GOOD, TODAY

ID = "2026-11-20-checkout-latency"
CLOSED = GOOD.replace("status: in-review", "status: closed").replace(
    "reviews: []\nshared_with: []\n",
    "reviews:\n  - reviewer: carol\n    date: 2026-11-22\n    verdict: approved\n"
    "shared_with: [sre-team]\n",
)
ANSWERED = ", ".join(
    f"{question}: true"
    for question in (
        *("key-data", "impact", "root-cause", "action-plan", "shared", "owner"),
        *("root-cause-vs-trigger", "lessons", "action-items", "blameless"),
    )
)
ALERT = NewAction(
    title="Alert on pool saturation in every region",
    type=ActionType.PREVENT,
    owner="dave",
    priority=Priority.P2,
)


def commit_document(project: Project, text: str) -> Path:
    path = project.postmortem_dir / "2026" / f"{ID}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(project.root, "add", str(path))
    git(project.root, "commit", "--quiet", "--no-verify", "-m", f"add {ID}")
    return path


def unchanged(project: Project, path: Path) -> tuple[str, str, bytes]:
    return (
        git(project.root, "rev-parse", "HEAD"),
        git(project.root, "status", "--porcelain"),
        path.read_bytes(),
    )


def test_an_untracked_action_on_a_closed_postmortem_is_refused(repo: Project) -> None:
    path = commit_document(repo, CLOSED)
    before = unchanged(repo, path)
    with pytest.raises(TransitionRefused, match="PM503 closed-open-actions") as raised:
        add_action(repo, ID, ALERT, today=TODAY)
    assert "would fail lint as closed" in raised.value.message
    assert unchanged(repo, path) == before
    # Tracked elsewhere, it is allowed: closing only needs open items to be tracked.
    tracked = add_action(repo, ID, replace(ALERT, tracker="OPS-9"), today=TODAY)
    assert tracked.commit is not None


def test_an_approval_of_a_document_that_fails_in_review_rules_is_refused(
    repo: Project,
) -> None:
    path = commit_document(repo, GOOD.replace("    owner: bob\n", ""))  # PM201 from in-review on
    before = unchanged(repo, path)
    with pytest.raises(TransitionRefused, match="PM201"):
        review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")
    assert unchanged(repo, path) == before


def test_a_transition_to_reviewed_of_a_broken_document_is_refused(repo: Project) -> None:
    approved = GOOD.replace(
        "reviews: []\nshared_with: []\n",
        "reviews:\n  - reviewer: carol\n    date: 2026-11-22\n    verdict: approved\n"
        f"    checklist: {{{ANSWERED}}}\nshared_with: [sre-team]\n",
    )
    path = commit_document(repo, approved.replace("severity: SEV2", "severity: SEV9"))
    before = unchanged(repo, path)
    with pytest.raises(TransitionRefused, match="PM024"):
        status.move(repo, ID, Status.REVIEWED, today=TODAY)
    assert unchanged(repo, path) == before


def test_the_cli_names_the_rule_and_exits_5(repo: Project) -> None:
    commit_document(repo, CLOSED)
    result = run_cli(
        repo.root,
        *("action", "add", ID, "--title", "Alert on pool saturation in every region"),
        *("--type", "prevent", "--owner", "dave", "--priority", "P2"),
    )
    assert result.returncode == 5
    assert "PM503 closed-open-actions" in result.stderr
    assert "Traceback" not in result.stderr
