"""The wheel carries the templates and schemas, and works from outside the source tree."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_process

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("pmctl-*.whl")
    return built


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
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {"PYTHONPATH": str(target)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_process(work, *args, env=env)

    where = subprocess.run(
        [sys.executable, "-c", "import pmctl; print(pmctl.__file__)"],
        cwd=work,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    assert run("--version").returncode == 0
    assert run("init").returncode == 0
    created = run(
        "new", "--title", "From the wheel", "--severity", "SEV3", "--owner", "w", "--language", "ja"
    )
    assert created.returncode == 0, created.stderr
    assert "## 根本原因" in (work / created.stdout.strip()).read_text(encoding="utf-8")
