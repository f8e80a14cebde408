"""`--help` of every command names its arguments and option values cleanly (`ID`, not `ID <str>`)."""

import importlib
import re
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from pmctl.cli.app import COMMANDS, _summary, app
from tests.conftest import run_cli, run_python

TYPE_SUFFIX = re.compile(r"<[a-z][^<>|\n]*>")
"""typer's type labels: `<str>`, `<path>`, `<int range>`, `<list[path]>`..."""


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of the app, as the words that invoke it (the root is `()`)."""
    paths: list[tuple[str, ...]] = []
    pending: list[tuple[tuple[str, ...], object]] = [((), typer.main.get_command(app))]
    while pending:
        path, command = pending.pop()
        paths.append(path)
        if isinstance(command, TyperGroup):
            context = typer.Context(command)
            for name in command.list_commands(context):
                pending.append(((*path, name), command.get_command(context, name)))
    return sorted(paths)


PATHS = command_paths()


def test_every_command_module_is_covered() -> None:
    assert {path[0] for path in PATHS if path} == set(COMMANDS)
    assert ("action", "add") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "pmctl")
def test_help_has_no_type_suffixes(tmp_path: Path, path: tuple[str, ...]) -> None:
    result = run_cli(tmp_path, *path, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: pmctl" in result.stdout
    assert TYPE_SUFFIX.findall(result.stdout) == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_root_help_lists_each_command_as_typer_builds_it(name: str) -> None:
    module = importlib.import_module(COMMANDS[name][0])
    built = typer.main.get_command(module.cli)
    stand_in = _summary(name, None)
    for limit in (20, 45, 80, 200):
        assert stand_in.get_short_help_str(limit) == built.get_short_help_str(limit)


def test_root_help_imports_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from pmctl.cli.app import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.endswith('_cmd'))))\n"
    )
    result = run_python(probe)
    assert "Commands" in result.stdout
    assert result.stderr == "[]"
