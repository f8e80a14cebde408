"""The full-text index of all postmortems: SQLite FTS5, beside the caches in the git dir.

`<git-dir>/pmctl/search-index.sqlite3` (outside git: beside lint's cache in the user's
cache directory) holds, per file, its stat, its metadata for the filters, its services and
tags, and its text in five FTS5 columns: title, summary, cause (root causes and trigger),
body (the rest) and meta (action items, impact, people). It is a cache: it can be deleted at
any time and is rebuilt on the next search.

Decisions, measured on 10,000 realistic postmortems (docs/design.md, bench/bench_search.py):
- The `ascii` tokenizer, fed text in which every other character is already folded or
  spaced (`learning.text.index_text`, `fold`): it finds the tokens `unicode61
  remove_diacritics 2` would, with 25-35% less CPU in FTS5 (`unicode61` looks up the
  Unicode category and case of every kana and kanji, each of which is a token). No Porter
  stemming (stemming is done on the query side, as a prefix): it made building the index
  about 40% slower.
- The table is contentless: the text is not stored twice (the index is ~50 MB instead of
  ~200 MB); snippets come from the files themselves. A contentless table in the SQLite of
  Python 3.11 cannot delete a row without its old text, so a changed or removed file's row
  is left in the index, unreachable (rows are matched through `docs`, and row ids are never
  used again), and the index is rebuilt once such rows are a quarter of the live ones.
- Whether anything changed is answered without reading the index's table of files: it
  keeps a digest of every file's path and stat as they were when it last agreed with all
  of them (`survey`), and a search whose files give the same digest reads nothing else.
- A new index is built in a temporary file with journaling off, then renamed into place:
  a crash leaves the old one or none, never half of one (the half-built file of a process
  killed outright is removed by the next build). FTS5 keeps what it is filled with in
  memory and writes it as one segment at the end (up to 64 MB of it): nothing to merge.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters.cache import Stat, cache_path
from pmctl.adapters.processes import running
from pmctl.domain.learning.query import Filters
from pmctl.errors import FileSystemRefused

FORMAT = "6"
"""Bumped when what is indexed changes, so that an index of the old kind is rebuilt (4: no
template guidance in the summary and cause columns; 5: numbered and emphasised headings
open their sections; 6: so do setext headings, character references and escapes are
decoded, and a number is no date or moment)."""
NAME = "search-index"
RACY_SECONDS = 2.0
BUSY_SECONDS = 10.0
"""How long a search waits for another one to finish updating the index; past it, it builds
a new one (a search stopped with Ctrl-Z while it updated made every other exit 70)."""
UNKNOWN: Stat = (-1, -1, -1, -1)
"""The stat stored for a file to read again next time: no file has it."""
COLUMNS = ("title", "summary", "cause", "body", "meta")
WEIGHTS = (5.0, 2.0, 2.0, 1.0, 1.5)
"""BM25 weight of each column: a word in the title counts five times one in the body."""
_LARGEST = 2**63 - 1
"""SQLite's largest integer: a larger `--limit` (it was exit 70) means every row, as this does."""
_BUILD_CRISIS_MERGE = 1000
"""Segments of one level FTS5 lets pile up while a new index is filled (its default: 16)."""
_BUILD_HASH_SIZE = 64 << 20
"""Bytes of new postings FTS5 holds in memory before it writes them as a segment (`hashsize`,
its default 1 MB), while a new index is filled: 10,000 realistic postmortems fit, so they
become one segment when the transaction ends and the final merge has nothing to do."""

