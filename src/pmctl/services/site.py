"""`pmctl site build`: a static website of every postmortem, rebuilt incrementally.

The site works from any static host and from `file://`: every link is relative, every asset
is in the output, search loads its index as `<script>` files (a browser refuses `fetch()`
of local files). What it writes depends only on the repository, the settings, the templates
and `today` (shown on the pages that count overdue items), so the same repository builds the
same bytes.

Incremental: the state of the last build into the same directory (`adapters.site_state`)
holds, per postmortem file, its stat, what its page was made from (its content and the
titles of the postmortems it links to or is linked from) and a digest of its front matter.
A rebuild stats every file and reads only those that changed:

- a postmortem's page is rendered again when its file changed, or a title it shows did;
- a search segment is rewritten when the tokens or the entry of one of its documents did;
- the pages over all postmortems (home, catalogue, action items, statistics) are rendered
  again only when some front matter, the set of files, `today` or the git history
  changed; they come from the same corpus loader and code as `pmctl report` and `stats`.

On a cold build the work is spread over every CPU: each worker renders the pages of whole
search segments and writes those segments (the tokens of ten thousand pages never travel
between processes), while one more child writes the pages over all postmortems.

Files of removed postmortems are deleted. Only files that pmctl wrote are ever deleted, and
only in a directory that pmctl made (it holds the `.pmctl-site` marker). Any file is written
only when its bytes change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pmctl.adapters import discovery, parallel, site_state
from pmctl.adapters.cache import stat_key
from pmctl.adapters.files import outermost_missing
from pmctl.adapters.git_dir import find_git_dir
from pmctl.adapters.parallel import processes, start
from pmctl.adapters.site_output import Output
from pmctl.domain.document import Invalid
from pmctl.domain.model import Postmortem
from pmctl.domain.project import Project
from pmctl.domain.site import search_tokens
from pmctl.errors import UsageError, file_system_refusal
from pmctl.services import site_pages, site_search
from pmctl.services.corpus import load_all, load_paths, relative_key

MARKER = ".pmctl-site"
PARALLEL_FROM = 200
"""Below this many pages to render, a forked worker costs more than it saves."""
RELOAD_SHARE = 10
"""When more than 1/RELOAD_SHARE of the files changed, all are loaded through the corpus
loader (parallel and cached) instead of one by one."""


class Record(NamedTuple):
    """What the state keeps of one postmortem file (stored as a plain tuple)."""

    stat: tuple[int, int, int, int] | None
    content: str
    """Hash of the text its page and search entry were made from ("": not made yet)."""
    links: str
    """Fingerprint of the other postmortems' titles its page shows."""
    page: str
    id: str
    title: str
    related: tuple[str, ...]
    front: str
    """Digest of its front matter: the pages over all postmortems show nothing else of it."""


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
    """Build (or update) the site of `project` in `out`.

    Every file is staged and moved into place only once the whole build has succeeded: a
    build that fails (a template's error, a repository template stopped by its CPU bound,
    Ctrl-C) leaves the previous site and build state as they were."""
    out = out.resolve()
    _check_out(project, out)
    output = Output(out, stage=str(os.getpid()))
    made = outermost_missing(out)
    try:
        output.mark(MARKER)
    except OSError as error:  # the first write there: a path that cannot be a directory
        refused = file_system_refusal(error, path=out)
        if refused is not None:  # (a read-only checkout: the site can be built elsewhere)
            refused.hint += "; or build the site where you may write, with --out DIR"
            raise refused from None
        raise UsageError(
            f"cannot make the site in {out}: {error.strerror or error}",
            hint="build into a directory you may create or write to, e.g. --out _site",
        ) from None
    header = site_pages.fingerprint(project)
    state_directory = site_state.state_dir(project.root, out)
    for stage in site_state.abandoned(state_directory):
        _discard(Output(out, stage), state_directory, ended=True)
    site_state.begin(state_directory, output.stage)
    waiting: list[Callable[[], list[tuple[list[str], list[str]]]]] = []
    try:
        result, main = _build(project, output, state_directory, header, today, waiting)
    except BaseException as error:
        # On Ctrl-C the child stops too, but may stage a page after the discard: then
        # `building.<stage>` stays, and the next build removes what is left.
        child_may_write = bool(waiting) and not isinstance(error, Exception)
        if waiting and not child_may_write:
            with contextlib.suppress(Exception):
                waiting[0]()  # no staged file may appear after the discard
        _discard(output, state_directory, ended=not child_may_write)
        if made is not None and not child_may_write:
            output.unmake(MARKER, up_to=made)
        raise
    output.publish(sorted(output.written - {MARKER}), sorted(output.removed))
    site_state.publish(state_directory, output.stage)
    site_state.save(state_directory, "main", header, main)
    site_state.end(state_directory, output.stage)
    return result


