"""`pmctl review`: the checklist in both languages, approvals, requests for changes, notices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.config import NotifySettings, WebhookSettings
from pmctl.domain.model import Language, Status, Verdict
from pmctl.domain.project import Project
from pmctl.errors import TransitionRefused, UsageError
from pmctl.services import review, status
from pmctl.services.new import NewPostmortem, create
from pmctl.ui import review_output
from tests.conftest import git, run_cli
from tests.test_status import DOCUMENT, ID, TODAY, diff_lines, snapshot, write_postmortem


@pytest.fixture
def in_review(repo: Project) -> Path:
    path = write_postmortem(repo)
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    return path


def test_checklist_is_pre_answered_from_lint_and_the_front_matter(repo: Project) -> None:
    write_postmortem(repo)
    answers = {a.question.id: a for a in review.checklist(repo, ID, today=TODAY).answers}
    assert {key: a.answer for key, a in answers.items()} == {
        "key-data": None,
        "impact": None,
        "root-cause": None,
        "action-plan": None,
        "shared": False,
        "owner": True,
        "root-cause-vs-trigger": None,
        "lessons": True,
        "action-items": True,
        "blameless": None,
    }
    assert answers["shared"].reasons == ("shared_with が空",)


def test_checklist_names_the_findings_behind_a_no(repo: Project) -> None:
    request = NewPostmortem(
        title="Checkout latency", severity="SEV2", owner="alice", language=Language.EN
    )
    created = create(repo, request, now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), commit=True)
    checklist = review.checklist(repo, created.id, today=TODAY)
    answers = {a.question.id: a for a in checklist.answers}
    assert answers["lessons"].answer is False
    assert sorted(f.rule for f in answers["lessons"].findings) == ["PM102", "PM102", "PM102"]
    text = review_output.render_terminal(checklist, cwd=repo.root)
    assert "[ ] Was the outcome shared with the relevant stakeholders?  (no)" in text
    assert "[x] Is one accountable owner named?  (yes)" in text
    assert "PM102 section 'What went well' is not filled in" in text


def test_a_trigger_that_copies_the_root_causes_answers_no(repo: Project) -> None:
    """ "Are the root cause and the trigger told apart?" was left to the reviewer even when the
    trigger was a copy of the root causes, word for word (PM105 now says so)."""
    write_postmortem(
        repo,
        DOCUMENT.replace(
            "新しいソネットの発見による急激なトラフィック増加。",
            "ファイルディスクリプタの枯渇により\nバックエンドが連鎖的に停止した。",
        ),
    )
    answers = {a.question.id: a for a in review.checklist(repo, ID, today=TODAY).answers}
    assert answers["root-cause-vs-trigger"].answer is False
    assert [f.rule for f in answers["root-cause-vs-trigger"].findings] == ["PM105"]
    assert (
        "section '発生要因' repeats section '根本原因'"
        in answers["root-cause-vs-trigger"].findings[0].message
    )


def test_markdown_checklist_follows_the_documents_language(repo: Project) -> None:
    write_postmortem(repo)
    markdown = review_output.render_markdown(review.checklist(repo, ID, today=TODAY), cwd=repo.root)
    assert markdown.startswith("## レビューチェックリスト: 2026-11-20-sonnet-search: ")
    assert "### SRE本の観点" in markdown
    assert "- [ ] 結果は関係するステークホルダーたちと共有されたか? _(いいえ)_" in markdown
    assert "  - `shared_with が空`" in markdown
    assert "- [x] 担当者は明確か? _(はい)_" in markdown
    assert "- [ ] 根本原因は十分に深く分析されているか? _(レビュアーが判断)_" in markdown


def test_approval_adds_only_the_review_lines_in_one_commit(repo: Project, in_review: Path) -> None:
    recorded = review.record(repo, ID, Verdict.APPROVED, today=TODAY)
    assert recorded.reviewer == "Test Author"  # git's user.name
    assert diff_lines(repo.root, "HEAD~1", "HEAD") == [
        "-reviews: []",
        "+reviews:",
        "+  - reviewer: Test Author",
        "+    date: 2026-11-23",
        "+    verdict: approved",
        "+    checklist:",
        "+      key-data: true",
        "+      impact: true",
        "+      root-cause: true",
        "+      action-plan: true",
        "+      shared: false",
        "+      owner: true",
        "+      root-cause-vs-trigger: true",
        "+      lessons: true",
        "+      action-items: true",
        "+      blameless: true",
    ]
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert f"Pmctl-Id: {ID}" in trailers
    assert "Pmctl-Review: approved" in trailers
    assert not [line for line in trailers if line.startswith("Pmctl-Transition")]
    raw = in_review.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert review.checklist(repo, ID, today=TODAY).approvers == ("Test Author",)


def test_an_author_cannot_approve_and_nothing_is_written(repo: Project, in_review: Path) -> None:
    before = snapshot(repo.root), in_review.read_bytes()
    for author in ("山田", "SUZUKI"):
        with pytest.raises(TransitionRefused, match="cannot approve"):
            review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer=author)
    assert (snapshot(repo.root), in_review.read_bytes()) == before


def test_an_author_known_to_git_by_another_name_cannot_approve(
    repo: Project, in_review: Path
) -> None:
    """The author `suzuki` committing as "Ichiro Suzuki" <suzuki@example.com> approved their
    own postmortem: only git's name was compared with the owner and authors."""
    before = snapshot(repo.root), in_review.read_bytes()
    identity = {"GIT_AUTHOR_NAME": "Ichiro Suzuki", "GIT_AUTHOR_EMAIL": "Suzuki@example.com"}
    refused = run_cli(repo.root, "review", ID, "--approve", env=identity)
    assert refused.returncode == 5, refused.stdout
    assert "Ichiro Suzuki (suzuki) is an author of" in refused.stderr
    assert (snapshot(repo.root), in_review.read_bytes()) == before
    identity["GIT_AUTHOR_EMAIL"] = "carol@example.com"  # another person: approves
    approved = run_cli(repo.root, "review", ID, "--approve", env=identity)
    assert approved.returncode == 0, approved.stderr
    assert "approved by Ichiro Suzuki" in approved.stdout