_SCHEMA = f"""
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, size INTEGER NOT NULL, inode INTEGER NOT NULL,
    id TEXT, title TEXT, status TEXT, severity TEXT, owner TEXT, language TEXT, date TEXT,
    problem TEXT
);
CREATE INDEX docs_id ON docs (id);
CREATE TABLE labels (doc INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
                     folded TEXT NOT NULL);
CREATE INDEX labels_folded ON labels (kind, folded);
CREATE INDEX labels_doc ON labels (doc);
CREATE VIRTUAL TABLE fts USING fts5 ({", ".join(COLUMNS)},
    tokenize = 'ascii', content = '');
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One valid postmortem as the index stores it. `key` is its root-relative path;
    `texts` are the five columns' texts, already prepared (`learning.text.index_text`)."""

    key: str
    stat: Stat
    id: str
    title: str
    status: str
    severity: str
    owner: str
    language: str
    date: str
    services: tuple[str, ...]
    tags: tuple[str, ...]
    texts: tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that is not a valid postmortem, remembered until it changes."""

    key: str
    stat: Stat
    location: str
    message: str


@dataclass(frozen=True, slots=True)
class Row:
    """What the index knows of one valid postmortem, for ranking and listing."""

    rowid: int
    key: str
    id: str
    title: str
    status: str
    severity: str
    owner: str
    date: str
    services: tuple[str, ...]
    tags: tuple[str, ...]


class SearchIndex:
    """An open index. Use `open_index`; `close` it (a new one is then put in place)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, final: Path | None) -> None:
        self._db = connection
        self.path = path
        self._final = final
        self._settled = True
        self.stored: list[tuple[str, Stat]] = []
        """Each file put since the index was opened, with the stat it was stored with."""

    @property
    def is_new(self) -> bool:
        """Whether this index is being built from nothing (every file is to be added)."""
        return self._final is not None

    def known(self) -> dict[str, Stat]:
        """Root-relative path -> the stat it was indexed with, for every file indexed."""
        return {
            key: (mtime, ctime, size, inode)
            for key, mtime, ctime, size, inode in self._db.execute(
                "SELECT path, mtime, ctime, size, inode FROM docs"
            )
        }

    def agrees_with(self, digest: str) -> bool:
        """Whether the files are as they were when the index last agreed with all of them:
        `digest` (see `survey_digest`) is the one it kept then."""
        found = self._db.execute("SELECT value FROM info WHERE key = 'survey'").fetchone()
        return found is not None and found[0] == digest

    def agree(self, digest: str | None) -> None:
        """Keep `digest` as the files' the index now agrees with, or forget the one kept
        (None: some file is to be read again next time, `settled`)."""
        if digest is None:
            self._db.execute("DELETE FROM info WHERE key = 'survey'")
        else:
            self._db.execute(
                "INSERT INTO info (key, value) VALUES ('survey', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (digest,),
            )

    @property
    def settled(self) -> bool:
        """Whether every file put since the index was opened was stored with its stat: none
        of them is to be read again next time (written in the last two seconds, or changed
        while it was read)."""
        return self._settled

    def problems(self) -> list[Problem]:
        """The files indexed as not valid postmortems, by path."""
        found: list[Problem] = []
        for key, mtime, ctime, size, inode, problem in self._db.execute(
            "SELECT path, mtime, ctime, size, inode, problem FROM docs "
            "WHERE problem IS NOT NULL ORDER BY path"
        ):
            location, _, message = problem.partition("\x1f")
            found.append(Problem(key, (mtime, ctime, size, inode), location, message))
        return found

    def stale_share(self, changing: int) -> float:
        """Unreachable rows, after `changing` more files are replaced, per live row."""
        live = self._count("SELECT count(*) FROM docs WHERE problem IS NULL")
        return (self._dead() + changing) / max(live, 1)

    @contextlib.contextmanager
    def updating(self) -> Iterator[None]:
        """One transaction for `put` and `remove`: all of it is kept, or none."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        self._db.commit()

    def remove(self, keys: Iterable[str]) -> None:
        """Forget these files (their text stays in the index, unreachable)."""
        for key in keys:
            row = self._db.execute("SELECT rowid, problem FROM docs WHERE path = ?", (key,))
            found = row.fetchone()
            if found is None:
                continue
            self._db.execute("DELETE FROM labels WHERE doc = ?", (found[0],))
            self._db.execute("DELETE FROM docs WHERE rowid = ?", (found[0],))
            if found[1] is None:
                self._add_dead(1)

    def put(self, entries: Sequence[Entry | Problem]) -> None:
        """Add or replace these files (inside `updating`). A file written in the last two
        seconds is stored with an impossible stat, so the next update reads it again."""
        if not self.is_new:
            self.remove(entry.key for entry in entries)
        recent = _file_system_now(self.path.parent) - int(RACY_SECONDS * 1e9)
        # Row ids given here, after the largest ever given (as AUTOINCREMENT would), so that
        # every row goes in with one `executemany`: 10,000 fewer calls into SQLite.
        found = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
        rowid = found[0] if found else 0
        docs: list[tuple[object, ...]] = []
        labels: list[tuple[int, str, str, str]] = []
        texts: list[tuple[int, str, str, str, str, str]] = []
        for entry in entries:
            rowid += 1
            stat = entry.stat if entry.stat[0] < recent else UNKNOWN
            if stat == UNKNOWN:
                self._settled = False
            self.stored.append((entry.key, stat))
            if isinstance(entry, Problem):
                problem = f"{entry.location}\x1f{entry.message}"
                docs.append((rowid, entry.key, *stat, *(None,) * 7, problem))
                continue
            docs.append(
                (
                    rowid,
                    entry.key,
                    *stat,
                    entry.id,
                    entry.title,
                    entry.status,
                    entry.severity,
                    entry.owner,
                    entry.language,
                    entry.date,
                    None,
                )
            )
            labels.extend((rowid, "service", value, value.lower()) for value in entry.services)
            labels.extend((rowid, "tag", value, value.lower()) for value in entry.tags)
            texts.append((rowid, *entry.texts))
        self._db.executemany(
            "INSERT INTO docs (rowid, path, mtime, ctime, size, inode, id, title, status, "
            "severity, owner, language, date, problem) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
        # One statement per batch rather than two per file: 20,000 fewer calls into SQLite
        # for 10,000 postmortems, in the process that the first search waits for.
        self._db.executemany(
            "INSERT INTO labels (doc, kind, value, folded) VALUES (?, ?, ?, ?)", labels
        )
        self._db.executemany(
            f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)", texts
        )

    def search(
        self,
        expression: str | None,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        excluded: str | None = None,
    ) -> tuple[int, list[tuple[Row, float]]]:
        """How many postmortems match, and the `limit` best from `offset` with their score
        (BM25, higher is better; 0 for a query of filters alone, newest first). Without an
        `expression`, those that `excluded` (an FTS5 expression) matches are left out."""
        limit, offset = min(limit, _LARGEST), min(offset, _LARGEST)
        where, parameters = _where(filters)
        if expression is None:
            if excluded is not None:
                where += " AND d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
                parameters = [*parameters, excluded]
            total = self._count(f"SELECT count(*) FROM docs d WHERE {where}", parameters)
            rows = self._db.execute(
                f"{_ROW} WHERE {where} ORDER BY d.date DESC, d.id LIMIT ? OFFSET ?",
                (*parameters, limit, offset),
            )
            return total, [(_row(row), 0.0) for row in rows]
        match = f"fts MATCH ? AND {where}"
        joined = "FROM fts JOIN docs d ON d.rowid = fts.rowid"
        total = self._count(f"SELECT count(*) {joined} WHERE {match}", (expression, *parameters))
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        rows = self._db.execute(
            f"SELECT {_ROW_COLUMNS}, -bm25(fts, {weights}) {joined} "
            f"WHERE {match} ORDER BY bm25(fts, {weights}) LIMIT ? OFFSET ?",
            (expression, *parameters, limit, offset),
        )
        return total, [(_row(row), row[-1]) for row in rows]

    def scores(self, expression: str, *, limit: int) -> dict[int, float]:
        """Row id -> BM25 score (higher is better) of the `limit` best matches."""
        limit = min(limit, _LARGEST)
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        return dict(
            self._db.execute(
                f"SELECT fts.rowid, -bm25(fts, {weights}) FROM fts "
                "JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? "
                f"ORDER BY bm25(fts, {weights}) LIMIT ?",
                (expression, limit),
            )
        )

    def matching(self, expression: str) -> set[int]:
        """Row ids of every live postmortem that `expression` matches."""
        return {
            rowid
            for (rowid,) in self._db.execute(
                "SELECT fts.rowid FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?",
                (expression,),
            )
        }

    def count(self, expression: str) -> int:
        """How many live postmortems `expression` matches."""
        return self._count(
            "SELECT count(*) FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?",
            (expression,),
        )

    def rows(self) -> list[Row]:
        """Every valid postmortem in the index, by path."""
        return [
            _row(row) for row in self._db.execute(f"{_ROW} WHERE d.problem IS NULL ORDER BY d.path")
        ]

    def row_of(self, postmortem_id: str) -> Row | None:
        found = self._db.execute(
            f"{_ROW} WHERE d.id = ? AND d.problem IS NULL ORDER BY d.path LIMIT 1", (postmortem_id,)
        ).fetchone()
        return None if found is None else _row(found)

    def live(self) -> int:
        """How many valid postmortems the index holds."""
        return self._count("SELECT count(*) FROM docs WHERE problem IS NULL")

    def close(self) -> None:
        """Close the index; a new one is moved into place (or dropped, if that fails)."""
        self._db.close()
        if self._final is not None:
            try:
                os.replace(self.path, self._final)
            except OSError:
                self.path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Close the index after a failure: a new one is dropped, never put in place."""
        self._db.close()
        if self._final is not None:
            self.path.unlink(missing_ok=True)

    def _count(self, sql: str, parameters: Sequence[object] = ()) -> int:
        return int(self._db.execute(sql, parameters).fetchone()[0])

    def _dead(self) -> int:
        found = self._db.execute("SELECT value FROM info WHERE key = 'dead'").fetchone()
        return int(found[0]) if found else 0

    def _add_dead(self, count: int) -> None:
        self._db.execute(
            "INSERT INTO info (key, value) VALUES ('dead', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ?",
            (str(count), count),
        )


