"""On a real terminal (a pty), `pmctl new` asks with questionary for what the flags do not give."""

import os
import pty
import select
import subprocess
import sys
import time

from pmctl.domain.project import Project
from tests.conftest import git


def read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {needle!r} on the terminal; saw {bytes(seen)[-400:]!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen.extend(os.read(fd, 4096))
            except OSError:
                break


def test_new_prompts_for_the_missing_answers_on_a_terminal(repo: Project) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmctl",
            "new",
            "--severity",
            "SEV2",
            "--language",
            "en",
            "--started",
            "2026-11-20T10:00Z",
        ],
        cwd=repo.root,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={
            **os.environ,
            "TERM": "xterm",
            "COLUMNS": "120",
            "LINES": "40",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        },
    )
    os.close(terminal)
    seen = bytearray()
    try:
        read_until(controller, b"Title of the incident", seen)
        os.write(controller, b"Queue backlog\r")
        read_until(controller, b"Owner", seen)
        assert b"Test Author" in seen[-200:]  # git's identity is offered
        os.write(controller, b"\x15carol\r")  # Ctrl-U clears it
        read_until(controller, b"Affected services", seen)
        os.write(controller, b"queue, api\r")
        read_until(controller, b"Incident number", seen)
        os.write(controller, b"77\r")
        assert process.wait(timeout=30) == 0, bytes(seen)[-600:]
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    path = repo.postmortem_dir / "2026" / "2026-11-20-queue-backlog.md"
    text = path.read_text(encoding="utf-8")
    assert 'owner: "carol"' in text
    assert 'services: ["queue", "api"]' in text
    assert 'incident: "77"' in text
    assert "2026-11-20-queue-backlog" in git(repo.root, "log", "-1", "--format=%s")


def test_a_wrong_answer_is_asked_again_at_once_and_known_services_are_offered(
    repo: Project,
) -> None:
    write_known_service(repo)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pmctl", "new", "--severity", "SEV3", "--language", "en"],
        cwd=repo.root,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={
            **os.environ,
            "TERM": "xterm",
            "COLUMNS": "120",
            "LINES": "40",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        },
    )
    os.close(terminal)
    seen = bytearray()
    try:
        read_until(controller, b"Title of the incident", seen)
        os.write(controller, b"Disk full\r")
        read_until(controller, b"When did it start", seen)
        os.write(controller, b"yesterday\r")
        read_until(controller, b"is not an ISO 8601 date-time", seen)
        os.write(controller, b"\x15" + b"2026-11-19 08:15\r")
        read_until(controller, b"Owner", seen)
        os.write(controller, b"\r")  # git's identity, as offered
        read_until(controller, b"payments", seen)  # the service the repository knows
        os.write(controller, b" \r")  # tick it
        read_until(controller, b"Other affected services", seen)
        os.write(controller, b"ledger\r")
        read_until(controller, b"Incident number", seen)
        os.write(controller, b"\r")
        assert process.wait(timeout=30) == 0, bytes(seen)[-600:]
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    text = (repo.postmortem_dir / "2026" / "2026-11-19-disk-full.md").read_text(encoding="utf-8")
    assert 'owner: "Test Author"' in text
    assert 'services: ["payments", "ledger"]' in text
    assert "started: 2026-11-19T08:15:00" in text


def write_known_service(project: Project) -> None:
    """A committed postmortem about the `payments` service."""
    from tests.test_status import DOCUMENT, write_postmortem

    write_postmortem(project, DOCUMENT.replace("services: [", "services: [payments, "))
