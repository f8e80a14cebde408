"""Both YAML engines read the conformance corpus alike, and as recorded.

Each `tests/yaml_conformance/cases/NAME.yaml` is a front matter as the reader passes it to
the engine; `NAME.out` records what it must give: `data: ...` (a canonical rendering of the
value) or `error PMxxx` (the lint rule the problem becomes). yaml-rs (the engine) and PyYAML
(the fallback) must both match it: an upgrade of either that changes what a document says
fails here. `divergent/` holds the few inputs where the two are known to differ, with what
each gives.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from pmctl.adapters import documents, yaml_engine
from pmctl.domain.document import ParsedDocument, Problem
from pmctl.domain.lint import read_rules

CORPUS = Path(__file__).parent / "yaml_conformance"
CASES = sorted((CORPUS / "cases").glob("*.yaml"))
DIVERGENT = sorted((CORPUS / "divergent").glob("*.yaml"))
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def engine(name: str) -> Iterator[None]:
    if name == yaml_engine.PYYAML:
        with yaml_engine.fallback():
            yield
        return
    assert yaml_engine.engine_name() == yaml_engine.YAML_RS, (
        "run the suite without PMCTL_YAML_ENGINE"
    )
    with nullcontext():
        yield


def describe(value: Any) -> str:
    """A canonical rendering that tells 1, 1.0 and True apart and orders sets."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{describe(k)}: {describe(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(describe(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(describe(item) for item in value) + ",)"
    if isinstance(value, frozenset):
        return "frozenset{" + ", ".join(sorted(describe(item) for item in value)) + "}"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return repr(value)


def outcome(text: str, name: str) -> str:
    with engine(name):
        try:
            return f"data: {describe(yaml_engine.parse(text))}"
        except yaml_engine.YamlProblem as problem:
            found = Problem("yaml", f"invalid YAML: {problem.message}", "", problem.line)
            (hit,) = read_rules.check(ParsedDocument(Path("case.md"), problems=(found,)))
            return f"error {hit.rule.id}"


def case_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", yaml_engine.ENGINES)
@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_each_engine_reads_the_case_as_recorded(case: Path, name: str) -> None:
    expected = case.with_suffix(".out").read_text(encoding="utf-8").strip()
    assert outcome(case_text(case), name) == expected


@pytest.mark.parametrize("case", DIVERGENT, ids=[case.stem for case in DIVERGENT])
def test_known_differences_stay_as_recorded(case: Path) -> None:
    """yaml-rs reads these; libyaml (YAML 1.1) refuses them. A fix on either side shows here."""
    lines = case.with_suffix(".out").read_text(encoding="utf-8").strip().split("\n")
    recorded = dict(line.split(" ", 1) for line in lines)
    text = case_text(case)
    assert outcome(text, yaml_engine.YAML_RS) == recorded[yaml_engine.YAML_RS]
    assert outcome(text, yaml_engine.PYYAML) == recorded[yaml_engine.PYYAML]


def test_the_corpus_covers_the_traps_the_issue_names() -> None:
    names = {case.stem for case in CASES}
    for topic in ("yaml11-", "duplicate-", "alias-", "tag-", "dates-", "broken-"):
        assert any(name.startswith(topic) for name in names), topic
    assert all(case.with_suffix(".out").is_file() for case in [*CASES, *DIVERGENT])


def realistic_front_matter() -> list[Path]:
    return sorted((ROOT / "examples").glob("*/postmortems/**/*.md"))


@pytest.mark.parametrize("path", realistic_front_matter(), ids=lambda path: path.name)
def test_real_postmortems_give_the_same_data_with_both_engines(path: Path) -> None:
    document = documents.read(path)
    assert document.front_matter is not None
    assert document.data is not None
    with engine(yaml_engine.PYYAML):
        fallback = documents.read(path)
    assert describe(fallback.data) == describe(document.data)
    assert fallback.problems == document.problems
