"""`pmctl site build`: a static website of every postmortem, rebuilt incrementally.

The site works from any static host and from `file://`: every link is relative, every asset
is in the output, search loads its index as `<script>` files (a browser refuses `fetch()`
of local files). What it writes depends only on the repository, the settings, the templates
and `today` (shown on the pages that count overdue items), so the same repository builds the
same bytes.

Incremental: the state of the last build into the same directory (`adapters.site_state`)
says, per postmortem, which file version and which related titles its page was made from.
A rebuild renders only the pages whose postmortem (or a related one's title) changed, and
rewrites only the search segments holding them; the pages over all postmortems (home,
catalogue, action items, statistics) are rendered again and written only when their bytes
differ. Files of removed postmortems are deleted. Only files that pmctl wrote are ever
deleted, and only in a directory that pmctl made (it holds the `.pmctl-site` marker).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import site_state
from pmctl.adapters.config_file import Project
from pmctl.adapters.lint_cache import stat_key
from pmctl.adapters.parallel import map_chunks, processes, split, unchanged
from pmctl.adapters.site_output import Output
from pmctl.domain.model import Postmortem
from pmctl.domain.site import search_tokens
from pmctl.errors import UsageError
from pmctl.services import site_pages, site_search
from pmctl.services.corpus import Invalid, load_all, relative_keys

MARKER = ".pmctl-site"
PARALLEL_FROM = 200
"""Below this many pages to render, a forked worker costs more than it saves."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: the files it (re)wrote and removed, relative to `out`."""

    out: Path
    postmortems: int
    rendered: int
    """Postmortem pages rendered (not all of them are rewritten: unchanged bytes are kept)."""
    written: tuple[str, ...]
    removed: tuple[str, ...]
    invalid: tuple[Invalid, ...]


def default_out(project: Project) -> Path:
    return project.root / "_site"


def build(project: Project, *, out: Path, today: dt.date) -> BuildResult:
    """Build (or update) the site of `project` in `out`."""
    from pmctl.services.stats import start_reading_transitions

    out = out.resolve()
    _check_out(project, out)
    transitions = start_reading_transitions(project)
    corpus = load_all(project.postmortem_dir, root=project.root)
    docs, invalid = _unique(corpus.postmortems)
    site = site_pages.Site.of(project, today=today, postmortems=[model for _, model in docs])
    output = Output(out)
    output.mark(MARKER)

    state_directory = site_state.state_dir(project.root, out)
    header = site.fingerprint
    main = site_state.load(state_directory, "main", header)
    old: dict[str, tuple[object, ...]] = main.get("docs", {})
    keys = relative_keys([path for path, _ in docs], project.root)
    links = site_pages.link_fingerprints([model for _, model in docs])

    records: dict[str, tuple[object, ...]] = {}
    todo: set[int] = set()
    for index, (path, model) in enumerate(docs):
        stat = stat_key(os.stat(path))
        page = site_pages.page_path(model.id)
        record = old.get(keys[index])
        if (
            record is not None
            and record[0] == stat
            and record[2] == links[model.id]
            and record[3] == page
            and output.exists(page)
        ):
            records[keys[index]] = record
        else:
            todo.add(index)
            records[keys[index]] = (stat, "", links[model.id], page, model.id)

    members = _members(docs)
    dirty = _dirty_segments(docs, keys, old, todo, members)
    segment_states = {
        segment: site_state.load(state_directory, f"segment-{segment}", header)
        for segment in sorted(dirty)
    }
    for segment in dirty:  # a lost segment state: its documents are tokenised again
        for index in members.get(segment, []):
            if keys[index] not in segment_states[segment]:
                todo.add(index)

    rendered = _render(site, output, docs, sorted(todo))
    for index, (content_hash, tokens, entry) in rendered.items():
        key = keys[index]
        records[key] = (records[key][0], content_hash, *records[key][2:])
        segment = search_tokens.segment_of(docs[index][1].id)
        segment_states[segment][key] = (tokens, entry)

    present: dict[str, list[int]] = dict(main.get("present", {}))
    for segment in sorted(dirty):
        state = {keys[i]: segment_states[segment][keys[i]] for i in members.get(segment, [])}
        present[str(segment)] = site_search.write_segment(output, segment, state)
        if state:
            site_state.save(state_directory, f"segment-{segment}", header, state)
        else:
            present.pop(str(segment), None)
    site_search.write_manifest(output, present)

    for stale in old_pages(old, records):
        output.remove(stale)
    site_pages.write_aggregates(
        site, output, [model for _, model in docs], transitions(), invalid=len(invalid)
    )
    site_pages.write_assets(site, output)
    site_state.save(state_directory, "main", header, {"docs": records, "present": present})
    return BuildResult(
        out=out,
        postmortems=len(docs),
        rendered=len(rendered),
        written=tuple(sorted(output.written)),
        removed=tuple(sorted(output.removed)),
        invalid=invalid,
    )


