"""Wiring of the command line: exit codes, messages, no tracebacks, no prompts without a TTY.

The real entry point (`python -m pmctl`, a new process) runs the smoke tests: version and
help, init then new, outside a repository, --debug and exit 70. The argument handling below
them runs in process (`run_cli`: a process costs 0.3-0.5 s of CPU in imports alone).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from pmctl.errors import ExitCode
from tests.conftest import git, run_cli, run_process


def test_version_and_help(tmp_path: Path) -> None:
    version = run_process(tmp_path, "--version")
    assert version.returncode == 0
    assert version.stdout.startswith("pmctl ")
    help_text = run_process(tmp_path, "--help")
    assert help_text.returncode == 0
    for command in ("init", "new", "schema", "template"):
        assert command in help_text.stdout


def test_init_then_new_without_a_terminal(tmp_path: Path) -> None:
    assert run_process(tmp_path, "init").returncode == 0
    result = run_process(
        tmp_path,
        "new",
        "--title",
        "Search outage",
        "--severity",
        "SEV1",
        "--owner",
        "bob",
        "--started",
        "2026-11-20T14:54:00Z",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "postmortems/2026/2026-11-20-search-outage.md"
    assert "docs(postmortem): add 2026-11-20-search-outage" in git(
        tmp_path, "log", "-1", "--format=%s"
    )


def test_a_missing_answer_without_a_terminal_names_the_flag(repo: Project) -> None:
    result = run_cli(repo.root, "new", "--severity", "SEV2", "--owner", "bob")
    assert result.returncode == ExitCode.USAGE
    assert "a title is required" in result.stderr
    assert "--title" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_input_never_prompts(repo: Project) -> None:
    result = run_cli(repo.root, "new", "--title", "x", "--severity", "SEV2", "--no-input")
    assert result.returncode == ExitCode.USAGE
    assert "--owner" in result.stderr


def test_a_title_that_looks_like_a_flag(repo: Project) -> None:
    result = run_cli(
        repo.root, "new", "--title=--force", "--severity", "SEV3", "--owner", "bob", "--no-commit"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("-force.md")


def test_outside_a_repository_is_a_config_error_with_a_hint(tmp_path: Path) -> None:
    result = run_process(tmp_path, "new", "--title", "x", "--severity", "SEV2", "--owner", "bob")
    assert result.returncode == ExitCode.CONFIG
    assert "pmctl init" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_error_quoting_a_huge_argument_is_cut_to_a_line(repo: Project) -> None:
    """`pmctl status <100 KB>` wrote the 100 KB back."""
    result = run_cli(repo.root, "status", "x" * 100_000)
    assert result.returncode == ExitCode.NOT_FOUND
    assert result.stderr.startswith("error: no postmortem with id 'xxx")
    assert "characters in all]" in result.stderr
    assert len(result.stderr) < 5_000


def test_bad_started_time_is_a_usage_error(repo: Project) -> None:
    result = run_cli(
        repo.root,
        "new",
        "--title",
        "x",
        "--severity",
        "SEV2",
        "--owner",
        "b",
        "--started",
        "yesterday",
    )
    assert result.returncode == ExitCode.USAGE
    assert "ISO 8601" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_process(
        tmp_path, "--debug", "new", "--title", "x", "--severity", "SEV2", "--owner", "b"
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_template_export_copies_the_built_in_template(repo: Project) -> None:
    result = run_cli(repo.root, "template", "export", "ja/postmortem.md.j2")
    assert result.returncode == 0, result.stderr
    exported = repo.root / ".pmctl" / "templates" / "ja" / "postmortem.md.j2"
    assert "## 根本原因" in exported.read_text(encoding="utf-8")
    again = run_cli(repo.root, "template", "export", "ja/postmortem.md.j2")
    assert again.returncode == ExitCode.USAGE
    assert "--force" in again.stderr


def test_template_export_takes_a_short_name_that_names_one_template(repo: Project) -> None:
    """`template export en` (or without `.j2`) was "no built-in template" (exit 8)."""
    for short, name in (("en", "en/postmortem.md.j2"), ("ja/postmortem.md", "ja/postmortem.md.j2")):
        result = run_cli(repo.root, "template", "export", short)
        assert result.returncode == 0, result.stderr
        assert (repo.root / ".pmctl" / "templates" / name).is_file()
    several = run_cli(repo.root, "template", "export", "notify/en")
    assert several.returncode == ExitCode.NOT_FOUND
    assert "'notify/en' names 3 built-in templates" in several.stderr
    assert "hint: choose one of: notify/en/chat.txt.j2, notify/en/email.txt.j2," in several.stderr


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("init/pmctl.toml.j2", "pmctl.toml"),
        ("init/pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ],
)
def test_template_export_refuses_init_s_templates_which_no_override_changes(
    repo: Project, name: str, written: str
) -> None:
    """It wrote .pmctl/templates/init/..., which `pmctl init` (run before any repository,
    with the built-in templates only) never reads: an edit to it silently did nothing."""
    result = run_cli(repo.root, "template", "export", name)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "is only used by `pmctl init`, before the repository exists" in result.stderr
    assert f"hint: edit the {written} that `pmctl init` wrote instead" in result.stderr
    assert not (repo.root / ".pmctl").exists()


def test_schema_command_prints_the_committed_schema_of_each_version(tmp_path: Path) -> None:
    schemas = Path(__file__).parent.parent / "schemas"
    current = (schemas / "postmortem.v2.schema.json").read_text(encoding="utf-8")
    assert run_cli(tmp_path, "schema").stdout == current
    assert run_cli(tmp_path, "schema", "--version", "2").stdout == current
    first = run_cli(tmp_path, "schema", "--version", "1").stdout
    assert first == (schemas / "postmortem.v1.schema.json").read_text(encoding="utf-8")
    unknown = run_cli(tmp_path, "schema", "--version", "3")
    assert unknown.returncode == ExitCode.USAGE
    assert "the versions are: 1, 2" in unknown.stderr


def test_an_unexpected_error_is_one_line_and_exit_70_without_debug(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pmctl.cli import app as cli\n"
        "@cli.app.command('boom')\n"
        "def boom() -> None:\n"
        "    raise RuntimeError('kaboom')\n"
        "cli.main(sys.argv[1:])\n"
    )
    plain = subprocess.run(
        [sys.executable, "-c", script, "boom"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert plain.returncode == ExitCode.INTERNAL
    assert "internal error: RuntimeError: kaboom" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = subprocess.run(
        [sys.executable, "-c", script, "--debug", "boom"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" in debug.stderr
