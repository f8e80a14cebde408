"""Output of `pmctl reading-club`: the proposal for the terminal, as a Markdown agenda to
share, and as JSON (documented in docs/learning.md, versioned by `"version"`).

Every field drawn from a postmortem is shown through `visible`, on the terminal and in
Markdown alike, so a title cannot retitle or clear the terminal it is printed on; in the
Markdown it is also text (`inline`), never a link or a heading of its own."""

from __future__ import annotations

from typing import Any

from pmctl.domain.learning.reading_club import Proposal
from pmctl.domain.markdown_text import code_span, inline
from pmctl.domain.model import Language
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
_WORDS = {
    Language.EN: {
        "title": "Reading club ({today})",
        "summary": "{picks} of {candidates} reviewed or closed postmortems "
        "({resting} discussed too recently to propose)",
        "nothing": "nothing to propose: ",
        "after": "after the session: ",
        "end": ".",
    },
    Language.JA: {
        "title": "輪読会 ({today})",
        "summary": "レビュー済みまたはクローズのポストモーテム {candidates} 件から {picks} 件"
        "(最近討議したため除外: {resting} 件)",
        "nothing": "提案できるものはありません: ",
        "after": "討議の後に記録: ",
        "end": "。",
    },
}


def _summary(proposal: Proposal) -> str:
    return _WORDS[proposal.language]["summary"].format(
        picks=len(proposal.picks), candidates=proposal.candidates, resting=proposal.resting
    )


def print_proposal(proposal: Proposal) -> None:
    from rich.markup import escape

    from pmctl.ui.console import stdout

    console = stdout()
    if not proposal.picks:
        console.print(_WORDS[proposal.language]["nothing"] + escape(_summary(proposal)))
        return
    for rank, pick in enumerate(proposal.picks, start=1):
        postmortem = pick.postmortem
        console.print(
            f"[bold]{rank}. {escape(visible(postmortem.id))}[/]  {escape(visible(postmortem.title))}"
        )
        console.print(f"   [dim]{escape(visible(' · '.join(pick.reasons)))}[/]")
        for question in pick.questions:
            console.print(f"   - {escape(visible(question))}")
    console.print(_summary(proposal))
    console.print(
        _WORDS[proposal.language]["after"]
        + "pmctl reading-club --record "
        + escape(" ".join(visible(pick.postmortem.id) for pick in proposal.picks))
    )


def to_markdown(proposal: Proposal) -> str:
    words = _WORDS[proposal.language]
    lines = [f"# {words['title'].format(today=proposal.today.isoformat())}", ""]
    for pick in proposal.picks:
        postmortem = pick.postmortem
        lines += [
            f"## {inline(postmortem.title)}",
            "",
            f"{code_span(visible(postmortem.id))} · {inline(' · '.join(pick.reasons))}",
            "",
            *(f"- {inline(question)}" for question in pick.questions),
            "",
        ]
    lines += [_summary(proposal) + words["end"], ""]
    return "\n".join(lines)


def to_json(proposal: Proposal) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "today": proposal.today.isoformat(),
        "candidates": proposal.candidates,
        "resting": proposal.resting,
        "picks": [
            {
                "id": pick.postmortem.id,
                "title": pick.postmortem.title,
                "language": pick.postmortem.language.value,
                "score": round(pick.score, 4),
                "reasons": list(pick.reasons),
                "questions": list(pick.questions),
                "last_discussed": pick.last_discussed.isoformat() if pick.last_discussed else None,
            }
            for pick in proposal.picks
        ],
    }
    return dumps(document) + "\n"
