"""Lint rules for postmortems: pure functions from documents, settings and a date to findings.

`check_document` runs every per-file rule on one document; `check_repository` runs the rules
that need all documents (duplicate ids, related links). Rule levels from
`settings.lint.rules` and inline disable comments are applied here, so callers only see the
findings that are in force. Rules and their ids are listed in `registry.RULES`.

Inline disables (HTML comments in the body, YAML comments in the front matter):

- `<!-- pmctl-disable PM401 -->` turns rules off for the line it is on and the next line;
- `<!-- pmctl-disable-file PM401 section-missing -->` turns them off for the whole file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from pmctl.domain.lint import related_rules
from pmctl.domain.lint.adoption import PREDATING_RULES, excused
from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.findings import Finding, Severity
from pmctl.domain.lint.registry import (
    FILE_UNREADABLE,
    FILENAME_ID_MISMATCH,
    LINK_OUTSIDE,
    NOT_LINTED_FILE,
    RULES,
    Rule,
    resolve,
)
from pmctl.domain.lint.related_rules import Similar
from pmctl.domain.lint.repository_rules import Facts, check_facts, facts_of
from pmctl.domain.model import Postmortem, Status
from pmctl.domain.visible_text import bytes_shown, visible

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pmctl.domain.config import RuleLevel, Settings
    from pmctl.domain.document import ParsedDocument

__all__ = [
    "RULES",
    "Facts",
    "Finding",
    "Rule",
    "Severity",
    "Similar",
    "check_as_in_review",
    "check_document",
    "check_document_with_facts",
    "check_facts_findings",
    "check_repository",
    "check_unread",
    "levels",
    "repository_findings",
    "repository_hits",
    "similar_hits",
]

_DISABLE = re.compile(r"pmctl-disable(-file)?[ \t]+([\w ,\t-]+?)[ \t]*(?:-->|$)", re.MULTILINE)
_ALL = "*"


def check_document(
    document: ParsedDocument,
    settings: Settings,
    *,
    today: dt.date,
    as_status: Status | None = None,
) -> list[Finding]:
    """Every per-file finding in force for `document`, sorted by position.

    Validates `document.data` with the model itself. `as_status` evaluates the
    status-dependent rules as though the postmortem had that status (a transition guard
    asks before writing); the review-deadline rule (PM501) is then skipped, because moving
    on is how an overdue postmortem gets reviewed. Never raises for any document.
    """
    return check_document_with_facts(document, settings, today=today, as_status=as_status)[0]


def check_as_in_review(
    document: ParsedDocument, settings: Settings, *, today: dt.date
) -> list[Finding]:
    """Lint's findings on `document` as if it were in review: the draft -> in-review guard,
    and the review checklist's pre-answers."""
    return check_document(document, settings, today=today, as_status=Status.IN_REVIEW)


def check_document_with_facts(
    document: ParsedDocument,
    settings: Settings,
    *,
    today: dt.date,
    as_status: Status | None = None,
) -> tuple[list[Finding], Facts]:
    """`check_document` plus the document's `Facts` for the repository-wide rules."""
    from pmctl.domain.lint import read_rules, schema_rules
    from pmctl.domain.lint.body import parse_body
    from pmctl.domain.sections import section_names

    hits = read_rules.check(document)
    postmortem: Postmortem | None = None
    if isinstance(document.data, dict):
        postmortem, schema_hits = schema_rules.validate(document, document.data, settings)
        hits.extend(schema_hits)
        status = as_status or postmortem_status(document.data, postmortem)
        context = Context(
            document=document,
            data=document.data,
            postmortem=postmortem,
            status=status,
            settings=settings,
            today=today,
            body=parse_body(
                document.body, document.body_line, section_names(settings.lint.section_aliases)
            ),
            as_status=as_status is not None,
            excused=excused(postmortem, status),
        )
        for check in _content_checks():
            hits.extend(check(context))
        if context.excused:
            hits = [hit for hit in hits if hit.rule not in PREDATING_RULES]
    findings = apply(document.path, document.text, hits, _levels_in_force(settings))
    return findings, facts_of(document, postmortem)


