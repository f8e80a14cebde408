"""Output of `pmctl search`: a ranked list for the terminal, and JSON for scripts.

The JSON shape is documented in docs/learning.md and versioned by its `"version"` field:
fields may be added within a version, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from pmctl.domain.learning.hits import Hit, SearchResults
from pmctl.domain.learning.snippet import Snippet
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1


def print_results(results: SearchResults) -> None:
    """Each hit as its id and title, a line of metadata, and its snippet with the matches
    in bold; then how many matched."""
    import sys

    from pmctl.ui.console import write_line

    for rank, hit in enumerate(results.hits, start=1):
        write_line(sys.stdout, ("bold", f"{rank}. {visible(hit.id)}"), f"  {visible(hit.title)}")
        write_line(sys.stdout, "   ", ("dim", visible(_facts(hit))))
        if hit.snippet.text:
            write_line(sys.stdout, "   ", *_marked(hit.snippet))
    write_line(sys.stdout, summary(results))


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


def _marked(snippet: Snippet) -> list[str | tuple[str, str]]:
    """The snippet in pieces, its highlights in bold yellow, each piece `visible`."""
    text, at = snippet.text, 0
    pieces: list[str | tuple[str, str]] = []
    for start, end in snippet.highlights:
        pieces.append(visible(text[at:start]))
        pieces.append(("bold yellow", visible(text[start:end])))
        at = end
    pieces.append(visible(text[at:]))
    return pieces


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
    return dumps(document) + "\n"
