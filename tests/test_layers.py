"""Imports only point down: cli -> services (ui to render, domain for types); services ->
adapters and domain; ui -> domain; adapters -> domain; domain -> nothing of pmctl but errors.

Every `import` in the source counts, including those inside functions (heavy ones are
imported lazily there).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "pmctl"

ALLOWED = {
    "cli": {"cli", "services", "ui", "domain", "errors"},
    "services": {"services", "adapters", "domain", "errors"},
    "ui": {"ui", "domain", "errors"},
    "adapters": {"adapters", "domain", "errors"},
    "domain": {"domain", "errors"},
}
"""Layer -> the layers (top-level names under `pmctl`) its modules may import."""

EVERYONE = {"pmctl"}
"""`from pmctl import __version__` is fine anywhere."""


def pmctl_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of a pmctl module in `path`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "pmctl"]


MODULES = sorted(
    path for path in SOURCE.rglob("*.py") if path.relative_to(SOURCE).parts[0] in ALLOWED
)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_imports_point_down(path: Path) -> None:
    layer = path.relative_to(SOURCE).parts[0]
    wrong = [
        f"{path.relative_to(SOURCE)}:{line}: imports {name}"
        for line, name in pmctl_imports(path)
        if name not in EVERYONE and name.split(".")[1] not in ALLOWED[layer]
    ]
    assert wrong == []
