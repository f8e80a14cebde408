"""What a security and legal review reads: licences, a reproducible build, a tool install.

- Every distribution pmctl needs at run time (with the `romaji` extra, not the dev tools)
  has a known licence, and none is copyleft: pmctl is MIT and must stay usable as MIT.
- Two builds of the wheel and the sdist give identical bytes, and both carry LICENSE.
- `pipx install .` gives a `pmctl` that runs from anywhere (the README's tool install): the
  wheel it builds, with build isolation, installed by pipx with its dependencies (`tool`
  in tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import tool_environment

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_EXTRAS = ("romaji",)

COPYLEFT = re.compile(r"\b(?:A?GPL|LGPL|GNU|EUPL|SSPL|OSL|MPL|CC-BY-SA|copyleft)", re.IGNORECASE)
"""GPL and its kin, and the weak copyleft ones (MPL, EUPL...) that a review must decide on."""


def runtime_distributions() -> dict[str, metadata.Distribution]:
    """pmctl and everything its runtime requirements (and `RUNTIME_EXTRAS`) pull in."""
    found: dict[str, metadata.Distribution] = {}
    pending: list[tuple[str, tuple[str, ...]]] = [("pmctl", RUNTIME_EXTRAS)]
    while pending:
        name, extras = pending.pop()
        key = canonicalize_name(name)
        if key in found:
            continue
        distribution = metadata.distribution(name)
        found[key] = distribution
        environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) == key:
                continue  # an extra of itself (pmctl[dev] -> pmctl[romaji])
            marker = requirement.marker
            if marker is None or any(marker.evaluate(env) for env in environments):
                pending.append((requirement.name, tuple(requirement.extras)))
    return found


def licence_of(distribution: metadata.Distribution) -> str:
    """The licence a distribution declares: its SPDX expression, else its licence field
    (when it is a name, not the whole text), else its licence classifiers; "" if none."""
    fields = distribution.metadata
    expression = (fields.get_all("License-Expression") or [""])[0]
    if expression:
        return str(expression)
    declared = str((fields.get_all("License") or [""])[0]).strip()
    if declared and "\n" not in declared and len(declared) < 80:
        return declared
    classifiers = [
        value.split(" :: ")[-1]
        for value in fields.get_all("Classifier") or []
        if value.startswith("License ::")
    ]
    return " AND ".join(classifiers)


def is_copyleft(licence: str) -> bool:
    """Copyleft unless one alternative of an `OR` expression is not."""
    return all(COPYLEFT.search(choice) for choice in re.split(r"\s+OR\s+", licence))


def test_every_runtime_dependency_has_a_licence_and_none_is_copyleft() -> None:
    table = {name: licence_of(found) for name, found in runtime_distributions().items()}
    listing = "\n".join(f"{name:24} {licence}" for name, licence in sorted(table.items()))
    assert {"pmctl", "pydantic", "yaml-rs", "pyyaml", "cutlet"} <= table.keys(), listing
    assert not [name for name, licence in table.items() if not licence], listing
    assert not [name for name, licence in table.items() if is_copyleft(licence)], listing
    assert table["pmctl"] == "MIT"


def test_the_licence_check_would_catch_gpl() -> None:
    assert is_copyleft("GPL-3.0-or-later")
    assert is_copyleft("GNU General Public License v3 or later (GPLv3+)")
    assert is_copyleft("LGPL-2.1-only AND MIT")
    assert not is_copyleft("MIT OR GPL-2.0-only")
    assert not is_copyleft("BSD-3-Clause")


def test_pykakasi_is_gone_from_the_runtime_tree() -> None:
    assert "pykakasi" not in runtime_distributions()


def build(out: Path, target: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764288000"},
    )
    (built,) = out.iterdir()
    return built


@pytest.mark.parametrize("target", ["wheel", "sdist"])
def test_two_builds_are_byte_for_byte_identical_and_ship_the_licence(
    tmp_path: Path, target: str
) -> None:
    first, second = build(tmp_path / "one", target), build(tmp_path / "two", target)
    assert first.name == second.name
    digest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first, second)]
    assert digest[0] == digest[1]
    if target == "wheel":
        names = zipfile.ZipFile(first).namelist()
        assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
        wheel_metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = zipfile.ZipFile(first).read(wheel_metadata).decode()
        version = re.search(r"^Metadata-Version: (\d+)\.(\d+)$", text, re.MULTILINE)
        assert version is not None
        assert (int(version[1]), int(version[2])) >= (2, 4)  # what License-Expression needs
        assert "License-Expression: MIT" in text
        assert "Classifier: Typing :: Typed" in text
    else:
        with tarfile.open(first) as archive:
            names = archive.getnames()
        assert any(name.endswith("/LICENSE") for name in names)
        assert any(name.endswith("/action.yml") for name in names)


def test_pipx_install_gives_a_pmctl_that_runs_from_anywhere(tmp_path: Path, tool: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    version = subprocess.run(
        [str(tool / "pmctl"), "--version"],
        cwd=elsewhere,
        env=tool_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    from pmctl import __version__

    assert version.returncode == 0, version.stderr
    assert __version__ in version.stdout