def _discard(output: Output, state_directory: Path, *, ended: bool) -> None:
    """Remove every file the build `output.stage` staged, in the site and its state."""
    output.discard()
    site_state.discard(state_directory, output.stage)
    if ended:
        site_state.end(state_directory, output.stage)


def _build(
    project: Project,
    output: Output,
    state_directory: Path,
    header: tuple[str, ...],
    today: dt.date,
    waiting: list[Callable[[], list[tuple[list[str], list[str]]]]],
) -> tuple[BuildResult, dict[str, Any]]:
    """The build, staged in `output`; with the main state to save once it is published.
    `waiting` gets the child rendering the pages over all postmortems, while it runs."""
    main = site_state.load(state_directory, "main", header)
    old = {key: Record(*value) for key, value in main.get("docs", {}).items()}

    read = _read(project, old)
    records = read.records
    titles = {record.id: record.title for record in records.values()}
    related = {record.id: record.related for record in records.values()}
    links = site_pages.link_fingerprints(titles, related)
    todo = set()
    for key, record in records.items():
        fresh = links[record.id]
        if not record.content or record.links != fresh or not output.exists(record.page):
            todo.add(key)
        records[key] = record._replace(links=fresh)
    members = _members(records)
    segments = _dirty_segments(records, old, todo, members)
    states = {s: site_state.load(state_directory, f"segment-{s}", header) for s in segments}
    for segment in segments:  # a lost segment state: its documents are tokenised again
        todo.update(key for key in members.get(segment, []) if key not in states[segment])
    models = read.models
    missing = sorted(key for key in todo if key not in models)
    if missing:
        again = load_paths([project.root / key for key in missing])
        found = [relative_key(path, project.root) for path, _ in again.postmortems]
        models.update(zip(found, again.models, strict=True))
    ordered = sorted(key for key in todo if key in models)

    lines = sorted(f"{key}\t{record.front}" for key, record in records.items())
    aggregates = _digest(
        "\n".join([today.isoformat(), _head(project), str(len(read.invalid)), *lines])
    )
    redo_aggregates = main.get("aggregates") != aggregates or not all(
        map(output.exists, site_pages.AGGREGATES)
    )
    pages = len(ordered) + (len(site_pages.AGGREGATES) if redo_aggregates else 0)
    site = site_pages.Site.of(
        project, today=today, titles=titles, related=related, fingerprint=header, pages=pages
    )
    if redo_aggregates:
        waiting.append(_start_aggregates(project, site, output, records, read))

    present: dict[str, list[int]] = dict(main.get("present", {}))
    work = _Work(site, project.root, models, records, members, states, state_directory, header)
    for key, content in _render_and_index(work, output, ordered, segments, present):
        records[key] = records[key]._replace(content=content)
    if segments or not output.exists(site_search.MANIFEST):
        site_search.write_manifest(output, present)
    current_pages = {record.page for record in records.values()}
    for stale in sorted({record.page for record in old.values()} - current_pages):
        output.remove(stale)
    if waiting:
        for written, removed in waiting.pop()():
            output.written.update(written)
            output.removed.update(removed)
    site_pages.write_assets(site, output)
    images = site_pages.write_images(project.postmortem_dir, output, main.get("images", {}))
    if not main:  # no state of the last build: what it wrote of postmortems gone is not known
        made = {record.page for record in records.values()}
        _sweep(output, made | site_search.index_files(present, members), images)
    stored = {key: tuple(record) for key, record in records.items()}
    result = BuildResult(
        out=output.root,
        postmortems=len(records),
        rendered=len(ordered),
        written=tuple(sorted(output.written)),
        removed=tuple(sorted(output.removed)),
        invalid=read.invalid,
    )
    main = {"docs": stored, "present": present, "aggregates": aggregates, "images": images}
    return result, main


SWEPT = {
    "pm": (".html",),
    site_search.DIRECTORY: (".js",),
    site_pages.FILES: tuple(site_pages.IMAGES),
}
"""The site's own directories, and the suffixes of the files pmctl writes there."""


def _sweep(output: Output, made: set[str], images: Iterable[str]) -> None:
    """Remove what an earlier build wrote in the site's own directories (`SWEPT`) that this
    one did not make: the pages, search entries and images of postmortems gone while the
    state of builds was lost or stale (a changed pmctl.toml, a new pmctl, a new clone). Only
    on such a build: otherwise the state says which files to remove. `made` are the pages
    and search files this build made, `images` the images it copied."""
    made = made | {f"{site_pages.FILES}/{key}" for key in images}
    for directory, suffixes in SWEPT.items():
        for path in output.listed(directory):
            if path not in made and path.lower().endswith(suffixes):
                output.remove(path)


