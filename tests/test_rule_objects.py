"""Code names rules by their registry objects, never by an id string: a renumbered or
misspelt rule is then a NameError at import, not a rule that silently never fires."""

from __future__ import annotations

import ast
from pathlib import Path

from pmctl.domain.lint import registry

SOURCE = Path(__file__).resolve().parent.parent / "src" / "pmctl"
RULE_CODE = [
    *sorted((SOURCE / "domain" / "lint").glob("*.py")),
    SOURCE / "domain" / "review.py",
]


def test_every_rule_is_a_module_level_object_named_after_it() -> None:
    for rule in registry.RULES:
        assert getattr(registry, rule.name.upper().replace("-", "_")) is rule


def test_no_rule_module_names_a_rule_by_its_id_string() -> None:
    ids = {rule.id for rule in registry.RULES}
    found = [
        f"{path.relative_to(SOURCE)}:{node.lineno} {node.value}"
        for path in RULE_CODE
        if path.name != "registry.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in ids
    ]
    assert found == []
