"""Concurrent writers lose nothing: each pmctl process succeeds with its change in HEAD, or
fails cleanly, and the working tree ends clean."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git
from tests.faults.helpers import (
    DOCUMENTED_EXITS,
    ITEM,
    at_head,
    clean,
    finish,
    new_postmortem,
    start,
)
from tests.test_status import write_postmortem


def add_args(postmortem_id: str, number: int) -> list[str]:
    return [
        *("action", "add", postmortem_id, "--title", f"Alert on queue depth {number}"),
        *ITEM,
    ]


def test_ten_concurrent_action_adds_all_land(repo: Project) -> None:
    path = new_postmortem(repo)
    processes = [start(repo.root, *add_args(path.stem, number)) for number in range(10)]
    results = [finish(process) for process in processes]
    assert [code for code, _, _ in results] == [0] * 10, [err for _, _, err in results]
    titles = sorted(item.title for item in at_head(repo.root, path).action_items)
    assert titles == sorted(f"Alert on queue depth {number}" for number in range(10))
    assert len({item.id for item in at_head(repo.root, path).action_items}) == 10
    assert clean(repo.root)


def test_a_waiter_gives_up_with_the_holder_named(
    repo: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_postmortem(repo)
    gate = tmp_path / "gate"
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\nwhile [ ! -f '{gate}' ]; do sleep 0.02; done\n", encoding="utf-8")
    hook.chmod(0o755)
    holder = start(repo.root, *add_args(path.stem, 1))
    lock = repo.root / ".git" / "pmctl" / "lock"
    deadline = time.monotonic() + 60
    while "action add" not in (lock.read_text(encoding="utf-8") if lock.exists() else ""):
        assert holder.poll() is None, finish(holder)
        assert time.monotonic() < deadline
        time.sleep(0.02)
    monkeypatch.setenv("PMCTL_LOCK_TIMEOUT", "0.2")
    code, _, stderr = finish(start(repo.root, *add_args(path.stem, 2)))
    gate.touch()
    assert code == 4
    assert "another pmctl command is changing this repository" in stderr
    assert f"pmctl action add {path.stem}" in stderr
    assert finish(holder)[0] == 0
    assert [item.title for item in at_head(repo.root, path).action_items] == [
        "Alert on queue depth 1"
    ]
    assert clean(repo.root)


EVERY_KIND_AT_ONCE = ["in-review", "add", "index", "new", "add", "approve"]
"""Each kind of writer, all started together on a postmortem that may go in review: every
pair of them contends for the lock in one run (two adds race for the next item id), and each
succeeds in some schedule (the approval when it comes after the move). It replaced six
random draws (hypothesis) of two to four of them: 18 processes and 10 CPU-s for pairs this
one run starts together, on a draft that could not go in review, and the draws never chose
the schedule, which is where the races are."""


def test_concurrent_writers_of_every_kind_keep_exactly_the_successes(repo: Project) -> None:
    """The invariant: each command exits with a documented code, and HEAD holds exactly the
    successes (an item per add that exited 0, a commit per new that did, no more commits
    than commands) with the working tree clean."""
    commands = EVERY_KIND_AT_ONCE
    path = write_postmortem(repo)  # one that may go in review, so the moves can succeed
    before = git(repo.root, "rev-parse", "HEAD").strip()
    items_before = len(at_head(repo.root, path).action_items)
    argv = {
        "add": lambda n: add_args(path.stem, n),
        "in-review": lambda n: ["status", path.stem, "in-review"],
        "index": lambda n: ["index"],
        "new": lambda n: [
            "new",
            "--title",
            f"Disk full {n}",
            "--severity",
            "SEV3",
            "--owner",
            "carol",
            "--no-input",
        ],
        "approve": lambda n: ["review", path.stem, "--approve", "--reviewer", "dave"],
    }
    processes = [start(repo.root, *argv[name](n)) for n, name in enumerate(commands)]
    results = [finish(process) for process in processes]
    for code, _, stderr in results:
        assert code in DOCUMENTED_EXITS, stderr
        assert "Traceback" not in stderr
    # Only the approval may be refused: when it reads the postmortem before it is in review.
    refused = [name for (code, _, _), name in zip(results, commands, strict=True) if code]
    assert refused in ([], ["approve"]), [err for _, _, err in results]
    made = git(repo.root, "rev-list", "--count", f"{before}..HEAD").strip()
    adds = [code for (code, _, _), name in zip(results, commands, strict=True) if name == "add"]
    items = at_head(repo.root, path).action_items
    assert len(items) == items_before + adds.count(0)
    news = [code for (code, _, _), name in zip(results, commands, strict=True) if name == "new"]
    assert news.count(0) == len(
        [
            line
            for line in git(repo.root, "log", "--format=%s", f"{before}..HEAD").splitlines()
            if line.startswith("docs(postmortem): add 2026-")
        ]
    )
    assert int(made) <= len(commands)
    assert clean(repo.root)
