"""Lint output formats for machines (SARIF, GitHub, JUnit, JSON) and the CLI's exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from pmctl.domain.lint import Finding, Severity
from pmctl.domain.lint.findings import LintResult
from pmctl.domain.lint.registry import RULES
from pmctl.domain.project import Project
from pmctl.ui.lint_output import render
from tests.conftest import run_cli
from tests.sample_postmortems import GOOD

ROOT = Path("/repo")
A = ROOT / "postmortems" / "2026" / "a b.md"
B = ROOT / "postmortems" / "2026" / "b.md"
RESULT = LintResult(
    (
        Finding(A, 3, 1, "PM024", "severity-unknown", Severity.ERROR, "bad: 100%, really", "fix"),
        Finding(A, 9, 5, "PM402", "blame-language", Severity.WARNING, "'careless'\nx", "hint"),
    ),
    files_checked=2,
    paths=(A, B),
)


def out(fmt: str, *, strict: bool = False) -> str:
    return render(RESULT, fmt, cwd=ROOT, root=ROOT, strict=strict)


# The parts of the SARIF 2.1.0 schema (OASIS sarif-schema-2.1.0.json) that pmctl emits,
# with their required properties and closed vocabularies.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "additionalProperties": False,
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "additionalProperties": False,
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": {"$ref": "#/$defs/message"},
                                                "help": {"$ref": "#/$defs/message"},
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "additionalProperties": False,
                                                    "properties": {
                                                        "level": {"$ref": "#/$defs/level"}
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "originalUriBaseIds": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "properties": {"uri": {"type": "string", "pattern": "/$"}},
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "additionalProperties": False,
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"$ref": "#/$defs/level"},
                                "message": {"$ref": "#/$defs/message"},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "additionalProperties": False,
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "additionalProperties": False,
                                                        "properties": {
                                                            "uri": {"type": "string"},
                                                            "uriBaseId": {"type": "string"},
                                                        },
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "additionalProperties": False,
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "startColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {
            "type": "object",
            "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
            "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
        },
    },
}


def test_sarif_follows_the_2_1_0_schema_and_indexes_its_rules() -> None:
    log = json.loads(out("sarif"))
    jsonschema.validate(log, SARIF_SUBSET)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(RULES)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "postmortems/2026/a%20b.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 3, "startColumn": 1}
    assert [r["level"] for r in run["results"]] == ["error", "warning"]


def test_github_annotations_escape_their_data() -> None:
    lines = out("github").split("\n")
    assert lines[0] == (
        "::error file=postmortems/2026/a b.md,line=3,col=1,title=PM024 severity-unknown::"
        "bad: 100%25, really (hint: fix)"
    )
    assert lines[1].startswith("::warning file=postmortems/2026/a b.md,line=9,col=5,")
    assert "'careless'%0Ax" in lines[1]


def test_junit_has_a_test_case_per_file_and_fails_on_errors() -> None:
    suites = ET.fromstring(out("junit"))
    (suite,) = suites
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"postmortems/2026/a b.md", "postmortems/2026/b.md"}
    failure = cases["postmortems/2026/a b.md"].find("failure")
    assert failure is not None
    assert failure.get("type") == "PM024"
    assert "PM402" not in (failure.text or "")
    assert cases["postmortems/2026/b.md"].find("failure") is None
    assert (suites.get("tests"), suites.get("failures")) == ("2", "1")
    strict = ET.fromstring(out("junit", strict=True))
    strict_failure = strict.find(".//testcase[@name='postmortems/2026/a b.md']/failure")
    assert strict_failure is not None
    assert "PM402" in (strict_failure.text or "")


def test_json_lists_every_finding() -> None:
    document = json.loads(out("json"))
    assert (document["files_checked"], document["errors"], document["warnings"]) == (2, 1, 1)
    assert document["findings"][0] == {
        "path": "postmortems/2026/a b.md",
        "line": 3,
        "column": 1,
        "rule": "PM024",
        "name": "severity-unknown",
        "severity": "error",
        "message": "bad: 100%, really",
        "hint": "fix",
    }


# --- the command --------------------------------------------------------------------------


def write(project: Project, text: str) -> Path:
    path = project.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


DRAFT = GOOD.replace("status: in-review", "status: draft")
WARNED = DRAFT.replace(
    "Detection took five minutes", "A careless push. Detection took five minutes"
)


def test_cli_exit_codes_clean_errors_and_strict(repo: Project) -> None:
    write(repo, DRAFT)
    clean = run_cli(repo.root, "lint")
    assert clean.returncode == 0, clean.stderr
    assert "1 file checked, no problems" in clean.stdout

    write(repo, WARNED)
    warned = run_cli(repo.root, "lint")
    assert warned.returncode == 0
    assert "PM402" in warned.stdout
    assert "0 errors, 1 warning in 1 file" in warned.stdout
    assert run_cli(repo.root, "lint", "--strict").returncode == 1

    path = write(repo, WARNED.replace("SEV2", "SEV9"))
    failed = run_cli(repo.root, "lint", str(path.relative_to(repo.root)))
    assert failed.returncode == 1
    assert "postmortems/2026/2026-11-20-checkout-latency.md" in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit"])
def test_cli_machine_formats(repo: Project, fmt: str) -> None:
    write(repo, WARNED.replace("SEV2", "SEV9"))
    result = run_cli(repo.root, "lint", "--format", fmt)
    assert result.returncode == 1
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)
    elif fmt == "junit":
        ET.fromstring(result.stdout)
    else:
        assert result.stdout.startswith("::error file=postmortems/2026/")


def test_cli_refuses_an_unknown_format(repo: Project) -> None:
    result = run_cli(repo.root, "lint", "--format", "yaml")
    assert result.returncode == 2
    assert (
        "Invalid value for '--format' / '-f': "
        "'yaml' is not one of 'text', 'json', 'sarif', 'github', 'junit'" in result.stderr
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_new_postmortem_passes_lint_as_a_draft_but_not_as_in_review(
    repo: Project, language: str
) -> None:
    import datetime as dt

    from pmctl.adapters import discovery, documents
    from pmctl.domain.lint import check_document
    from pmctl.domain.model import Status

    created = run_cli(
        repo.root,
        *("new", "--title", "Checkout latency", "--slug", "checkout-latency"),
        *("--severity", "SEV2", "--owner", "alice", "--language", language, "--no-input"),
    )
    assert created.returncode == 0, created.stderr
    assert run_cli(repo.root, "lint").returncode == 0
    (path,) = discovery.discover(repo.postmortem_dir)
    found = check_document(
        documents.read(path), repo.settings, today=dt.date(2026, 11, 23), as_status=Status.IN_REVIEW
    )
    assert {f.rule for f in found} == {"PM102", "PM603"}


def test_lint_imports_no_git_jinja_or_rich_when_output_is_piped(repo: Project) -> None:
    import subprocess
    import sys

    write(repo, WARNED)
    probe = (
        "import sys\n"
        "from pmctl.cli.app import main\n"
        "try:\n    main(['lint'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('git', 'jinja2', 'rich', 'questionary'))\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "FORCE_COLOR"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert "PM402" in result.stdout
    assert result.stderr == "[]"


UNFILLED = GOOD.replace(
    "- The alert fired quickly.", "<!-- pmctl:guide What went well. -->"
).replace("- The pool size had no validation.", "<!-- pmctl:guide What went wrong. -->")
"""Two lessons sections still holding template guidance: PM102 twice, with the same hint."""


def test_a_hint_repeated_for_every_finding_is_said_once(repo: Project) -> None:
    write(repo, UNFILLED)
    result = run_cli(repo.root, "lint")
    assert result.stdout.count(" PM102 ") == 2, result.stdout
    assert result.stdout.count("hint: ") == 1


def test_errors_show_paths_from_where_the_user_stands(repo: Project) -> None:
    path = write(repo, UNFILLED.replace("status: in-review", "status: draft"))
    refused = run_cli(path.parent, "status", path.stem, "in-review")
    assert refused.returncode == 5
    assert f"- {path.name}:" in refused.stderr
    assert str(repo.root) not in refused.stderr


@pytest.mark.parametrize("no_color", [False, True])
def test_terminal_output_is_what_rich_prints_line_by_line(
    no_color: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rich.console import Console
    from rich.markup import escape

    from pmctl.domain.visible_text import visible
    from pmctl.ui import console
    from pmctl.ui.lint_output import print_text, summary

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    console.stdout.cache_clear()
    result = LintResult(
        (
            *RESULT.findings,
            Finding(
                A, 12, 1, "PM402", "blame-language", Severity.WARNING, "[bold]x[/] {0}", "hint"
            ),
            Finding(B, 1, 1, "PM024", "severity-unknown", Severity.ERROR, "100% [red]", "[fix]"),
        ),
        files_checked=2,
        paths=(A, B),
    )
    print_text(result, cwd=ROOT, strict=False)
    fast = capsys.readouterr().out

    # What the output was when rich printed each line itself (emoji codes aside), with
    # every field made visible first.
    reference = Console(highlight=False, soft_wrap=True, emoji=False)
    with reference.capture() as captured:
        for path in (A, B):
            reference.print(
                f"[bold underline]{escape(visible(path.relative_to(ROOT).as_posix()))}[/]"
            )
            for finding in (f for f in result.findings if f.path == path):
                colour = "red" if finding.severity is Severity.ERROR else "yellow"
                position = f"{finding.line}:{finding.column}"
                reference.print(
                    f"  {position:>7}  [{colour}]{finding.severity.value:<7}[/] "
                    f"[bold]{finding.rule}[/] {escape(visible(finding.message))} [dim]({finding.name})[/]"
                )
                if finding is not result.findings[2]:  # its hint was given already
                    reference.print(f"  {'':>7}  [dim]hint: {escape(visible(finding.hint))}[/]")
            reference.print()
        reference.print(summary(result, strict=False))
    console.stdout.cache_clear()
    assert fast == captured.get()
    assert ("\x1b[33m" in fast) is not no_color
    assert "\x1b[1m" in fast
