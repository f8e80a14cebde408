"""`pmctl status`: guards, surgical transitions as careful commits, concurrency and crashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.model import Language, Status
from pmctl.domain.project import Project
from pmctl.errors import TransitionRefused
from pmctl.services import status
from pmctl.services.listing import list_postmortems
from pmctl.services.new import NewPostmortem, create
from pmctl.ui import list_output
from tests.conftest import git, run_cli

TODAY = dt.date(2026, 11, 23)
ID = "2026-11-20-sonnet-search"

# A Japanese postmortem that passes lint at the in-review level, written the way people do:
# comments, flow lists, both quote styles, a block scalar, trailing comments.
DOCUMENT = """\
---
# インシデント465のポストモーテム (Shakespeare Sonnet++)
schema: 1
id: 2026-11-20-sonnet-search
title: "Shakespeare Sonnet++ の検索障害"   # quoted on purpose
status: draft  # 下書き
severity: 'SEV2'
incident: "465"
language: ja
owner: 山田
authors: [山田, 'suzuki']
created: 2026-11-21
timestamps:
  started: 2026-11-20T14:51:00+09:00
  detected: 2026-11-20T14:53:00+09:00
  mitigated: 2026-11-20T15:23:00+09:00
  resolved: 2026-11-20T16:00:00+09:00
impact:
  user_visible_minutes: 66
  affected_queries: 1210000000
  description: |
    検索が 66 分間利用できなかった。
    約 12 億件のクエリが失われた。
criteria: [user-visible-downtime, on-call-intervention]
services: [search]
tags: []
related: []
action_items:
  - id: AI-1
    title: "ロールバック手順を文書化して訓練する"
    type: process
    owner: 佐藤
    priority: P1
    status: todo   # まだ
    tracker: "BUG-5554823"
reviews: []
shared_with: []
---

# Shakespeare Sonnet++ の検索障害

## 概要

新しいソネットの発見で検索トラフィックが急増し、検索が 66 分間停止した。

## 影響

約 12 億件のクエリが失われ、ユーザーは検索を利用できなかった。

## 根本原因

ファイルディスクリプタの枯渇によりバックエンドが連鎖的に停止した。

## 発生要因

新しいソネットの発見による急激なトラフィック増加。

## 対応

トラフィックを別のクラスタに逃がし、容量を追加した。

## 検出

監視のアラートで 2 分後に検出した。

## 対応の分析

容量の追加に時間がかかった。

## 教訓

### うまくいったこと

アラートが早く発報した。

### うまくいかなかったこと

連鎖的な障害を止める手段がなかった。

### 幸運だったこと

予備のクラスタに空きがあった。

## タイムライン

2026-11-20 (JST)
- 14:51 検索トラフィックが 88 倍に増加
- 14:53 アラート発報
- 15:23 緩和

## アクションアイテム

<!-- pmctl:action-items:start -->
| ID | アクションアイテム | 種類 | 担当 | 優先度 | 期限 | バグ | 状態 |
|---|---|---|---|---|---|---|---|
| AI-1 | ロールバック手順を文書化して訓練する | プロセス | 佐藤 | P1 |  | BUG-5554823 | todo |
<!-- pmctl:action-items:end -->

## 参考情報