@pytest.mark.parametrize(
    ("owner", "matched"),
    [("'@suzuki'", "@suzuki"), ("'Ichiro <SUZUKI@example.com>'", "Ichiro <SUZUKI@example.com>")],
)
def test_an_owner_written_as_a_handle_or_with_an_address_cannot_approve(
    repo: Project, owner: str, matched: str
) -> None:
    path = write_postmortem(repo)
    text = path.read_text(encoding="utf-8").replace("owner: 山田\n", f"owner: {owner}\n")
    text = text.replace("authors: [山田, 'suzuki']", "authors: [山田]")
    path.write_text(text, encoding="utf-8")
    git(repo.root, "commit", "-qam", "owner as the team writes it")
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    identity = {"GIT_AUTHOR_NAME": "Ichiro Suzuki", "GIT_AUTHOR_EMAIL": "suzuki@example.com"}
    refused = run_cli(repo.root, "review", ID, "--approve", env=identity)
    assert refused.returncode == 5, refused.stdout
    assert f"Ichiro Suzuki ({matched}) is an author of" in refused.stderr


def test_status_of_a_draft_sent_back_says_what_the_reviewer_asked(
    repo: Project, in_review: Path
) -> None:
    """`pmctl status ID` said the draft was ready for in-review again, and nothing of the
    request; only `pmctl show`'s list of reviews had the note."""
    sent_back = run_cli(repo.root, "review", ID, "--request-changes", "--reviewer", "carol",
                        "-m", "The timeline misses 14:53.", "-m", "Name the\x1b[2J runbook.")  # fmt: skip
    assert sent_back.returncode == 0, sent_back.stderr
    shown = run_cli(repo.root, "status", ID)
    assert shown.returncode == 0, shown.stderr
    assert (
        f"  changes:   requested by carol on {TODAY.isoformat()}: The timeline misses 14:53. "
        "Name the\\x1b[2J runbook.\n" in shown.stdout
    )
    moved = run_cli(repo.root, "status", ID, "in-review")
    assert moved.returncode == 0, moved.stderr
    assert "changes:" not in run_cli(repo.root, "status", ID).stdout


