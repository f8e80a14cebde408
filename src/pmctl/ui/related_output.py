"""Output of `pmctl related`: the ranked list with its reasons, and JSON.

The JSON shape is documented in docs/learning.md and versioned by `"version"`.
"""

from __future__ import annotations

from typing import Any

from pmctl.domain.learning.related import RelatedResult, reason_text
from pmctl.domain.model import Language
from pmctl.domain.site.labels import LABELS
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
_WORDS = {
    Language.EN: {
        "like": "Postmortems like",
        "none": "none shares a service, a tag or the words of its summary and cause",
        "linked": "(linked)",
    },
    Language.JA: {
        "like": "似ているポストモーテム:",
        "none": "サービス・タグ・概要と原因の言葉を共有するポストモーテムはありません",
        "linked": "(リンク済み)",
    },
}


def print_related(result: RelatedResult) -> None:
    from rich.markup import escape

    from pmctl.ui.console import stdout

    console = stdout()
    words = _WORDS[result.language]
    statuses = LABELS[result.language]
    target = result.target
    console.print(
        f"{words['like']} [bold]{escape(visible(target.id))}[/]  {escape(visible(target.title))}"
    )
    if not result.related:
        console.print(words["none"])
        return
    for rank, found in enumerate(result.related, start=1):
        profile = found.profile
        linked = f"  [dim]{words['linked']}[/]" if found.linked else ""
        console.print(
            f"{rank}. [bold]{found.score:.2f}[/]  {escape(visible(profile.id))}  "
            f"{escape(visible(profile.title))}{linked}"
        )
        console.print(
            f"   [dim]{escape(visible(profile.date))} · "
            f"{escape(visible(statuses.get(profile.status, profile.status)))}[/]"
        )
        for reason in found.reasons:
            reason_shown = reason_text(reason, result.language)
            console.print(f"   +{reason.points:.2f} {escape(visible(reason_shown))}")


def to_json(result: RelatedResult) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "id": result.target.id,
        "title": result.target.title,
        "related": [
            {
                "id": found.profile.id,
                "title": found.profile.title,
                "date": found.profile.date,
                "status": found.profile.status,
                "services": list(found.profile.services),
                "tags": list(found.profile.tags),
                "score": round(found.score, 4),
                "linked": found.linked,
                "reasons": [
                    {
                        "kind": reason.kind,
                        "shared": list(reason.shared),
                        "points": round(reason.points, 4),
                    }
                    for reason in found.reasons
                ],
            }
            for found in result.related
        ],
    }
    return dumps(document) + "\n"
