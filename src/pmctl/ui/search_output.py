"""Output of `pmctl search`: a ranked list for the terminal, and JSON for scripts.

The JSON shape is documented in docs/learning.md and versioned by its `"version"` field:
fields may be added within a version, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from pmctl.domain.learning.hits import Hit, SearchResults
from pmctl.domain.learning.snippet import Snippet
from pmctl.domain.visible_text import visible

JSON_VERSION = 1


def print_results(results: SearchResults) -> None:
    """Each hit as its id and title, a line of metadata, and its snippet with the matches
    in bold; then how many matched."""
    from rich.markup import escape

    from pmctl.ui.console import stdout

    console = stdout()
    for rank, hit in enumerate(results.hits, start=1):
        console.print(f"[bold]{rank}. {escape(visible(hit.id))}[/]  {escape(visible(hit.title))}")
        console.print(f"   [dim]{escape(visible(_facts(hit)))}[/]")
        if hit.snippet.text:
            console.print(f"   {_marked(hit.snippet)}")
    console.print(summary(results))


def summary(results: SearchResults) -> str:
    """`3 of 41 postmortems match`, or `no postmortem matches`."""
    if not results.total:
        return "no postmortem matches"
    noun = "postmortem matches" if results.total == 1 else "postmortems match"
    if len(results.hits) == results.total:
        return f"{results.total} {noun}"
    return f"{len(results.hits)} of {results.total} {noun} (--limit shows more)"


def _facts(hit: Hit) -> str:
    parts = [hit.date, hit.severity, hit.status]
    if hit.services:
        parts.append(", ".join(hit.services))
    if hit.tags:
        parts.append("#" + " #".join(hit.tags))
    return " · ".join(parts)


def _marked(snippet: Snippet) -> str:
    """The snippet as rich markup, its highlights in bold yellow, each piece `visible`."""
    from rich.markup import escape

    text, parts, at = snippet.text, [], 0
    for start, end in snippet.highlights:
        parts.append(escape(visible(text[at:start])))
        parts.append(f"[bold yellow]{escape(visible(text[start:end]))}[/]")
        at = end
    parts.append(escape(visible(text[at:])))
    return "".join(parts)


def to_json(results: SearchResults) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "query": results.query.text,
        "total": results.total,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "path": hit.path,
                "date": hit.date,
                "status": hit.status,
                "severity": hit.severity,
                "services": list(hit.services),
                "tags": list(hit.tags),
                "score": round(hit.score, 6),
                "snippet": {
                    "text": hit.snippet.text,
                    "highlights": [list(span) for span in hit.snippet.highlights],
                },
            }
            for hit in results.hits
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