@dataclass(frozen=True, slots=True)
class _Read:
    """Every valid postmortem's record; the models of the files read now (all of them in
    `every` when the whole corpus was loaded); the files that are not valid postmortems."""

    records: dict[str, Record]
    models: dict[str, Postmortem]
    every: list[Postmortem] | None
    invalid: tuple[Invalid, ...]


def _read(project: Project, old: dict[str, Record]) -> _Read:
    """Stat every postmortem file; read those that changed since `old` (all of them through
    the corpus loader when many did)."""
    paths = discovery.discover(project.postmortem_dir)
    keys = [relative_key(path, project.root) for path in paths]
    stats = {key: _stat(path) for key, path in zip(keys, paths, strict=True)}
    changed = [
        path
        for key, path in zip(keys, paths, strict=True)
        if key not in old or old[key].stat != stats[key]
    ]
    every: list[Postmortem] | None = None
    if len(changed) * RELOAD_SHARE > len(keys):
        corpus = load_all(project.postmortem_dir, root=project.root)
        every = corpus.models
    else:
        corpus = load_paths(changed)
    loaded = [relative_key(path, project.root) for path, _ in corpus.postmortems]
    models = dict(zip(loaded, corpus.models, strict=True))
    records: dict[str, Record] = {}
    for key in keys:
        model = models.get(key)
        previous = old.get(key)
        if model is not None:
            same_file = previous is not None and previous.stat == stats[key]
            records[key] = Record(
                stat=stats[key],
                content=previous.content if same_file and previous else "",
                links=previous.links if same_file and previous else "",
                page=site_pages.page_path(model.id),
                id=model.id,
                title=model.title,
                related=tuple(model.related),
                front=_digest(model.model_dump_json()),
            )
        elif previous is not None and previous.stat == stats[key]:
            records[key] = previous
    kept, duplicates = _unique(records, project)
    return _Read(kept, models, every, (*corpus.invalid, *duplicates))


def _stat(path: Path) -> tuple[int, int, int, int] | None:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _unique(
    records: dict[str, Record], project: Project
) -> tuple[dict[str, Record], list[Invalid]]:
    """The records by file, without a second file of an id already seen (reported)."""
    seen: dict[str, str] = {}
    kept: dict[str, Record] = {}
    duplicates = []
    for key in sorted(records):
        postmortem_id = records[key].id
        if postmortem_id in seen:
            duplicates.append(
                Invalid(
                    str(project.root / key),
                    f"id {postmortem_id} is also the id of {seen[postmortem_id]}",
                )
            )
            continue
        seen[postmortem_id] = key
        kept[key] = records[key]
    return kept, duplicates


def _members(records: dict[str, Record]) -> dict[int, list[str]]:
    """Search segment -> the files of the documents in it."""
    members: dict[int, list[str]] = {}
    for key, record in records.items():
        members.setdefault(search_tokens.segment_of(record.id), []).append(key)
    return members


def _dirty_segments(
    records: dict[str, Record],
    old: dict[str, Record],
    todo: set[str],
    members: dict[int, list[str]],
) -> set[int]:
    """Segments holding a page to render, or whose documents are not those of last time."""
    old_members: dict[int, set[str]] = {}
    for key, record in old.items():
        old_members.setdefault(search_tokens.segment_of(record.id), set()).add(key)
    dirty = {search_tokens.segment_of(records[key].id) for key in todo}
    for segment in set(members) | set(old_members):
        if set(members.get(segment, [])) != old_members.get(segment, set()):
            dirty.add(segment)
    return dirty


@dataclass(frozen=True, slots=True)
class _Work:
    """What rendering pages and rewriting search segments reads (children inherit it)."""

    site: site_pages.Site
    root: Path
    models: dict[str, Postmortem]
    records: dict[str, Record]
    members: dict[int, list[str]]
    states: dict[int, dict[str, tuple[str, list[str]]]]
    directory: Path
    header: tuple[str, ...]


_Segment = tuple[list[tuple[str, str]], list[int] | None, list[str], list[str]]
"""What doing one search segment gave: (file, content hash) of each page rendered, the
segment's shards if it was rewritten (None if not), the files written and removed."""


def _render_and_index(
    work: _Work,
    output: Output,
    ordered: Sequence[str],
    segments: set[int],
    present: dict[str, list[int]],
) -> list[tuple[str, str]]:
    """Render the pages of the files `ordered` and rewrite the search segments that changed,
    on every CPU when there are many, each process doing whole segments: the search tokens
    of a page never leave the process that made them. Keeps `present` (segment -> shards)
    up to date; returns (file, content hash) of each page rendered."""
    by_segment: dict[int, list[str]] = {}
    for key in ordered:
        by_segment.setdefault(search_tokens.segment_of(work.records[key].id), []).append(key)
    # Segments are of about the same size: dealt out in turn, the processes get as many pages.
    dirty = sorted(segments)
    count = processes(len(ordered), minimum=PARALLEL_FROM)
    chunks = [chunk for chunk in (dirty[number::count] for number in range(count)) if chunk]

    def do(chunk: Sequence[int]) -> list[_Segment]:
        return [
            _do_segment(work, output, segment, by_segment.get(segment, [])) for segment in chunk
        ]

    rendered = []
    done = list(parallel.ordered(do, chunks))
    in_order = [segment for chunk in chunks for segment in chunk]
    for segment, (pages, shards, written, removed) in zip(in_order, done, strict=True):
        rendered += pages
        output.written.update(written)
        output.removed.update(removed)
        if shards:
            present[str(segment)] = shards
        elif shards is not None:
            present.pop(str(segment), None)
    return rendered