def test_a_move_back_to_draft_voids_the_approvals(repo: Project, in_review: Path) -> None:
    """Reopened from reviewed with `--force --reason`, changed and sent to review again, the
    postmortem went on to reviewed at once on the approval given before: a move back wrote
    `status:` alone, and only `review --request-changes` voided approvals."""
    text = in_review.read_text(encoding="utf-8").replace("shared_with: []", "shared_with: [sre]")
    in_review.write_text(text, encoding="utf-8")
    git(repo.root, "commit", "-qam", "shared with the SRE team")
    review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")
    status.move(repo, ID, Status.REVIEWED, today=TODAY)
    reopened = run_cli(repo.root, "status", ID, "draft", "--force", "--reason", "new data")
    assert reopened.returncode == 0, reopened.stderr
    _, postmortem = documents.load(in_review)
    last = postmortem.reviews[-1]
    assert (last.verdict, last.notes) == (
        Verdict.CHANGES_REQUESTED,
        "moved back to draft: new data",
    )
    assert last.reviewer == "Test Author"  # (who moved it: git's author)
    assert git(repo.root, "status", "--porcelain") == ""  # (one commit: the move and the entry)
    assert run_cli(repo.root, "status", ID, "in-review").returncode == 0
    again = run_cli(repo.root, "status", ID, "reviewed")
    assert again.returncode == 5, again.stdout
    assert "0 of 1 approval" in again.stderr


def test_a_second_approval_by_the_same_reviewer_is_refused(repo: Project, in_review: Path) -> None:
    """It was recorded and committed again, and counted once: a commit that changed nothing
    of the review, without a word that another reviewer was still needed."""
    review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")
    before = snapshot(repo.root), in_review.read_bytes()
    with pytest.raises(TransitionRefused, match="Carol has already approved") as raised:
        review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="Carol")
    assert "an approval counts once (1 of 1 it needs)" in raised.value.message
    assert f"it has the approvals it needs: `pmctl status {ID} reviewed`" in raised.value.hint
    assert (snapshot(repo.root), in_review.read_bytes()) == before
    review.record(repo, ID, Verdict.CHANGES_REQUESTED, today=TODAY, reviewer="dave", note="x")
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")  # voided: again


def test_a_second_approval_short_of_the_approvals_needed_asks_for_another_reviewer(
    repo: Project, in_review: Path
) -> None:
    config = repo.root / "pmctl.toml"
    config.write_text(
        config.read_text().replace("required_approvals = 1", "required_approvals = 2")
    )
    git(repo.root, "commit", "-qam", "two approvals")
    assert run_cli(repo.root, "review", ID, "--approve", "--reviewer", "carol").returncode == 0

    again = run_cli(repo.root, "review", ID, "--approve", "--reviewer", "Carol")

    assert again.returncode == 5
    assert "(1 of 2 it needs)" in again.stderr
    assert f"another reviewer approves it (`pmctl review {ID} --approve`)" in again.stderr
    assert "status" not in again.stderr


def test_only_a_postmortem_in_review_is_reviewed(repo: Project) -> None:
    write_postmortem(repo)
    with pytest.raises(TransitionRefused, match="only a postmortem in review"):
        review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")


def test_request_changes_needs_a_note_and_moves_back_to_draft(
    repo: Project, in_review: Path
) -> None:
    review.record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")
    with pytest.raises(UsageError, match="needs a note"):
        review.record(repo, ID, Verdict.CHANGES_REQUESTED, today=TODAY, reviewer="dave")
    recorded = review.record(
        repo,
        ID,
        Verdict.CHANGES_REQUESTED,
        today=TODAY,
        reviewer="dave",
        note="タイムラインが不完全",
    )
    assert (recorded.source, recorded.target) == (Status.IN_REVIEW, Status.DRAFT)
    assert diff_lines(repo.root, "HEAD~1", "HEAD") == [
        "-status: in-review  # 下書き",
        "+status: draft  # 下書き",
        "+  - reviewer: dave",
        "+    date: 2026-11-23",
        "+    verdict: changes-requested",
        "+    notes: タイムラインが不完全",
    ]
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert "Pmctl-Review: changes-requested" in trailers
    assert "Pmctl-Transition: in-review->draft" in trailers
    assert "Pmctl-Reason: タイムラインが不完全" in trailers
    postmortem = documents.load(in_review)[1]
    assert postmortem.status is Status.DRAFT
    # The document will change, so carol's earlier approval no longer counts.
    assert review.checklist(repo, ID, today=TODAY).approvers == ()


