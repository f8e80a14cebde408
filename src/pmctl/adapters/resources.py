"""Where the built-in templates, schemas and CI files are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT = _PACKAGE.parent.parent


def builtin_dir(name: str) -> Path:
    """`templates`, `schemas` or `ci`: inside the wheel (`pmctl/<name>`), else the source
    tree."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _CHECKOUT / name
