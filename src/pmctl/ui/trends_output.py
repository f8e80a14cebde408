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
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1
SHOWN_MEMBERS = 5
"""Postmortems listed under a cluster on the terminal and in Markdown (the newest)."""


def _title(trends: Trends) -> str:
    return (
        f"Recurring causes from {trends.since.isoformat()} to {trends.until.isoformat()} "
        f"(at least {trends.minimum} postmortems)"
    )


def _name(cluster: Cluster) -> str:
    return visible(f"{cluster.cause} · {cluster.service or ', '.join(cluster.services)}")


def _years(cluster: Cluster) -> str:
    return "  ".join(f"{year}: {count}" for year, count in cluster.per_year.items())


def _headline(cluster: Cluster, trends: Trends) -> str:
    return visible(headline(cluster, since=trends.since, until=trends.until))


def print_trends(trends: Trends, *, limit: int) -> None:
    from rich.markup import escape

    from pmctl.ui.console import stdout

    console = stdout()
    console.print(f"[bold]{escape(_title(trends))}[/]")
    if not trends.clusters:
        console.print("no cause recurs in this period")
        return
    for cluster in trends.clusters[:limit]:
        console.print()
        console.print(
            f"[bold]{escape(_name(cluster))}[/]  {cluster.recent} in the period, "
            f"{len(cluster.members)} in all  [dim]{escape(_years(cluster))}[/]"
        )
        console.print(f"  {escape(_headline(cluster, trends))}")
        for member in reversed(cluster.members[-SHOWN_MEMBERS:]):
            how = "" if member.tagged else "  [dim](named in its cause)[/]"
            console.print(
                f"  {member.date.isoformat()}  {escape(visible(member.id))}  "
                f"{escape(visible(member.title))}{how}"
            )
    if len(trends.clusters) > limit:
        console.print(f"\n{len(trends.clusters) - limit} more (--limit shows them)")


def to_markdown(trends: Trends, *, limit: int) -> str:
    lines = [f"# {_title(trends)}", ""]
    if not trends.clusters:
        lines += ["No cause recurs in this period.", ""]
    for cluster in trends.clusters[:limit]:
        lines += [
            f"## {inline(_name(cluster))}",
            "",
            f"{inline(_headline(cluster, trends))}. {len(cluster.members)} in all "
            f"({_years(cluster)}).",
            "",
        ]
        lines += [
            f"- {member.date.isoformat()} {code_span(visible(member.id))} {inline(member.title)}"
            + ("" if member.tagged else " (named in its cause)")
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