@lru_cache(maxsize=1)
def _content_checks() -> tuple[Callable[[Context], list[Hit]], ...]:
    """The per-file rules that read a parsed document, in the order they report.

    Imported on first use, once (not on every one of 10,000 documents): a run served from
    the cache never needs them.
    """
    from pmctl.domain.lint import (
        action_rules,
        blameless,
        criteria_rules,
        review_rules,
        section_rules,
        time_rules,
    )

    return (
        section_rules.check,
        action_rules.check,
        time_rules.check,
        blameless.check,
        review_rules.check,
        criteria_rules.check,
    )


def check_repository(
    documents: Sequence[tuple[ParsedDocument, Postmortem | None]], settings: Settings
) -> list[Finding]:
    """Findings of the repository-wide rules (PM7xx) over all `documents`."""
    facts = [facts_of(document, postmortem) for document, postmortem in documents]
    texts = {document.path: document.text for document, _ in documents}
    return check_facts_findings(facts, settings, texts=texts)


def check_facts_findings(
    facts: Iterable[Facts],
    settings: Settings,
    *,
    texts: Mapping[Path, str] | None = None,
    others: Mapping[str, Path] | None = None,
) -> list[Finding]:
    """Repository-wide findings from documents' facts.

    `texts` (path -> text) lets file-wide disable comments apply; `others` are ids of
    postmortems known only by file name (see `repository_rules.check_facts`).
    """
    return repository_findings(repository_hits(facts, others=others), settings, texts or {})


def repository_hits(
    facts: Iterable[Facts], *, others: Mapping[str, Path] | None = None
) -> dict[Path, list[Hit]]:
    """The repository-wide rules' hits, by the file they are in (see `check_facts`)."""
    return _by_path(check_facts(facts, others=others))


def similar_hits(facts: Iterable[Facts], similar: Iterable[Similar]) -> dict[Path, list[Hit]]:
    """PM704 hits, by file: very similar postmortems that `related` does not link (the
    service finds them, with the search index, only when the rule is on)."""
    return _by_path(related_rules.check(facts, similar))


def _by_path(found: Iterable[tuple[Path, Hit]]) -> dict[Path, list[Hit]]:
    by_path: dict[Path, list[Hit]] = {}
    for path, hit in found:
        by_path.setdefault(path, []).append(hit)
    return by_path


def repository_findings(
    hits: Mapping[Path, list[Hit]], settings: Settings, texts: Mapping[Path, str]
) -> list[Finding]:
    """Findings in force from `repository_hits`; `texts` holds the text of each file with
    hits, for its disable comments (a file missing from it has none)."""
    rule_levels = _levels_in_force(settings)
    findings: list[Finding] = []
    for path, found in hits.items():
        findings.extend(apply(path, texts.get(path, ""), found, rule_levels))
    return findings


