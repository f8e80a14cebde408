"""The wheel carries the templates and schemas, and works from outside the source tree.

`wheel` (tests/conftest.py) is built once per session, with build isolation, and `tool` is
its `pipx install`: a tool's own environment, outside the source tree.
"""

import subprocess
import zipfile
from pathlib import Path

from tests.conftest import tool_environment

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_templates_schemas_and_entry_point(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "pmctl/templates/en/postmortem.md.j2" in names
    assert "pmctl/templates/ja/postmortem.md.j2" in names
    assert "pmctl/schemas/postmortem.v1.schema.json" in names
    assert "pmctl/schemas/postmortem.v2.schema.json" in names
    assert "pmctl/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pmctl = pmctl.__main__:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs_init_and_new_outside_the_source_tree(
    tool: Path, tmp_path: Path
) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = tool_environment()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(tool / "pmctl"), *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    python = (tool / "pmctl").resolve().parent / "python"  # the tool's own environment
    where = subprocess.run(
        [str(python), "-c", "import pmctl; print(pmctl.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(python.parent.parent)), where.stdout
    assert not where.stdout.startswith(str(ROOT))
    assert run("init").returncode == 0
    created = run(
        "new", "--title", "From the wheel", "--severity", "SEV3", "--owner", "w", "--language", "ja"
    )
    assert created.returncode == 0, created.stderr
    assert "## 根本原因" in (work / created.stdout.strip()).read_text(encoding="utf-8")
