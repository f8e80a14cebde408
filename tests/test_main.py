"""What the `pmctl` process sets up before any command: pydantic's plugin loader stood in for."""

import ast
from pathlib import Path

import pydantic

from tests.conftest import run_python


def test_a_command_that_builds_models_reads_no_installed_packages_metadata() -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['pmctl', 'schema']\n"
        "from pmctl.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(('pmctl.domain.model' in sys.modules,"
        " 'importlib.metadata' in sys.modules)))\n"
    )
    result = run_python(probe)
    assert '"$schema"' in result.stdout or '"properties"' in result.stdout
    assert result.stderr == "(True, False)"


def test_pydantic_asks_its_plugin_loader_for_get_plugins_and_nothing_else() -> None:
    """The stand-in in `pmctl/__main__.py` has only `get_plugins`: a pydantic that asks its
    loader for more (or by another path) fails here, not in every command."""
    asked: set[str] = set()
    for source in Path(pydantic.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name == "_loader.py" or "_loader" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                asked.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                assert not any(alias.name.endswith("plugin._loader") for alias in node.names)
    assert asked == {"get_plugins"}


def test_what_a_command_made_is_frozen_before_pythons_exit_collects() -> None:
    """The exit's full pass of the collector then looks at none of it (the freeze runs
    among the exit handlers; one registered before the command runs after it)."""
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(str(gc.get_freeze_count())))\n"
        "sys.argv = ['pmctl', 'schema']\n"
        "from pmctl.__main__ import main\n"
        "main()\n"
    )
    result = run_python(probe)
    assert result.returncode == 0
    assert int(result.stderr) > 10_000