_ROW_COLUMNS = (
    "d.rowid, d.path, d.id, d.title, d.status, d.severity, d.owner, d.date, "
    "(SELECT group_concat(value, char(31)) FROM labels WHERE doc = d.rowid AND kind = 'service'), "
    "(SELECT group_concat(value, char(31)) FROM labels WHERE doc = d.rowid AND kind = 'tag')"
)
_ROW = f"SELECT {_ROW_COLUMNS} FROM docs d"


def _row(values: Sequence[object]) -> Row:
    rowid, key, postmortem_id, title, status, severity, owner, date, services, tags = values[:10]
    return Row(
        int(str(rowid)),
        str(key),
        str(postmortem_id),
        str(title),
        str(status),
        str(severity),
        str(owner),
        str(date),
        tuple(str(services).split("\x1f")) if services else (),
        tuple(str(tags).split("\x1f")) if tags else (),
    )


def _where(filters: Filters) -> tuple[str, list[object]]:
    """The SQL condition on `docs d` for `filters`, and its parameters."""
    clauses = ["d.problem IS NULL"]
    parameters: list[object] = []

    def one_of(column: str, values: frozenset[str]) -> None:
        if values:
            clauses.append(f"lower({column}) IN ({', '.join('?' * len(values))})")
            parameters.extend(sorted(values))

    for kind, values in (("service", filters.services), ("tag", filters.tags)):
        if values:
            clauses.append(
                "d.rowid IN (SELECT doc FROM labels WHERE kind = ? "
                f"AND folded IN ({', '.join('?' * len(values))}))"
            )
            parameters.extend([kind, *sorted(values)])
    one_of("d.severity", filters.severities)
    one_of("d.status", filters.statuses)
    one_of("d.owner", filters.owners)
    if filters.since is not None:
        clauses.append("d.date >= ?")
        parameters.append(filters.since.isoformat())
    if filters.until is not None:
        clauses.append("d.date <= ?")
        parameters.append(filters.until.isoformat())
    return " AND ".join(clauses), parameters