def _members(docs: Sequence[tuple[Path, Postmortem]]) -> dict[int, list[int]]:
    """Search segment -> indices of the documents in it."""
    members: dict[int, list[int]] = {}
    for index, (_, model) in enumerate(docs):
        members.setdefault(search_tokens.segment_of(model.id), []).append(index)
    return members


def _dirty_segments(
    docs: Sequence[tuple[Path, Postmortem]],
    keys: Sequence[str],
    old: dict[str, tuple[object, ...]],
    todo: set[int],
    members: dict[int, list[int]],
) -> set[int]:
    """Segments holding a page to render, or whose documents are not those of last time."""
    old_members: dict[int, set[str]] = {}
    for key, record in old.items():
        old_members.setdefault(search_tokens.segment_of(str(record[4])), set()).add(key)
    dirty = {search_tokens.segment_of(docs[index][1].id) for index in todo}
    for segment in set(members) | set(old_members):
        if {keys[index] for index in members.get(segment, [])} != old_members.get(segment, set()):
            dirty.add(segment)
    return dirty


def old_pages(
    old: dict[str, tuple[object, ...]], records: dict[str, tuple[object, ...]]
) -> list[str]:
    """Pages of the last build that no current postmortem has."""
    current = {str(record[3]) for record in records.values()}
    return sorted({str(record[3]) for record in old.values()} - current)


def _render(
    site: site_pages.Site,
    output: Output,
    docs: Sequence[tuple[Path, Postmortem]],
    todo: Sequence[int],
) -> dict[int, tuple[str, list[str], list[str]]]:
    """Render the pages `todo` (indices into `docs`), on every CPU when there are many.

    Children write their pages themselves and send back only what the search index needs;
    the files they rewrote are found again here by name.
    """

    def work(indices: Sequence[int]) -> list[tuple[str, list[str], list[str], bool]]:
        return [site_pages.render_postmortem(site, output, *docs[index]) for index in indices]

    count = processes(len(todo), minimum=PARALLEL_FROM)
    chunks = split(todo, [1 / count] * count)
    results = map_chunks(work, chunks, unchanged) if todo else []
    rendered = {}
    for index, (content_hash, tokens, entry, written) in zip(todo, results, strict=True):
        rendered[index] = (content_hash, tokens, entry)
        if written:
            output.written.add(site_pages.page_path(docs[index][1].id))
    return rendered


def _unique(
    postmortems: Sequence[tuple[Path, Postmortem]],
) -> tuple[list[tuple[Path, Postmortem]], tuple[Invalid, ...]]:
    """The postmortems by id; a second file with an id already seen is left out, reported."""
    seen: dict[str, Path] = {}
    kept = []
    skipped = []
    for path, model in postmortems:
        if model.id in seen:
            skipped.append(Invalid(str(path), f"id {model.id} is also the id of {seen[model.id]}"))
            continue
        seen[model.id] = path
        kept.append((path, model))
    kept.sort(key=lambda entry: entry[1].id)
    return kept, tuple(skipped)


def _check_out(project: Project, out: Path) -> None:
    """Refuse an output directory whose files pmctl could clobber or publish by mistake."""
    root = project.root.resolve()
    postmortems = project.postmortem_dir.resolve()
    if out == root or root.is_relative_to(out) or out.is_relative_to(postmortems):
        raise UsageError(
            f"{out} cannot hold the site: it contains the repository or lies in its postmortems",
            hint="build into a directory of its own, e.g. --out _site",
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            f"{out} is not empty and was not made by `pmctl site build`",
            hint="choose a new or empty directory, e.g. --out _site",
        )
