"""PM701-PM703: rules across all postmortems — duplicate ids, file names, `related` links.

They run on `Facts`, the few values of each document they need, so that the lint service can
keep facts in its cache and check a whole repository without parsing unchanged files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain import frontmatter
from pmctl.domain.document import ParsedDocument
from pmctl.domain.lint.context import Hit
from pmctl.domain.lint.registry import DUPLICATE_ID, FILENAME_ID_MISMATCH, RELATED_MISSING
from pmctl.domain.model import ID_PATTERN, Postmortem

_ID = re.compile(ID_PATTERN)

_ID_HEAD = 8
"""Lines at the top of a front matter where `id:` is looked for first (the template puts it
on the second)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the repository-wide rules need of one document."""

    path: Path
    id: str | None
    id_line: int
    related: tuple[tuple[str, int], ...]
    """Each related id with the file line it is written on."""


def facts_of(document: ParsedDocument, postmortem: Postmortem | None) -> Facts:
    """The facts of a document; from the raw front matter when the model is invalid."""
    data = document.data if isinstance(document.data, dict) else {}
    raw_id = postmortem.id if postmortem is not None else data.get("id")
    related_raw = postmortem.related if postmortem is not None else data.get("related")
    related: list[tuple[str, int]] = []
    if isinstance(related_raw, list):
        related = [
            (item, document.line_of(("related", index)))
            for index, item in enumerate(related_raw)
            if isinstance(item, str) and _ID.match(item)
        ]
    return Facts(
        document.path,
        raw_id if isinstance(raw_id, str) else None,
        _id_line(document),
        tuple(related),
    )


def _id_line(document: ParsedDocument) -> int:
    """`document.line_of(("id",))`, found among the first lines of the front matter when it
    is there: the same line, since the key search goes down the lines in order.

    Lint asks every document for it, and most ask nothing else of their lines: making the
    outline of the whole front matter for it took ~20 us of a realistic document's ~500.
    """
    if document.front_matter is not None:
        head = document.front_matter.split("\n", _ID_HEAD)[:_ID_HEAD]
        found = frontmatter.find_key(head, 0, len(head), -1, "id")
        if found is not None:
            return document.front_matter_line + found[0]
    return document.line_of(("id",))


def check_facts(
    facts: Iterable[Facts], *, others: Mapping[str, Path] | None = None
) -> list[tuple[Path, Hit]]:
    """Repository-wide hits, each with the file it is in.

    `others` maps the ids of postmortems that exist but are not among `facts` (known by their
    file names, when only some files are linted) to their paths.
    """
    facts = list(facts)
    others = others or {}
    owners: dict[str, list[Path]] = {}
    for fact in facts:
        if fact.id is not None:
            owners.setdefault(fact.id, []).append(fact.path)
    hits: list[tuple[Path, Hit]] = []
    for fact in facts:
        if fact.id is None:
            continue
        if fact.path.stem != fact.id:
            hits.append(
                (
                    fact.path,
                    Hit(
                        FILENAME_ID_MISMATCH,
                        fact.id_line,
                        f"file name {fact.path.name!r} does not match the id {fact.id!r}",
                        f"rename the file to {fact.id}.md (ids are stable; file names follow)",
                    ),
                )
            )
        same = owners[fact.id]
        sharing = [path for path in same if path != fact.path] if len(same) > 1 else []
        elsewhere = others.get(fact.id)
        if elsewhere is not None and elsewhere != fact.path:
            sharing.append(elsewhere)
        if sharing:
            hits.append(
                (
                    fact.path,
                    Hit(
                        DUPLICATE_ID,
                        fact.id_line,
                        f"id {fact.id!r} is also used by {', '.join(map(str, sharing))}",
                        "give one of them a different id (`YYYY-MM-DD-slug`) and rename its file",
                    ),
                )
            )
    for fact in facts:
        for related, line in fact.related:
            if related not in owners and related not in others:
                hits.append(
                    (
                        fact.path,
                        Hit(
                            RELATED_MISSING,
                            line,
                            f"related postmortem {related!r} does not exist",
                            "fix the id, or remove it from `related:`",
                        ),
                    )
                )
    return hits
