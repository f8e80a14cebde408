"""Lint results for people (rich text grouped by file) and for machines.

Machine formats: `json` (pmctl's own), `sarif` (SARIF 2.1.0, for code-scanning UIs),
`github` (workflow commands that become annotations on a pull request) and `junit`
(JUnit XML that CI servers show as test results: one test case per file).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl import __version__
from pmctl.domain.lint.findings import Finding, Severity
from pmctl.domain.lint.registry import RULES
from pmctl.domain.visible_text import bytes_shown, visible
from pmctl.domain.wording import plural

if TYPE_CHECKING:
    from pmctl.domain.lint.findings import LintResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def display_path(path: Path, base: Path) -> str:
    """`path` relative to `base` when it is inside it (as people and CI expect), else as is;
    a byte of a name that is not UTF-8 as `\\xe9`, so that JSON and JUnit stay valid."""
    return bytes_shown(_relative(path, base))


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def print_text(result: LintResult, *, cwd: Path, strict: bool) -> None:
    """Findings grouped by file, a hint under each, and a summary line, on stdout.

    Coloured as rich colours on a terminal; plain text (and rich not even imported) when
    the output goes to a pipe or a CI log.
    """
    terminal = sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))
    path_style, error_style, warning_style, rule_style, dim_style = (
        _styles(("bold underline", "red", "yellow", "bold", "dim")) if terminal else _PLAIN
    )
    out: list[str] = []
    hinted: set[str] = set()
    for path, group in groupby(result.findings, key=lambda finding: finding.path):
        out.append(path_style.format(visible(display_path(path, cwd))))
        for finding in group:
            position = f"{finding.line}:{finding.column}"
            severity = error_style if finding.severity is Severity.ERROR else warning_style
            out.append(
                f"  {position:>7}  {severity.format(f'{finding.severity.value:<7}')} "
                f"{rule_style.format(finding.rule)} {visible(finding.message)} "
                f"{dim_style.format(f'({finding.name})')}"
            )
            if _first_time(finding.hint, hinted):
                out.append(f"  {'':>7}  {dim_style.format(f'hint: {visible(finding.hint)}')}")
        out.append("")
    out.append(summary(result, strict=strict))
    sys.stdout.write("\n".join(out) + "\n")


_PLAIN = ("{}",) * 5


def _styles(names: tuple[str, ...]) -> tuple[str, ...]:
    """A format string per rich style, with the codes rich writes around text in it.

    One `Console.print` per line took ~0.3 ms: 3 s for 10,000 findings, against 0.03 s
    this way.
    """
    from pmctl.ui.console import style_codes

    return tuple("{}".join(style_codes(name)) for name in names)


def _first_time(hint: str, hinted: set[str]) -> bool:
    """Whether `hint` is to be shown: a hint that repeats for many findings is said once."""
    if not hint or hint in hinted:
        return False
    hinted.add(hint)
    return True


def summary(result: LintResult, *, strict: bool) -> str:
    files = len({finding.path for finding in result.findings})
    checked = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''} checked"
    if not result.findings:
        return f"✓ {checked}, no problems"
    mark = "✗" if result.failed(strict=strict) else "!"
    return (
        f"{mark} {result.errors} error{'s' if result.errors != 1 else ''}, "
        f"{result.warnings} warning{'s' if result.warnings != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''} ({checked})"
    )


def render(result: LintResult, fmt: str, *, cwd: Path, root: Path, strict: bool) -> str:
    """`result` in a machine format (a `LintFormat` other than text)."""
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: _json(result, cwd),
        "sarif": lambda: _sarif(result, root),
        "github": lambda: _github(result, cwd),
        "junit": lambda: _junit(result, cwd, strict=strict),
        "gitlab": lambda: _gitlab(result, root),
    }
    return renderers[fmt]()


def _as_dict(finding: Finding, base: Path) -> dict[str, object]:
    return {
        "path": display_path(finding.path, base),
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
    }


def _json(result: LintResult, cwd: Path) -> str:
    from pmctl.ui.json_pieces import dumps

    document = {
        "files_checked": result.files_checked,
        "errors": result.errors,
        "warnings": result.warnings,
        "findings": [_as_dict(finding, cwd) for finding in result.findings],
    }
    return dumps(document)


def _sarif(result: LintResult, root: Path) -> str:
    from pmctl.ui.json_pieces import dumps

    index = {rule.id: number for number, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "help": {"text": f"See docs/rules/{rule.id}.md in pmctl's documentation."},
            "defaultConfiguration": {"level": _sarif_level(rule.severity)},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _sarif_level(finding.severity),
            "message": {"text": f"{finding.message}. Hint: {finding.hint}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": _uri(finding.path, root),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding in result.findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pmctl",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.absolute().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return dumps(log)


def _uri(path: Path, root: Path) -> str:
    from urllib.parse import quote

    relative = _relative(path, root)
    # (the bytes of a name that is not UTF-8 as they are: %E9)
    return (
        quote(relative, errors="surrogateescape") if not os.path.isabs(relative) else path.as_uri()
    )


def _sarif_level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _github(result: LintResult, cwd: Path) -> str:
    lines = []
    for finding in result.findings:
        command = "error" if finding.severity is Severity.ERROR else "warning"
        properties = ",".join(
            (
                f"file={_property(display_path(finding.path, cwd))}",
                f"line={finding.line}",
                f"col={finding.column}",
                f"title={_property(f'{finding.rule} {finding.name}')}",
            )
        )
        lines.append(
            f"::{command} {properties}::{_data(f'{finding.message} (hint: {finding.hint})')}"
        )
    return "\n".join(lines)


def _data(text: str) -> str:
    """A workflow command's data, on one line: line breaks (in an owner, a key) in GitHub's
    escapes, so that they can never start a command of their own; other control characters
    (a terminal escape) spelled out."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _gitlab(result: LintResult, root: Path) -> str:
    """GitLab Code Quality: paths from the repository root; a fingerprint that stays the same
    while the finding does (rule, file, message and which such occurrence, not its line)."""
    import hashlib

    from pmctl.ui.json_pieces import dumps

    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for finding in result.findings:
        path = display_path(finding.path, root)
        key = (finding.rule, path, finding.message)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": f"{finding.rule} {finding.name}",
                "description": f"{finding.rule} {finding.message}",
                "content": {"body": finding.hint},
                "categories": ["Style"],
                "severity": "major" if finding.severity is Severity.ERROR else "minor",
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": finding.line}},
            }
        )
    return dumps(issues)


