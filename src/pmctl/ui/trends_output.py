"""Output of `pmctl trends`: recurring causes for the terminal, Markdown and JSON.

The JSON shape is documented in docs/learning.md and versioned by `"version"`. Every field
drawn from a postmortem is shown through `visible`, on the terminal and in Markdown alike, so
a title cannot retitle or clear the terminal it is printed on; in the Markdown it is also
text (`inline`), never a link or a heading of its own.
"""

from __future__ import annotations

from typing import Any

from pmctl.domain.learning.recurring import Cluster, Trends, headline
from pmctl.domain.markdown_text import code_span, inline
from pmctl.domain.model import Language
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
SHOWN_MEMBERS = 5
"""Postmortems listed under a cluster on the terminal and in Markdown (the newest)."""
_WORDS = {
    Language.EN: {
        "title": "Recurring causes from {since} to {until} (at least {minimum} postmortems)",
        "none": "No cause recurs in this period.",
        "counts": "{recent} in the period, {total} in all",
        "summary": "{headline}. {total} in all ({years}).",
        "named": "(named in its cause)",
        "more": "{n} more (--limit shows them)",
    },
    Language.JA: {
        "title": "{since} から {until} までに繰り返した原因(ポストモーテム {minimum} 件以上)",
        "none": "この期間に繰り返した原因はありません。",
        "counts": "期間内 {recent} 件、全 {total} 件",
        "summary": "{headline}。全 {total} 件({years})。",
        "named": "(原因の記述から)",
        "more": "ほか {n} 件(--limit で表示)",
    },
}


def _words(trends: Trends, key: str, **values: object) -> str:
    return _WORDS[trends.language][key].format(**values)


def _title(trends: Trends) -> str:
    return _words(
        trends,
        "title",
        since=trends.since.isoformat(),
        until=trends.until.isoformat(),
        minimum=trends.minimum,
    )


def _name(cluster: Cluster) -> str:
    return visible(f"{cluster.cause} · {cluster.service or ', '.join(cluster.services)}")


def _years(cluster: Cluster) -> str:
    return "  ".join(f"{year}: {count}" for year, count in cluster.per_year.items())


def _headline(cluster: Cluster, trends: Trends) -> str:
    return visible(
        headline(cluster, since=trends.since, until=trends.until, language=trends.language)
    )


def print_trends(trends: Trends, *, limit: int) -> None:
    from rich.markup import escape

    from pmctl.ui.console import stdout

    console = stdout()
    console.print(f"[bold]{escape(_title(trends))}[/]")
    if not trends.clusters:
        console.print(_words(trends, "none"))
        return
    for cluster in trends.clusters[:limit]:
        console.print()
        console.print(
            f"[bold]{escape(_name(cluster))}[/]  "
            + _words(trends, "counts", recent=cluster.recent, total=len(cluster.members))
            + f"  [dim]{escape(_years(cluster))}[/]"
        )
        console.print(f"  {escape(_headline(cluster, trends))}")
        for member in reversed(cluster.members[-SHOWN_MEMBERS:]):
            how = "" if member.tagged else f"  [dim]{_words(trends, 'named')}[/]"
            console.print(
                f"  {member.date.isoformat()}  {escape(visible(member.id))}  "
                f"{escape(visible(member.title))}{how}"
            )
    if len(trends.clusters) > limit:
        console.print("\n" + _words(trends, "more", n=len(trends.clusters) - limit))


def to_markdown(trends: Trends, *, limit: int) -> str:
    lines = [f"# {_title(trends)}", ""]
    if not trends.clusters:
        lines += [_words(trends, "none"), ""]
    for cluster in trends.clusters[:limit]:
        lines += [
            f"## {inline(_name(cluster))}",
            "",
            _words(
                trends,
                "summary",
                headline=inline(_headline(cluster, trends)),
                total=len(cluster.members),
                years=_years(cluster),
            ),
            "",
        ]
        lines += [
            f"- {member.date.isoformat()} {code_span(visible(member.id))} {inline(member.title)}"
            + ("" if member.tagged else " " + _words(trends, "named"))
            for member in reversed(cluster.members[-SHOWN_MEMBERS:])
        ]
        lines.append("")
    return "\n".join(lines)


def to_json(trends: Trends, *, limit: int) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "since": trends.since.isoformat(),
        "until": trends.until.isoformat(),
        "minimum": trends.minimum,
        "clusters": [
            {
                "cause": cluster.cause,
                "service": cluster.service,
                "services": list(cluster.services),
                "in_period": cluster.recent,
                "total": len(cluster.members),
                "per_year": {str(year): count for year, count in cluster.per_year.items()},
                "members": [
                    {
                        "id": member.id,
                        "title": member.title,
                        "date": member.date.isoformat(),
                        "tagged": member.tagged,
                    }
                    for member in cluster.members
                ],
            }
            for cluster in trends.clusters[:limit]
        ],
    }
    return dumps(document) + "\n"
