"""The site's search index, as `<script>` files that a page opened from `file://` can load.

A browser refuses `fetch()` of local files but runs `<script src>`: each index file is one
call, `pmctlSearch.docs(...)`, `pmctlSearch.shard(...)` or `pmctlSearch.manifest(...)`,
that hands its data to `assets/search.js`. Documents are spread over
`search_tokens.SEGMENTS` segments by id, and each segment's tokens over `SHARDS` shards, so
a query loads only the shards of its tokens and a changed postmortem rewrites only its
segment. Within a segment, documents are numbered in id order; the numbers depend only on
the documents in it, so the files are the same however the site was built.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pmctl.adapters.site_output import Output
from pmctl.domain.site import search_tokens

DIRECTORY = "search"
MANIFEST = f"{DIRECTORY}/manifest.js"


def segment_docs(segment: int) -> str:
    """The file of segment `segment`'s documents (written whenever the segment has any)."""
    return f"{DIRECTORY}/{segment}-docs.js"


def segment_shard(segment: int, shard: int) -> str:
    """The file of one shard of segment `segment`'s tokens (written when it holds any)."""
    return f"{DIRECTORY}/{segment}-{shard}.js"


def index_files(present: Mapping[str, Sequence[int]], segments: Iterable[int]) -> set[str]:
    """Every file of the index: of the shards `present` (segment -> shards) and the documents
    of `segments` (those that have any), and the manifest."""
    files = {MANIFEST, *map(segment_docs, segments)}
    files.update(
        segment_shard(int(key), shard) for key, shards in present.items() for shard in shards
    )
    return files


def write_segment(
    output: Output, segment: int, documents: Mapping[str, tuple[str, list[str]]]
) -> list[int]:
    """Write segment `segment` of `documents` (key -> (tokens, one a line; entry)); remove
    its shards that no longer hold a token. Returns the shards written."""
    ordered = sorted(documents.values(), key=lambda document: document[1][0])
    every: defaultdict[str, list[int]] = defaultdict(list)
    for number, (tokens, _) in enumerate(ordered):
        for token in tokens.split("\n") if tokens else ():
            every[token].append(number)
    # Each distinct token's shard looked up once, not once per document that holds it (160
    # documents: 66,000 tokens, 3,100 distinct; 0.12 -> 0.07 s a segment with its JSON).
    shards: list[dict[str, list[int]]] = [{} for _ in range(search_tokens.SHARDS)]
    for token, numbers in every.items():
        shards[search_tokens.shard_of(token)][token] = numbers
    present = []
    for shard, postings in enumerate(shards):
        path = segment_shard(segment, shard)
        if postings:
            output.write_text(path, _call("shard", segment, shard, postings))
            present.append(shard)
        else:
            output.remove(path)
    docs_path = segment_docs(segment)
    if ordered:
        output.write_text(docs_path, _call("docs", segment, [entry for _, entry in ordered]))
    else:
        output.remove(docs_path)
    return present


def write_manifest(output: Output, present: Mapping[str, Sequence[int]]) -> None:
    """Which segment has which shards, so that the page never asks for a missing file."""
    manifest = {
        "segments": search_tokens.SEGMENTS,
        "shards": search_tokens.SHARDS,
        "prefix": search_tokens.PREFIX,
        "present": {key: list(value) for key, value in present.items() if value},
    }
    output.write_text(MANIFEST, _call("manifest", manifest))


def _call(function: str, *arguments: Any) -> str:
    data = ",".join(
        json.dumps(argument, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for argument in arguments
    )
    # A title may hold "</script>"; escaped, the file stays safe even if it is ever inlined.
    safe = data.replace("</", "<\\/")
    return f"pmctlSearch.{function}({safe});\n"
