"""On a real terminal (a pty), `pmctl new` asks with questionary for what the flags do not give."""

import pytest

from pmctl.domain.project import Project
from pmctl.errors import ExitCode
from tests.conftest import git
from tests.terminal import pmctl_on_terminal


def test_new_prompts_for_the_missing_answers_on_a_terminal(repo: Project) -> None:
    with pmctl_on_terminal(
        repo.root,
        *("new", "--severity", "SEV2", "--language", "en", "--started", "2026-11-20T10:00Z"),
    ) as terminal:
        terminal.expect(b"Title of the incident")
        terminal.type(b"Queue backlog\r")
        terminal.expect(b"Owner")
        assert b"Test Author" in terminal.seen[-200:]  # git's identity is offered
        terminal.type(b"\x15carol\r")  # Ctrl-U clears it
        terminal.expect(b"Affected services")
        terminal.type(b"queue, api\r")
        terminal.expect(b"Incident number")
        terminal.type(b"77\r")
        assert terminal.process.wait(timeout=30) == 0, bytes(terminal.seen)[-600:]
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
    with pmctl_on_terminal(repo.root, "new", "--severity", "SEV3", "--language", "en") as terminal:
        terminal.expect(b"Title of the incident")
        terminal.type(b"Disk full\r")
        terminal.expect(b"When did it start")
        terminal.type(b"yesterday\r")
        terminal.expect(b"is not an ISO 8601 date-time")
        terminal.type(b"\x15" + b"2026-11-19 08:15\r")
        terminal.expect(b"Owner")
        terminal.type(b"\r")  # git's identity, as offered
        terminal.expect(b"payments")  # the service the repository knows
        terminal.type(b" \r")  # tick it
        terminal.expect(b"Other affected services")
        terminal.type(b"ledger\r")
        terminal.expect(b"Incident number")
        terminal.type(b"\r")
        assert terminal.process.wait(timeout=30) == 0, bytes(terminal.seen)[-600:]
    text = (repo.postmortem_dir / "2026" / "2026-11-19-disk-full.md").read_text(encoding="utf-8")
    assert 'owner: "Test Author"' in text
    assert 'services: ["payments", "ledger"]' in text
    assert "started: 2026-11-19T08:15:00" in text


def write_known_service(project: Project) -> None:
    """A committed postmortem about the `payments` service."""
    from tests.test_status import DOCUMENT, write_postmortem

    write_postmortem(project, DOCUMENT.replace("services: [", "services: [payments, "))


@pytest.mark.parametrize(("key", "name"), [(b"\x03", "Ctrl-C"), (b"\x04", "Ctrl-D")])
def test_a_prompt_given_up_on_ends_pmctl_as_an_interruption(
    repo: Project, key: bytes, name: str
) -> None:
    """Ctrl-D at a prompt gave typer's "Aborted!" and exit 1, pmctl's "lint failed"."""
    head = git(repo.root, "rev-parse", "HEAD")
    with pmctl_on_terminal(repo.root, "new", "--severity", "SEV2", "--language", "en") as terminal:
        terminal.expect(b"Title of the incident")
        terminal.type(key)
        code = terminal.process.wait(timeout=30)
        terminal.expect(b"nothing was committed")
    assert code == ExitCode.INTERRUPTED, (name, bytes(terminal.seen)[-300:])
    assert b"Aborted!" not in terminal.seen
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_start_after_today_is_asked_again(repo: Project) -> None:
    args = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "a")
    with pmctl_on_terminal(repo.root, *args, "--language", "en") as terminal:
        terminal.expect(b"When did it start")
        terminal.type(b"2027-11-19 08:15\r")  # the year typed wrong
        terminal.expect(b"is after today")
        terminal.type(b"\x15" + b"2026-11-19 08:15\r")
        terminal.expect(b"Affected services")
        terminal.type(b"\r")
        terminal.expect(b"Incident number")
        terminal.type(b"\r")
        assert terminal.process.wait(timeout=30) == 0, bytes(terminal.seen)[-600:]
    assert (repo.postmortem_dir / "2026" / "2026-11-19-disk-full.md").exists()