_REFUSED = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR}
"""What SQLite says when the file system refuses a write: full, a quota, the file-size
limit (`ulimit -f`: an I/O error to SQLite), a failing disk."""


def refusal(error: BaseException, root: Path) -> FileSystemRefused | None:
    """`error` as the file system's refusal to hold the index of the project at `root`, if
    it is one (it was exit 70); the index is a cache, and a new one is never half put in
    place."""
    if not (isinstance(error, sqlite3.Error) and _code(error) in _REFUSED):
        return None
    return FileSystemRefused(
        f"the file system refused the search index in {index_path(root).parent}: {error}",
        hint="free some space, or raise the quota or the file-size limit (`ulimit -f`), then "
        "run the command again; nothing else was written",
    )


def _code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code for `error` (without its extended part)."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


_UNUSABLE = {
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_BUSY,
}
"""What SQLite says of an index that is damaged (a segment or page overwritten, the file
cut short), that this process cannot write (a read-only git dir), or that another process
has been writing for `BUSY_SECONDS`."""


def is_unusable(error: BaseException) -> bool:
    """Whether `error` says the index file itself cannot be used (not that a statement is
    wrong): a new index, built elsewhere if need be, can."""
    return isinstance(error, sqlite3.DatabaseError) and _code(error) in _UNUSABLE