def check_unread(
    strays: Iterable[Path],
    links: Iterable[tuple[Path, Path]],
    not_utf8: Iterable[Path],
    not_files: Iterable[Path],
    settings: Settings,
) -> list[Finding]:
    """The files in the postmortem directory that lint does not read: PM013 for each that is
    not `.md`, PM015 for each `.md` that is a link leading out of the directory (`links`:
    each with where it leads), PM702 for each `.md` whose name is not UTF-8, PM002 for each
    `.md` that is not a regular file (a named pipe)."""
    hits = [
        (
            path,
            Hit(
                NOT_LINTED_FILE,
                1,
                f"{path.name} is not linted: postmortems are `.md` files",
                "rename it to `.md` if it is a postmortem (`pmctl import` adopts other "
                "formats), or move it out of the postmortem directory",
            ),
        )
        for path in strays
    ]
    hits.extend(
        (
            path,
            Hit(
                LINK_OUTSIDE,
                1,
                f"{path.name} is not read: it is a symbolic link to {target}, "
                "outside the postmortem directory"
                if target != path
                else f"{path.name} is not read: it is a loop of symbolic links",
                "pmctl reads only files inside the postmortem directory: replace the link "
                "with the file or directory itself",
            ),
        )
        for path, target in links
    )
    hits.extend(
        (
            path,
            Hit(
                FILENAME_ID_MISMATCH,
                1,
                f"{bytes_shown(path.name)} is not read: "
                "its name is not valid UTF-8, so it cannot be `<id>.md`",
                "rename it to `<id>.md` (`git mv`), with the id from its front matter",
            ),
        )
        for path in not_utf8
    )
    hits.extend(
        (
            path,
            Hit(
                FILE_UNREADABLE,
                1,
                f"{visible(path.name)} is not read: it is not a regular file "
                "(a named pipe, a socket or a device)",
                "remove it, or put the postmortem file itself in its place",
            ),
        )
        for path in not_files
    )
    levels = _levels_in_force(settings)
    return [finding for path, hit in hits for finding in apply(path, "", [hit], levels)]


def postmortem_status(data: Mapping[str, object], postmortem: Postmortem | None) -> Status:
    """The document's status; from the raw data when the model is invalid (else draft)."""
    if postmortem is not None:
        return postmortem.status
    raw = data.get("status")
    try:
        return Status(raw) if isinstance(raw, str) else Status.DRAFT
    except ValueError:
        return Status.DRAFT


def levels(settings: Settings) -> Mapping[str, Severity | None]:
    """Rule id -> level in force (None: off), from the defaults and `[lint.rules]`."""
    return _levels_in_force(settings)


def _levels_in_force(settings: Settings) -> Mapping[str, Severity | None]:
    return _levels(tuple(settings.lint.rules.items()))


@lru_cache(maxsize=8)
def _levels(rules: tuple[tuple[str, RuleLevel], ...]) -> Mapping[str, Severity | None]:
    """`levels` by the `[lint.rules]` items, computed once (lint asks for every file)."""
    result: dict[str, Severity | None] = {
        rule.id: rule.severity if rule.enabled else None for rule in RULES
    }
    for key, level in rules:
        rule = resolve(key)
        if rule is not None:
            result[rule.id] = None if level == "off" else Severity(level.value)
    return MappingProxyType(result)


def apply(
    path: Path, text: str, hits: Iterable[Hit], rule_levels: Mapping[str, Severity | None]
) -> list[Finding]:
    """Findings from hits: configured levels and inline disables applied, sorted."""
    file_off, line_off = _disables(text) if "pmctl-disable" in text else (set(), {})
    findings = []
    for hit in hits:
        rule = hit.rule
        level = rule_levels.get(rule.id)
        if level is None or rule.id in file_off or _ALL in file_off:
            continue
        off = line_off.get(hit.line)
        if off is not None and (rule.id in off or _ALL in off):
            continue
        findings.append(
            Finding(path, hit.line, hit.column, rule.id, rule.name, level, hit.message, hit.hint)
        )
    findings.sort(key=lambda finding: (finding.line, finding.column, finding.rule))
    return findings


def _disables(text: str) -> tuple[set[str], dict[int, set[str]]]:
    file_off: set[str] = set()
    line_off: dict[int, set[str]] = {}
    line, position = 1, 0  # counted on from the previous comment: linear in the text
    for match in _DISABLE.finditer(text):
        ids = {_rule_id(word) for word in re.split(r"[\s,]+", match[2].strip()) if word}
        if match[1]:
            file_off |= ids
        else:
            line += text.count("\n", position, match.start())
            position = match.start()
            for number in (line, line + 1):
                line_off.setdefault(number, set()).update(ids)
    return file_off, line_off


def _rule_id(word: str) -> str:
    if word.lower() == "all":
        return _ALL
    rule = resolve(word)
    return rule.id if rule is not None else word
