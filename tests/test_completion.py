"""Shell completion: commands, option choices and postmortem ids, in bash, zsh and fish."""

from __future__ import annotations

import os
from pathlib import Path

from pmctl.domain.project import Project
from tests.conftest import run_cli
from tests.test_status import ID, write_postmortem


def complete(cwd: Path, shell: str, words: str) -> list[str]:
    """What pmctl offers for the last of `words`, asked as the shell's script asks."""
    env = {
        "_PMCTL_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    if shell == "bash":
        env.update(
            COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1))
        )
    result = run_cli(cwd, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_commands_choices_and_ids_complete(repo: Project) -> None:
    write_postmortem(repo)
    assert complete(repo.root, "bash", "pmctl st") == ["status", "stats"]
    assert complete(repo.root, "bash", "pmctl show 2026-11") == [ID]
    zsh = " ".join(complete(repo.root, "zsh", "pmctl report --format "))
    assert all(choice in zsh for choice in ('"table"', '"markdown"', '"csv"', '"json"'))
    assert any(ID in word for word in complete(repo.root, "fish", f"pmctl status {ID[:7]}"))


def test_outside_a_project_ids_complete_to_nothing(tmp_path: Path) -> None:
    assert complete(tmp_path, "bash", "pmctl show 20") == []


def test_install_completion_writes_the_shells_startup_file(tmp_path: Path) -> None:
    # Without detection `--install-completion` takes the shell's name; with it typer asks
    # shellingham, which finds no shell when the tests were not started from one.
    result = run_cli(
        tmp_path,
        "--install-completion",
        "bash",
        env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert result.returncode == 0, result.stderr
    bashrc = Path(os.environ["HOME"]) / ".bashrc"  # the test's own HOME (conftest)
    assert "pmctl" in bashrc.read_text(encoding="utf-8")