def survey_digest(files: Iterable[tuple[str, Stat]]) -> str:
    """One string for every file's key and stat, to compare with the index's (`agrees_with`).
    (`marshal`: 2 ms for 10,000 files where formatting each one took 13-25 ms. Its format 2,
    which has no back-references: the same values always give the same bytes.)"""
    data = marshal.dumps(list(files), 2)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def index_path(root: Path) -> Path:
    """Where the index of the project at `root` lives, beside pmctl's caches and named like
    them (outside git, with the per-project suffix)."""
    path = cache_path(root, NAME)
    return path.with_name(path.name + ".sqlite3")


def open_index(root: Path, *, version: str, rebuild: bool = False) -> SearchIndex:
    """The index of the project at `root`: the existing one if it was written by this
    format and pmctl version and is readable (and `rebuild` is not asked for), else a new,
    empty one, to be filled and then put in place by `close`."""
    path = index_path(root)
    existing = None if rebuild else _open_existing(path, version)
    if existing is not None:
        return existing
    temporary = _new_file(path.parent)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
    except sqlite3.OperationalError:
        # SQLite opens no file whose path is longer than 512 bytes (a repository deep in a
        # CI workspace): it was exit 70. Built in the temporary directory, as for a git dir
        # that cannot be written; one then put in place there is never opened (`_open_existing`).
        os.unlink(temporary)
        temporary = _new_file_in(Path(tempfile.gettempdir()))
        connection = sqlite3.connect(temporary, isolation_level=None)
    index = _NewIndex(connection, Path(temporary), path)
    try:
        _set_up(connection, version)
    except BaseException:
        index.discard()  # (the file cut short by a full disk was left behind)
        raise
    return index


