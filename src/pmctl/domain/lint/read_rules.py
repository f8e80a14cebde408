"""PM001-PM012, PM014, PM016: what went wrong reading the file, from the reader's `Problem`s.

The reader (`adapters/documents.py`) never raises; each of its problem codes becomes its own
rule here so that every failure mode has a clear id, message and hint. CRLF line endings are
accepted and produce nothing.
"""

from __future__ import annotations

from pmctl.domain.document import ParsedDocument, Problem
from pmctl.domain.lint.context import Hit
from pmctl.domain.lint.registry import (
    EMPTY_FILE,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FRONT_MATTER_NOT_MAPPING,
    FRONT_MATTER_UNCLOSED,
    MERGE_CONFLICT,
    NO_FRONT_MATTER,
    NOT_UTF8,
    UTF8_BOM,
    YAML_ALIAS_BOMB,
    YAML_DUPLICATE_KEY,
    YAML_ENGINE_CRASH,
    YAML_SYNTAX,
    YAML_TAG,
    Rule,
)

_BY_CODE = {
    "too-large": FILE_TOO_LARGE,
    "unreadable": FILE_UNREADABLE,
    "encoding": NOT_UTF8,
    "bom": UTF8_BOM,
    "empty": EMPTY_FILE,
    "no-front-matter": NO_FRONT_MATTER,
    "unclosed-front-matter": FRONT_MATTER_UNCLOSED,
    "front-matter-not-mapping": FRONT_MATTER_NOT_MAPPING,
    "engine-crash": YAML_ENGINE_CRASH,
    "merge-conflict": MERGE_CONFLICT,
}


def check(document: ParsedDocument) -> list[Hit]:
    return [_hit(problem) for problem in document.problems]


def _hit(problem: Problem) -> Hit:
    rule = _BY_CODE.get(problem.code) or _yaml_rule(problem)
    hint = problem.hint
    if rule is YAML_TAG:
        hint = "remove the tag; front matter holds plain strings, numbers, dates and lists"
    elif rule is YAML_ALIAS_BOMB:
        hint = "write the values out instead of nesting aliases (`*name`)"
    return Hit(rule, problem.line, problem.message, hint, problem.column)


def _yaml_rule(problem: Problem) -> Rule:
    message = problem.message
    if "duplicate key" in message or "duplicate mapping key" in message:
        return YAML_DUPLICATE_KEY
    if "YAML tag" in message:
        return YAML_TAG
    if "alias" in message and "limit" in message:
        return YAML_ALIAS_BOMB
    return YAML_SYNTAX