class _Hook(HTTPServer):
    def __init__(self, status_code: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status_code = status_code
        self.bodies: list[dict[str, object]] = []


class _Handler(BaseHTTPRequestHandler):
    server: _Hook

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(self.server.status_code)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


def _serve(status_code: int) -> Iterator[_Hook]:
    server = _Hook(status_code)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def chat() -> Iterator[_Hook]:
    yield from _serve(200)


@pytest.fixture
def broken_chat() -> Iterator[_Hook]:
    yield from _serve(500)


def _with_webhook(project: Project, server: _Hook, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("PMCTL_TEST_HOOK", f"http://127.0.0.1:{server.server_address[1]}/hook")
    notify = NotifySettings(
        webhook=WebhookSettings(url_env="PMCTL_TEST_HOOK"), retry_backoff_seconds=0
    )
    return dataclasses.replace(
        project, settings=project.settings.model_copy(update={"notify": notify})
    )


def test_transitions_and_reviews_notify_the_chat(
    repo: Project, chat: _Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _with_webhook(repo, chat, monkeypatch)
    write_postmortem(project)
    moved = status.move(project, ID, Status.IN_REVIEW, today=TODAY)
    assert moved.warnings == ()
    review.record(project, ID, Verdict.APPROVED, today=TODAY, reviewer="carol")
    texts = [str(body["text"]) for body in chat.bodies]
    assert len(texts) == 2
    # The document is in Japanese, so are its notices.
    assert "Test Author さんが *下書き* から *レビュー中* に変更しました" in texts[0]
    assert "carol" in texts[1]
    assert ID in texts[1]


def test_a_failed_notification_warns_and_keeps_the_commit(
    repo: Project, broken_chat: _Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _with_webhook(repo, broken_chat, monkeypatch)
    write_postmortem(project)
    moved = status.move(project, ID, Status.IN_REVIEW, today=TODAY)
    assert len(moved.warnings) == 1
    assert moved.warnings[0].startswith("webhook notification not sent")
    assert moved.commit is not None
    assert moved.commit.sha == git(repo.root, "rev-parse", "HEAD").strip()
    assert git(repo.root, "status", "--porcelain") == ""


def test_cli_wiring(repo: Project, in_review: Path) -> None:
    markdown = run_cli(repo.root, "review", ID, "--format", "markdown")
    assert markdown.returncode == 0, markdown.stderr
    assert "## レビューチェックリスト" in markdown.stdout
    approved = run_cli(repo.root, "review", ID, "--approve", "--reviewer", "carol")
    assert approved.returncode == 0, approved.stderr
    assert "approved by carol" in approved.stdout
    assert approved.stderr.startswith("committed ")
    assert ": docs(postmortem): approve 2026-11-20-sonnet-search" in approved.stderr
    both = run_cli(repo.root, "review", ID, "--approve", "--request-changes")
    assert both.returncode == 2
    author = run_cli(repo.root, "review", ID, "--approve", "--reviewer", "山田")
    assert author.returncode == 5
    assert "cannot approve" in author.stderr


def test_a_repeated_note_is_kept_a_paragraph_each(repo: Project, in_review: Path) -> None:
    """As `git commit -m a -m b`: a repeated `-m` kept only the last, silently."""
    result = run_cli(
        repo.root, "review", ID, "--request-changes", "--reviewer", "dave",
        "-m", "The timeline is incomplete.", "-m", "Say why detection took 20 minutes.",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    postmortem = documents.load(in_review)[1]
    assert postmortem.reviews[-1].notes == (
        "The timeline is incomplete.\n\nSay why detection took 20 minutes."
    )
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert [line for line in trailers if line.startswith("Pmctl-Reason")] == [
        "Pmctl-Reason: The timeline is incomplete. Say why detection took 20 minutes."
    ]


def test_a_reviewer_typed_with_an_escape_is_one_line(repo: Project, in_review: Path) -> None:
    """As `new` folds an owner: the reviewer's ESC and BEL went into the front matter."""
    approved = run_cli(repo.root, "review", ID, "--approve", "--reviewer", "ca\x1b]0;x\x07rol")
    assert approved.returncode == 0, approved.stderr
    assert 'reviewer: "ca ]0;x rol"\n' in in_review.read_text(encoding="utf-8")
