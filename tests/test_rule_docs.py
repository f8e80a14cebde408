"""The rule documentation says what the rule registry says: run `scripts/rule-docs` after
changing a rule, and this passes again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.domain.lint import rule_docs
from pmctl.domain.lint.registry import RULES, Rule

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_each_rule_page_starts_with_the_registrys_header(rule: Rule) -> None:
    page = (DOCS / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
    assert page.startswith(rule_docs.header(rule)), "run scripts/rule-docs"
    assert rule_docs.with_header(rule, page) == page


def test_the_rule_table_in_the_lint_guide_is_the_registrys() -> None:
    guide = (DOCS / "lint.md").read_text(encoding="utf-8")
    assert rule_docs.with_table(guide) == guide, "run scripts/rule-docs"


def test_no_page_without_a_rule() -> None:
    pages = {page.stem for page in (DOCS / "rules").glob("PM*.md")}
    assert pages == {rule.id for rule in RULES}
