"""The review meeting's agenda as terminal text, Markdown (to share before the meeting)
or JSON (`"version": 1`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmctl.domain.markdown_text import code_span, inline
from pmctl.domain.model import Language
from pmctl.domain.report import incident_date
from pmctl.domain.review import Answer
from pmctl.domain.review_meeting import Agenda, AgendaItem
from pmctl.domain.site.labels import LABELS
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
_WORDS = {
    Language.EN: {
        "title": "Review meeting agenda",
        "as_of": "as of {date}",
        "empty": "Nothing to review: no postmortem is in review or past its deadline.",
        "deadline": "review deadline",
        "overdue": "OVERDUE",
        "approvals": "approvals",
        "checklist": "Checklist",
        "findings": "Lint findings",
        "questions": "Open questions",
        "minutes": "Minutes",
        "minutes_hint": "Attendees: ...\nDecisions:\n- ...\nFollow-ups:\n- ...",
        "record": "record with",
        True: "yes",
        False: "no",
        None: "to decide",
    },
    Language.JA: {
        "title": "レビューミーティングのアジェンダ",
        "as_of": "{date} 時点",
        "empty": "レビュー対象はありません(レビュー中や期限切れのポストモーテムはありません)。",
        "deadline": "レビュー期限",
        "overdue": "期限切れ",
        "approvals": "承認",
        "checklist": "チェックリスト",
        "findings": "lint の指摘",
        "questions": "未解決の論点",
        "minutes": "議事メモ",
        "minutes_hint": "出席者: ...\n決定事項:\n- ...\nフォローアップ:\n- ...",
        "record": "記録するコマンド",
        True: "はい",
        False: "いいえ",
        None: "要判断",
    },
}


def _shown(path: Path, cwd: Path) -> str:
    return visible(str(path.relative_to(cwd) if path.is_relative_to(cwd) else path))


def _heading(
    item: AgendaItem, words: dict[Any, str], shown: Callable[[str], str], language: Language
) -> str:
    """The item's line: each field of the postmortem written through `shown`, its status in
    the agenda's language."""
    pm = item.postmortem
    deadline = f"{words['deadline']} {item.deadline}" if item.deadline else ""
    flag = f" {words['overdue']}" if item.overdue else ""
    approvals = f"{words['approvals']} {len(item.approvers)}/{item.required_approvals}"
    return (
        f"{incident_date(pm)} {shown(pm.id)} — {shown(pm.title)} "
        f"[{LABELS[language][pm.status]}, {shown(pm.severity)}] "
        f"{deadline}{flag}; {approvals}"
    )


def _question(answer: Answer, language: Language, *, emphasis: str = "") -> str:
    """A checklist question and its answer, both in the postmortem's language (the
    agenda's own words are in `default_language`): `(to decide)` after a Japanese question
    was English in a Japanese postmortem's part of the agenda."""
    label = _WORDS[language][answer.answer]
    return f"{answer.question.text(language)} {emphasis}({label}){emphasis}"


def render_terminal(agenda: Agenda, *, cwd: Path) -> str:
    words = _WORDS[agenda.language]
    lines = [f"{words['title']} ({words['as_of'].format(date=agenda.today)})"]
    if not agenda.items:
        return "\n".join([*lines, words["empty"]])
    for number, item in enumerate(agenda.items, 1):
        language = item.postmortem.language
        lines += ["", f"{number}. {_heading(item, words, visible, agenda.language)}"]
        answered = sum(answer.answer is True for answer in item.answers)
        lines.append(f"   {words['checklist']}: {answered}/{len(item.answers)}")
        for finding in item.findings:
            place = f"{_shown(finding.path, cwd)}:{finding.line}"
            lines.append(f"   - {place}: {finding.rule} {visible(finding.message)}")
        for answer in item.open_questions:
            lines.append(f"   ? {_question(answer, language)}")
    return "\n".join(lines)


def render_markdown(agenda: Agenda, *, cwd: Path) -> str:
    words = _WORDS[agenda.language]
    lines = [f"# {words['title']} ({agenda.today})", ""]
    if not agenda.items:
        return "\n".join([*lines, words["empty"]]) + "\n"
    for number, item in enumerate(agenda.items, 1):
        language = item.postmortem.language
        heading = _heading(item, words, inline, agenda.language)
        lines += [f"## {number}. {heading}", "", f"### {words['checklist']}", ""]
        for answer in item.answers:
            mark = "x" if answer.answer is True else " "
            lines.append(f"- [{mark}] {_question(answer, language, emphasis='_')}")
        if item.findings:
            lines += ["", f"### {words['findings']}", ""]
            lines += [
                f"- {code_span(f'{_shown(f.path, cwd)}:{f.line}')} {f.rule} {inline(f.message)}"
                for f in item.findings
            ]
        if item.open_questions:
            lines += ["", f"### {words['questions']}", ""]
            lines += [f"- {answer.question.text(language)}" for answer in item.open_questions]
        lines += [
            "",
            f"### {words['minutes']}",
            "",
            "```text",
            words["minutes_hint"],
            "```",
            "",
            f"{words['record']}: `pmctl review {visible(item.postmortem.id)} --minutes FILE`",
            "",
        ]
    return "\n".join(lines)


def to_json(agenda: Agenda, *, cwd: Path) -> str:
    items = [
        {
            "id": item.postmortem.id,
            "title": item.postmortem.title,
            "status": item.postmortem.status.value,
            "severity": item.postmortem.severity,
            "path": _shown(item.path, cwd),
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "overdue": item.overdue,
            "approvers": list(item.approvers),
            "required_approvals": item.required_approvals,
            "checklist": {answer.question.id: answer.answer for answer in item.answers},
            "findings": [
                {
                    "rule": finding.rule,
                    "severity": str(finding.severity),
                    "line": finding.line,
                    "message": finding.message,
                }
                for finding in item.findings
            ],
            "open_questions": [answer.question.id for answer in item.open_questions],
        }
        for item in agenda.items
    ]
    payload = {"version": JSON_VERSION, "today": agenda.today.isoformat(), "items": items}
    return dumps(payload) + "\n"
