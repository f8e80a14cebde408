"""PM001-PM012, PM014: what went wrong reading the file, from the reader's `Problem`s.

The reader (`adapters/documents.py`) never raises; each of its problem codes becomes its own
rule here so that every failure mode has a clear id, message and hint. CRLF line endings are
accepted and produce nothing.
"""

from __future__ import annotations

from pmctl.domain.document import ParsedDocument, Problem
from pmctl.domain.lint.context import Hit

_BY_CODE = {
    "too-large": "PM001",
    "unreadable": "PM002",
    "encoding": "PM003",
    "bom": "PM004",
    "empty": "PM005",
    "no-front-matter": "PM006",
    "unclosed-front-matter": "PM007",
    "front-matter-not-mapping": "PM012",
    "engine-crash": "PM014",
}


def check(document: ParsedDocument) -> list[Hit]:
    return [_hit(problem) for problem in document.problems]


def _hit(problem: Problem) -> Hit:
    rule = _BY_CODE.get(problem.code) or _yaml_rule(problem)
    hint = problem.hint
    if rule == "PM009":
        hint = "keep one of the two keys; YAML would silently drop the other"
    elif rule == "PM010":
        hint = "remove the tag; front matter holds plain strings, numbers, dates and lists"
    elif rule == "PM011":
        hint = "write the values out instead of nesting aliases (`*name`)"
    return Hit(rule, problem.line, problem.message, hint, problem.column)


def _yaml_rule(problem: Problem) -> str:
    message = problem.message
    if "duplicate key" in message or "duplicate mapping key" in message:
        return "PM009"
    if "YAML tag" in message:
        return "PM010"
    if "alias" in message and "limit" in message:
        return "PM011"
    return "PM008"