def _do_segment(work: _Work, staged: Output, segment: int, keys: Sequence[str]) -> _Segment:
    """Render the pages of `keys` (all in search segment `segment`), then rewrite the segment
    if a document in it came, went, or changed its tokens or its entry."""
    output = Output(staged.root, staged.stage)
    pages = []
    fresh = {}
    for key in keys:
        content, tokens, entry = site_pages.render_postmortem(
            work.site, output, work.root / key, work.models[key]
        )
        pages.append((key, content))
        # One string per document, not a list of some 400: its state is marshalled 20x faster
        # (160 documents: 1 ms against 19 ms; a rebuild loads it back as fast).
        fresh[key] = ("\n".join(tokens), entry)
    before = work.states[segment]
    state = {key: fresh.get(key) or before[key] for key in work.members.get(segment, [])}
    same = state.keys() == before.keys() and all(
        key not in fresh
        or (
            before[key][1] == state[key][1]
            and set(before[key][0].split("\n")) == set(state[key][0].split("\n"))
        )
        for key in state
    )
    shards = None
    if not same or (state and not output.exists(site_search.segment_docs(segment))):
        shards = site_search.write_segment(output, segment, state)
        if state:
            name = f"segment-{segment}"
            site_state.save(work.directory, name, work.header, state, stage=output.stage)
    return pages, shards, sorted(output.written), sorted(output.removed)


def _start_aggregates(
    project: Project,
    site: site_pages.Site,
    output: Output,
    records: dict[str, Record],
    read: _Read,
) -> Callable[[], list[tuple[list[str], list[str]]]]:
    """`_write_aggregates` started in a child of its own, to run while the pages render (it
    needs nothing they make); call the result for the files it wrote and removed."""

    def write(_: Sequence[None]) -> list[tuple[list[str], list[str]]]:
        pages = Output(output.root, output.stage)
        _write_aggregates(project, site, pages, records, read.every, invalid=len(read.invalid))
        return [(sorted(pages.written), sorted(pages.removed))]

    return start(write, [None])


def _write_aggregates(
    project: Project,
    site: site_pages.Site,
    output: Output,
    records: dict[str, Record],
    every: list[Postmortem] | None,
    *,
    invalid: int,
) -> None:
    """Home, catalogue, action items, statistics: over every postmortem, from the corpus
    loader (and its cache) and the transitions in `git log`, as `pmctl report`/`stats`."""
    from pmctl.services.stats import start_reading_transitions

    transitions = start_reading_transitions(project)
    if every is None:
        every = load_all(project.postmortem_dir, root=project.root).models
    wanted = {record.id for record in records.values()}
    models = []
    for model in every:
        if model.id in wanted:
            wanted.discard(model.id)  # a duplicate id counts once
            models.append(model)
    site_pages.write_aggregates(site, output, models, transitions(), invalid=invalid)


def _head(project: Project) -> str:
    """The commit checked out (the statistics page reads the history up to it)."""
    from pmctl.adapters.git import Repository
    from pmctl.errors import GitError

    try:
        repository = Repository.open(project.root)
    except GitError:
        return ""
    return repository.head() or ""


def _check_out(project: Project, out: Path) -> None:
    """Refuse an output directory whose files pmctl could clobber or publish by mistake."""
    root = project.root.resolve()
    postmortems = project.postmortem_dir.resolve()
    git_dir = find_git_dir(root)
    if (
        out == root
        or root.is_relative_to(out)
        or out.is_relative_to(postmortems)
        or (git_dir is not None and out.is_relative_to(git_dir.resolve()))
    ):
        raise UsageError(
            f"{out} cannot hold the site: it contains the repository or lies in its "
            "postmortems or its git directory",
            hint="build into a directory of its own, e.g. --out _site",
        )
    # os.path.isdir: a name longer than a file name may be (ENAMETOOLONG) is no directory
    # (Path.is_dir raises on Python 3.11); making it then says why it cannot be made.
    if os.path.isdir(out) and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(
            f"{out} is not empty and was not made by `pmctl site build`",
            hint="choose a new or empty directory, e.g. --out _site",
        )