def _set_up(connection: sqlite3.Connection, version: str) -> None:
    """The tables of a new index, and FTS5's settings for filling it from nothing."""
    # A new file that is only renamed into place when complete needs no journal, and no
    # other process reads it meanwhile. 8 KB pages: FTS5 writes its segments in fewer,
    # larger pieces (~10% less CPU filling it at 10,000 postmortems; a bigger page cache
    # made no difference).
    connection.executescript(
        "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
        "PRAGMA locking_mode = EXCLUSIVE;"
    )
    connection.executescript(_SCHEMA)
    connection.executemany(
        "INSERT INTO info (key, value) VALUES (?, ?)", [("format", FORMAT), ("version", version)]
    )
    # Merging segments while filling the index from nothing is wasted work: merge once, at
    # the end (`_NewIndex.close`). Without a high crisis-merge threshold FTS5 still merges
    # every 16 segments of one level: 10-15% of the CPU of filling it at 10,000 postmortems.
    # With 1 MB segments that merge took 0.31 s at the end, after the workers were done;
    # written as one 64 MB segment instead, the end takes 0.12 s (the segment's write) and
    # the merge none, for 28 MB more memory at its peak (10,000 postmortems, one process).
    connection.executescript(
        "INSERT INTO fts (fts, rank) VALUES ('automerge', 0);"
        f"INSERT INTO fts (fts, rank) VALUES ('crisismerge', {_BUILD_CRISIS_MERGE});"
        f"INSERT INTO fts (fts, rank) VALUES ('hashsize', {_BUILD_HASH_SIZE});"
    )


class _NewIndex(SearchIndex):
    """An index being built: its segments are merged before it is put in place."""

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            # FTS5's defaults again, for the updates of later searches.
            self._db.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', 4)")
            self._db.execute("INSERT INTO fts (fts, rank) VALUES ('crisismerge', 16)")
            self._db.execute("INSERT INTO fts (fts, rank) VALUES ('hashsize', 1048576)")
        super().close()


def _new_file(directory: Path) -> str:
    """A new, empty file for a new index in `directory`; where none can be made there (a
    read-only git dir, a file named like the directory), in the system's temporary
    directory, and the index serves this command only: `close` cannot move it into place.
    (Search exited 10 in a read-only checkout, and 70 with a file in the way, where lint,
    whose cache is not written either, works.)"""
    try:
        return _new_file_in(directory)
    except OSError as error:
        try:
            return _new_file_in(Path(tempfile.gettempdir()))
        except OSError:
            raise error from None


def _new_file_in(directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(directory)
    descriptor, name = tempfile.mkstemp(prefix=f".{NAME}.{os.getpid()}.", dir=directory)
    os.close(descriptor)
    return name


def _remove_abandoned(directory: Path) -> None:
    """Remove the new indexes that builds killed outright (SIGKILL, the OOM killer) left
    here half built, up to tens of MB each: named `.search-index.<pid>.*`, by a process that
    has ended. (Any other ending of a build removes its own: `discard`.)"""
    prefix = f".{NAME}."
    with contextlib.suppress(OSError):
        for name in os.listdir(directory):
            if name.startswith(prefix) and not running(name[len(prefix) :].partition(".")[0]):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)


def _open_existing(path: Path, version: str) -> SearchIndex | None:
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA synchronous = OFF")  # a cache: consistent, not durable
        info = dict(connection.execute("SELECT key, value FROM info"))
        if info.get("format") == FORMAT and info.get("version") == version:
            return SearchIndex(connection, path, None)
    except sqlite3.Error:
        pass
    connection.close()
    return None


def _file_system_now(directory: Path) -> int:
    """The file system's clock, in ns: the mtime of a file created there just now (as the
    lint cache does, for the same "racy" reason). Where no file can be made (an index in a
    read-only checkout's git dir), the process's clock: the index cannot take the files
    either, SQLite says so, and a new one is built elsewhere (this probe's refusal stopped
    `search` with exit 10 instead)."""
    try:
        with tempfile.TemporaryFile(dir=directory) as probe:
            return os.fstat(probe.fileno()).st_mtime_ns
    except OSError:
        import time

        return time.time_ns()