def _junit(result: LintResult, cwd: Path, *, strict: bool) -> str:
    from xml.etree import ElementTree as ET

    by_path: dict[Path, list[Finding]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    # The files checked, then those lint did not read that have findings (strays, links out)
    paths = list(dict.fromkeys([*result.paths, *by_path]))
    failures = 0
    suite = ET.Element("testsuite", name="pmctl lint", tests=str(len(paths)))
    for path in paths:
        name = visible(display_path(path, cwd))
        case = ET.SubElement(suite, "testcase", classname="pmctl.lint", name=name, file=name)
        findings = by_path.get(path, [])
        failing = [f for f in findings if strict or f.severity is Severity.ERROR]
        if failing:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                type=failing[0].rule,
                message=f"{plural(len(failing), 'problem')}; first: {visible(failing[0].message)}",
            )
            failure.text = "\n".join(_line(name, finding) for finding in failing)
        passing = [f for f in findings if f not in failing]
        if passing:
            ET.SubElement(case, "system-out").text = "\n".join(
                _line(name, finding) for finding in passing
            )
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element(
        "testsuites", name="pmctl lint", tests=str(len(paths)), failures=str(failures)
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _line(name: str, finding: Finding) -> str:
    return (
        f"{name}:{finding.line}:{finding.column}: {finding.severity.value} {finding.rule} "
        f"{visible(finding.message)} (hint: {visible(finding.hint)})"
    )