なし。
"""


def write_postmortem(
    project: Project, text: str = DOCUMENT, *, postmortem_id: str = ID, crlf: bool = True
) -> Path:
    """Commit `text` (with CRLF line endings by default) as the postmortem `postmortem_id`."""
    text = text.replace(ID, postmortem_id)
    path = project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8"))
    git(project.root, "add", str(path))
    git(project.root, "commit", "--quiet", "-m", f"add {postmortem_id}")
    return path


def diff_lines(root: Path, *args: str) -> list[str]:
    """The changed lines of `git diff`, without headers and with CRs dropped."""
    out = git(root, "diff", *args)
    return [
        line.rstrip("\r")
        for line in out.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def snapshot(root: Path) -> tuple[str, str]:
    return git(root, "rev-parse", "HEAD"), git(
        root, "status", "--porcelain", "--untracked-files=all"
    )


def test_a_transition_changes_only_the_status_line_in_one_commit(repo: Project) -> None:
    path = write_postmortem(repo)
    moved = status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    assert moved.changed
    assert moved.commit is not None
    assert moved.commit.sha == git(repo.root, "rev-parse", "HEAD").strip()
    assert diff_lines(repo.root, "HEAD~1", "HEAD") == [
        "-status: draft  # 下書き",
        "+status: in-review  # 下書き",
    ]
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert git(repo.root, "show", "--name-only", "--format=", "HEAD").split() == [
        path.relative_to(repo.root).as_posix()
    ]
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith(f"docs(postmortem): move {ID} to in-review\n")
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert f"Pmctl-Id: {ID}" in trailers
    assert "Pmctl-Transition: draft->in-review" in trailers


def test_a_failed_guard_writes_nothing_and_says_what_to_fix(repo: Project) -> None:
    request = NewPostmortem(
        title="Checkout latency", severity="SEV2", owner="alice", language=Language.EN
    )
    created = create(repo, request, now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), commit=True)
    before = snapshot(repo.root), created.path.read_bytes()
    with pytest.raises(TransitionRefused) as raised:
        status.move(repo, created.id, Status.IN_REVIEW, today=TODAY)
    assert "section 'Summary' is not filled in" in raised.value.message
    assert "PM102" in raised.value.message
    assert raised.value.hint
    assert (snapshot(repo.root), created.path.read_bytes()) == before


def test_backwards_needs_a_reason_and_further_back_needs_force(repo: Project) -> None:
    write_postmortem(repo)
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    with pytest.raises(TransitionRefused, match="needs a reason"):
        status.move(repo, ID, Status.DRAFT, today=TODAY)
    status.move(repo, ID, Status.DRAFT, today=TODAY, reason="impact\nnumbers are wrong")
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert "Pmctl-Transition: in-review->draft" in trailers
    assert "Pmctl-Reason: impact numbers are wrong" in trailers

    with pytest.raises(TransitionRefused, match="skips a step"):
        status.move(repo, ID, Status.REVIEWED, today=TODAY)


def test_a_reason_with_a_terminal_escape_is_spelled_out_in_the_commit(repo: Project) -> None:
    """The reason went into the message as it was: `git log` cleared the reader's screen."""
    write_postmortem(repo)
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    status.move(repo, ID, Status.DRAFT, today=TODAY, reason="impact\x1b[2J\nnumbers wrong")
    message = git(repo.root, "log", "-1", "--format=%B")
    assert "\x1b" not in message
    assert "impact\\x1b[2J\nnumbers wrong\n" in message
    trailers = git(repo.root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert "Pmctl-Reason: impact\\x1b[2J numbers wrong" in trailers


def test_the_whole_lifecycle_with_its_guards(repo: Project) -> None:
    path = write_postmortem(repo)
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    with pytest.raises(TransitionRefused) as raised:
        status.move(repo, ID, Status.REVIEWED, today=TODAY)
    assert "0 of 1 approval" in raised.value.message
    assert "shared_with is empty" in raised.value.message

    from pmctl.domain.model import Verdict
    from pmctl.services.review import record

    record(repo, ID, Verdict.APPROVED, today=TODAY, reviewer="Carol")
    text = path.read_bytes().decode("utf-8").replace("shared_with: []", "shared_with: [sre-team]")
    path.write_bytes(text.encode("utf-8"))
    git(repo.root, "commit", "--quiet", "-am", "share")
    status.move(repo, ID, Status.REVIEWED, today=TODAY)

    with pytest.raises(TransitionRefused, match="needs --force"):
        status.move(repo, ID, Status.DRAFT, today=TODAY, reason="oops")
    status.move(repo, ID, Status.CLOSED, today=TODAY)
    status.move(repo, ID, Status.REVIEWED, today=TODAY, force=True, reason="reopened for AI-2")
    assert documents.load(path)[1].status is Status.REVIEWED
    transitions = git(repo.root, "log", "--format=%(trailers:key=Pmctl-Transition,valueonly)")
    assert transitions.split() == [
        "closed->reviewed",
        "reviewed->closed",
        "in-review->reviewed",
        "draft->in-review",
    ]


def test_closing_needs_every_action_item_done_wontfix_or_tracked(repo: Project) -> None:
    untracked = (
        DOCUMENT.replace('    tracker: "BUG-5554823"\n', "")
        .replace("shared_with: []", "shared_with: [sre]")
        .replace("status: draft  # 下書き", "status: reviewed")
        .replace(
            "reviews: []",
            "reviews:\n  - {reviewer: carol, date: 2026-11-22, verdict: approved}",
        )
    )
    write_postmortem(repo, untracked)
    with pytest.raises(TransitionRefused, match="AI-1 is todo and not tracked"):
        status.move(repo, ID, Status.CLOSED, today=TODAY)


def test_show_tells_the_deadline_and_what_is_missing(repo: Project) -> None:
    write_postmortem(repo)
    report = status.show(repo, ID, today=TODAY)
    assert report.postmortem.status is Status.DRAFT
    assert report.next is Status.IN_REVIEW
    assert report.gaps == ()
    assert report.deadline == dt.date(2026, 11, 27)  # SEV2: 5 business days after Fri 11-20
    assert not report.overdue
    late = status.show(repo, ID, today=dt.date(2026, 11, 30))
    assert late.overdue
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    gaps = status.show(repo, ID, today=TODAY).gaps
    assert [gap.message.split(":")[0] for gap in gaps] == [
        "0 of 1 approval by reviewers who are not authors",
        "shared_with is empty",
    ]


def test_list_shows_every_postmortem_and_the_overdue_ones(repo: Project) -> None:
    write_postmortem(repo)
    old = DOCUMENT.replace("2026-11-20T", "2026-10-01T").replace("2026-11-21", "2026-10-02")
    write_postmortem(repo, old, postmortem_id="2026-10-01-old-outage")
    broken = repo.postmortem_dir / "2026" / "2026-11-01-broken.md"
    broken.write_text("---\nid: [\n---\n", encoding="utf-8")
    listing = list_postmortems(repo, today=TODAY)
    by_name = {row.path.name: row for row in listing.rows}
    assert by_name["2026-10-01-old-outage.md"].overdue
    assert not by_name[f"{ID}.md"].overdue
    assert [item.location.split(":")[0] for item in listing.invalid] == [str(broken)]
    text = list_output.render_table(listing)
    assert "2026-10-01-old-outage     draft   SEV2      山田   2026-10-08  OVERDUE" in text
    assert text.endswith("2 postmortems, 1 past their review deadline, 1 invalid file")


def test_moving_to_the_current_status_changes_nothing(repo: Project) -> None:
    write_postmortem(repo)
    before = snapshot(repo.root)
    moved = status.move(repo, ID, Status.DRAFT, today=TODAY)
    assert not moved.changed
    assert moved.commit is None
    assert snapshot(repo.root) == before


def test_cli_wiring(repo: Project) -> None:
    write_postmortem(repo)
    shown = run_cli(repo.root, "status", ID)
    assert shown.returncode == 0, shown.stderr
    assert "next:      in-review: ready" in shown.stdout
    moved = run_cli(repo.root, "status", ID, "in-review", "--no-commit")
    assert moved.returncode == 0, moved.stderr
    assert "draft -> in-review" in moved.stdout
    assert moved.stderr == "not committed (--no-commit)\n"
    git(repo.root, "checkout", "--", ".")
    refused = run_cli(repo.root, "status", ID, "closed")
    assert refused.returncode == 5
    assert "skips a step" in refused.stderr
    listed = run_cli(repo.root, "status", "--list")
    assert ID in listed.stdout
    assert "1 postmortem, 0 past their review deadline" in listed.stdout
    wrong = run_cli(repo.root, "status", ID, "done")
    assert wrong.returncode == 2
    assert "'done' is not one of 'draft', 'in-review', 'reviewed', 'closed'" in wrong.stderr


def _hook(root: Path, script: str) -> None:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    hook.chmod(0o755)


def _pmctl(cwd: Path, *args: str, new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=new_session,
    )


def _wait_for(condition: Callable[[], bool], what: str, bound: float = 30.0) -> None:
    """Poll until `condition()` holds; fail (not time) the test if it never does."""
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux's /proc)."""
    for descriptor in Path(f"/proc/{pid}/fd").glob("*"):
        with contextlib.suppress(OSError):  # closed since the listing
            if os.readlink(descriptor) == str(path.resolve()):
                return True
    return False


def _held_until(marker: Path, gate: Path) -> str:
    """A hook that touches `marker`, then waits for `gate` to exist (at most 60 s, so that a
    failed test leaves no hook waiting forever)."""
    return (
        f"touch '{marker}'\nfor i in $(seq 3000); do [ -f '{gate}' ] && break; sleep 0.02; done\n"
    )


def test_two_processes_changing_different_postmortems_both_succeed(
    repo: Project, tmp_path: Path
) -> None:
    write_postmortem(repo)
    write_postmortem(repo, postmortem_id="2026-11-21-second-outage")
    # The first commit's hook holds it (and pmctl's lock) until the second pmctl is waiting
    # for that lock, its file open: contention every time, not a 1 s sleep that hoped for it.
    marker, gate = tmp_path / "hook-started", tmp_path / "gate"
    _hook(repo.root, _held_until(marker, gate))
    first = _pmctl(repo.root, "status", ID, "in-review")
    _wait_for(marker.exists, "the first commit's hook")
    second = _pmctl(repo.root, "status", "2026-11-21-second-outage", "in-review")
    lock = repo.root / ".git" / "pmctl" / "lock"
    _wait_for(lambda: _has_open(second.pid, lock), "the second pmctl to wait for the lock")
    gate.touch()
    for process in (first, second):
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert sorted(
        git(repo.root, "log", "-2", "--format=%(trailers:key=Pmctl-Id,valueonly)").split()
    ) == [
        "2026-11-20-sonnet-search",
        "2026-11-21-second-outage",
    ]
    assert git(repo.root, "status", "--porcelain") == ""


def test_killing_pmctl_midway_leaves_a_consistent_repository(repo: Project, tmp_path: Path) -> None:
    path = write_postmortem(repo)
    old = path.read_bytes()
    new = old.replace(b"status: draft", b"status: in-review")
    marker, gate = tmp_path / "hook-started", tmp_path / "gate"
    # The hook holds the commit until pmctl is dead (a gate, not a 2 s sleep).
    _hook(repo.root, _held_until(marker, gate))
    process = _pmctl(repo.root, "status", ID, "in-review")
    _wait_for(marker.exists, "the pre-commit hook")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    gate.touch()
    # git itself, orphaned, finishes (or abandons) its commit; wait for it to let go.
    _wait_for(lambda: not (repo.root / ".git" / "index.lock").exists(), "git to finish")
    assert path.read_bytes() in (old, new)
    assert not list(path.parent.glob(".*.tmp"))
    git(repo.root, "fsck", "--no-progress")
    assert git(repo.root, "diff", "HEAD", "--name-only") == ""
    _hook(repo.root, "exit 0\n")
    rerun = run_cli(repo.root, "status", ID, "in-review")
    assert rerun.returncode == 0, rerun.stderr
    assert documents.load(path)[1].status is Status.IN_REVIEW


def test_ctrl_c_during_the_commit_puts_everything_back(repo: Project, tmp_path: Path) -> None:
    path = write_postmortem(repo)
    before = snapshot(repo.root), path.read_bytes()
    marker = tmp_path / "hook-started"
    _hook(repo.root, f"touch '{marker}'\nsleep 5\n")
    process = _pmctl(repo.root, "status", ID, "in-review", new_session=True)
    _wait_for(marker.exists, "the pre-commit hook")
    # Ctrl-C on a terminal interrupts the whole foreground process group: pmctl, git, hook.
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (4, 130), err
    assert "Traceback" not in err
    assert (snapshot(repo.root), path.read_bytes()) == before, (process.returncode, err)


def test_ctrl_c_during_a_formatting_hook_is_not_followed_by_a_second_commit(
    repo: Project, tmp_path: Path
) -> None:
    """A formatting hook rewrites the file and fails the commit, and pmctl commits once more
    with its version; but not when Ctrl-C came meanwhile: that made the commit anyway, and
    exit 9, where the user asked to stop."""
    path = write_postmortem(repo)
    before = snapshot(repo.root), path.read_bytes()
    marker, gate = tmp_path / "hook-started", tmp_path / "gate"
    _hook(
        repo.root,
        f"grep -q formatted '{path}' && exit 0\necho '<!-- formatted -->' >> '{path}'\n"
        + _held_until(marker, gate)
        + "exit 1\n",
    )
    process = _pmctl(repo.root, "status", ID, "in-review")
    _wait_for(marker.exists, "the pre-commit hook")
    process.send_signal(signal.SIGINT)  # (to pmctl alone: the hook finishes its work)
    gate.touch()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert (snapshot(repo.root), path.read_bytes()) == before
