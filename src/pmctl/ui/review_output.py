"""The review checklist as terminal text or Markdown (for a review meeting or a PR comment)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pmctl.domain.markdown_text import code_span, inline
from pmctl.domain.model import Language
from pmctl.domain.review import Answer, Checklist, Recorded
from pmctl.domain.visible_text import visible

_WORDS = {
    Language.EN: {
        "title": "Review checklist",
        "sre": "The SRE book's questions",
        "process": "Process questions",
        True: "yes",
        False: "no",
        None: "reviewer decides",
        "approvals": "Approvals by non-authors",
        "none": "none yet",
        "status": "Status",
    },
    Language.JA: {
        "title": "レビューチェックリスト",
        "sre": "SRE本の観点",
        "process": "プロセスの観点",
        True: "はい",
        False: "いいえ",
        None: "レビュアーが判断",
        "approvals": "作成者以外の承認",
        "none": "まだありません",
        "status": "ステータス",
    },
}
_MARK = {True: "x", False: " ", None: " "}


def _reasons(answer: Answer, cwd: Path) -> list[str]:
    found = []
    for finding in answer.findings:
        path = finding.path
        shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
        found.append(f"{shown}:{finding.line}: {finding.rule} {finding.message}")
    return [visible(reason) for reason in (*answer.reasons, *found)]


def _header(
    checklist: Checklist, shown: Callable[[str], str]
) -> tuple[dict[object, str], str, str]:
    """The words, the title line and the approvals, each field written through `shown`."""
    postmortem = checklist.postmortem
    words = _WORDS[postmortem.language]
    approvals = ", ".join(shown(name) for name in checklist.approvers) or words["none"]
    counted = f"{len(checklist.approvers)}/{checklist.required_approvals}"
    return words, f"{shown(postmortem.id)}: {shown(postmortem.title)}", f"{approvals} ({counted})"


def render_terminal(checklist: Checklist, *, cwd: Path) -> str:
    """The checklist as plain lines: a mark, the question, the pre-answer and its reasons."""
    words, title, approvals = _header(checklist, visible)
    lines = [
        f"{words['title']} — {title}",
        f"{words['status']}: {checklist.postmortem.status}   {words['approvals']}: {approvals}",
    ]
    for group in ("sre", "process"):
        lines.append("")
        lines.append(str(words[group]))
        for answer in checklist.answers:
            if answer.question.source != group:
                continue
            mark = _MARK[answer.answer]
            language = checklist.postmortem.language
            lines.append(f"  [{mark}] {answer.question.text(language)}  ({words[answer.answer]})")
            lines.extend(f"        - {reason}" for reason in _reasons(answer, cwd))
    return "\n".join(lines)


def render_markdown(checklist: Checklist, *, cwd: Path) -> str:
    """The checklist as GitHub-flavoured Markdown task lists, one section per group."""
    words, title, approvals = _header(checklist, inline)
    language = checklist.postmortem.language
    lines = [
        f"## {words['title']}: {title}",
        "",
        f"**{words['status']}:** `{checklist.postmortem.status}` · **{words['approvals']}:** {approvals}",
    ]
    for group in ("sre", "process"):
        lines.extend(["", f"### {words[group]}", ""])
        for answer in checklist.answers:
            if answer.question.source != group:
                continue
            mark = _MARK[answer.answer]
            lines.append(f"- [{mark}] {answer.question.text(language)} _({words[answer.answer]})_")
            lines.extend(f"  - {code_span(reason)}" for reason in _reasons(answer, cwd))
    return "\n".join(lines) + "\n"


def render_recorded(recorded: Recorded) -> str:
    """One line saying which review was recorded and what it did to the status."""
    line = f"{recorded.postmortem_id}: {recorded.verdict} by {visible(recorded.reviewer)}"
    if recorded.source is not recorded.target:
        line += f"; {recorded.source} -> {recorded.target}"
    return line
