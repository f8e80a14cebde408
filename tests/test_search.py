"""`pmctl search`: English and Japanese full text, filters, ranking, snippets, the index."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.adapters import search_index
from pmctl.adapters.config_file import load_project
from pmctl.adapters.discovery import discover, postmortem_files
from pmctl.adapters.search_index import index_path
from pmctl.domain.learning.query import QueryError, parse
from pmctl.domain.learning.snippet import flatten
from pmctl.domain.learning.text import index_text, stem
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services import library
from pmctl.services.corpus import relative_key
from pmctl.services.search import search
from tests.conftest import initialised_copy, run_cli, run_read_only, without_root_powers
from tests.library import SHAKESPEARE, SHAKESPEARE_JA, copy_shakespeare, write


def ids(project: Project, query: str, *, limit: int = 10) -> list[str]:
    return [hit.id for hit in search(project, query, limit=limit).results.hits]


def age(project: Project) -> None:
    """Date every postmortem an hour back: files written in the last two seconds are read
    again by the next search (their change could be invisible in their stat)."""
    for path in project.postmortem_dir.rglob("*.md"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 3_600_000_000_000))


@pytest.fixture
def shelf(repo: Project) -> Project:
    """The Shakespeare postmortems plus three small ones, in English and Japanese."""
    copy_shakespeare(repo)
    write(
        repo,
        "2026-03-02-checkout-pool",
        title="Checkout errors from connection pool exhaustion",
        services=("checkout",),
        tags=("connection-pool",),
        severity="SEV1",
        owner="bob",
        sections={
            "summary": "Checkout failed for 20 minutes.",
            "root-causes": "The connection pool to the database was exhausted by slow queries.",
        },
    )
    write(
        repo,
        "2026-05-10-search-latency",
        title="Search latency after a config push",
        services=("search",),
        tags=("config",),
        status="closed",
        sections={
            "summary": "Search was slow. Failures of the cache were retried.",
            "root-causes": "A configuration push halved the cache size.",
        },
    )
    write(
        repo,
        "2026-07-01-kessai-chien",
        title="決済の遅延",
        language="ja",
        services=("payments",),
        tags=("capacity",),
        status="draft",
        sections={
            "summary": "決済処理に遅延が発生し、利用者の関心が高まった。",
            "root-causes": "障害の原因はキャッシュ層の容量不足だった。",
        },
    )
    age(repo)
    return repo


def test_english_words_match_their_other_forms_whatever_the_case(shelf: Project) -> None:
    assert ids(shelf, "cascading failures") == [SHAKESPEARE, SHAKESPEARE_JA]
    assert "2026-05-10-search-latency" in ids(shelf, "FAILURE")
    # exhausted, exhaustion
    assert sorted(ids(shelf, "exhausting")) == [SHAKESPEARE, "2026-03-02-checkout-pool"]


def test_a_japanese_word_is_found_inside_a_sentence_at_any_length(shelf: Project) -> None:
    assert sorted(ids(shelf, "障害")) == [SHAKESPEARE_JA, "2026-07-01-kessai-chien"]
    assert sorted(ids(shelf, "関心")) == [SHAKESPEARE_JA, "2026-07-01-kessai-chien"]
    assert ids(shelf, "ファイルディスクリプタ") == [SHAKESPEARE_JA]
    assert ids(shelf, "容量不足") == ["2026-07-01-kessai-chien"]


def test_japanese_characters_match_only_where_they_stand_together(shelf: Project) -> None:
    # 容 and 障 both occur in the draft, but never as 容障.
    assert ids(shelf, "容障") == []
    assert ids(shelf, "決済 遅延") == ["2026-07-01-kessai-chien"]


def test_a_quoted_phrase_matches_exactly_and_words_need_not_be_adjacent(shelf: Project) -> None:
    assert ids(shelf, '"sacrificial cluster"') == [SHAKESPEARE]
    assert ids(shelf, '"cluster sacrificial"') == []
    assert ids(shelf, "pool database") == ["2026-03-02-checkout-pool"]
    assert ids(shelf, '"pool database"') == []


def test_or_lets_either_match_and_not_excludes(shelf: Project) -> None:
    assert sorted(ids(shelf, "halved OR exhausted")) == [
        SHAKESPEARE,  # exhaustion
        "2026-03-02-checkout-pool",
        "2026-05-10-search-latency",
    ]
    assert ids(shelf, "failure NOT cache") == [SHAKESPEARE, SHAKESPEARE_JA]
    assert ids(shelf, "failure -cache") == [SHAKESPEARE, SHAKESPEARE_JA]

    # Exclusions alone: every postmortem but those (they found nothing, exit 0, before).
    everything = set(ids(shelf, "date:..9999", limit=100))
    cached = set(ids(shelf, "cache", limit=100))
    assert cached
    assert cached < everything
    assert set(ids(shelf, "NOT cache", limit=100)) == everything - cached
    assert set(ids(shelf, "-cache", limit=100)) == everything - cached
    assert ids(shelf, "NOT cache NOT exhausted service:checkout") == []
    assert ids(shelf, "NOT cache service:checkout") == ["2026-03-02-checkout-pool"]
    found = run_cli(shelf.root, "search", "NOT", "cache", "--format", "json")
    assert json.loads(found.stdout)["total"] == len(everything - cached)


def test_filters_narrow_by_metadata(shelf: Project) -> None:
    assert ids(shelf, "service:search") == ["2026-05-10-search-latency"]
    assert ids(shelf, "service:Shakespeare-Search") == [SHAKESPEARE, SHAKESPEARE_JA]
    assert ids(shelf, "tag:config,capacity") == [
        "2026-07-01-kessai-chien",
        "2026-05-10-search-latency",
    ]
    assert ids(shelf, "severity:sev1 status:reviewed") == [
        "2026-03-02-checkout-pool",
        SHAKESPEARE,
        SHAKESPEARE_JA,
    ]
    assert ids(shelf, "owner:bob") == ["2026-03-02-checkout-pool"]
    assert ids(shelf, "status:closed,draft") == [
        "2026-07-01-kessai-chien",
        "2026-05-10-search-latency",
    ]
    assert ids(shelf, "date:2026-03..2026-05") == [
        "2026-05-10-search-latency",
        "2026-03-02-checkout-pool",
    ]
    assert ids(shelf, "since:2026-05-10 until:2026-06-30") == ["2026-05-10-search-latency"]
    assert ids(shelf, "failure date:2015") == [SHAKESPEARE, SHAKESPEARE_JA]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(repo: Project) -> None:
    write(repo, "2026-01-01-body", title="Slow pages", sections={"summary": "A leak in the cache."})
    write(repo, "2026-01-02-title", title="Memory leak", sections={"summary": "Pages were slow."})
    write(repo, "2026-01-03-none", title="Other", sections={"summary": "Nothing in common."})
    assert ids(repo, "leak") == ["2026-01-02-title", "2026-01-01-body"]


def test_hits_carry_metadata_and_a_snippet_with_the_matches_marked(shelf: Project) -> None:
    outcome = search(shelf, "ファイルディスクリプタ 障害", limit=5)
    assert outcome.results.total == 1
    (hit,) = outcome.results.hits
    assert hit.id == SHAKESPEARE_JA
    assert hit.path == f"postmortems/2015/{SHAKESPEARE_JA}.md"
    assert hit.services == ("shakespeare-search",)
    assert hit.status == "reviewed"
    assert hit.score > 0
    marked = {hit.snippet.text[start:end] for start, end in hit.snippet.highlights}
    assert marked == {"障害", "ファイルディスクリプタ"}

    (english,) = search(
        shelf, "sacrificial cluster service:shakespeare-search date:2015"
    ).results.hits[:1]
    words = {english.snippet.text[start:end].lower() for start, end in english.snippet.highlights}
    assert {"sacrificial", "cluster"} <= words
    assert len(english.snippet.text) <= 200


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("データベース", "ﾃﾞｰﾀﾍﾞｰｽ"),
        ("postgres", "ＰＯＳＴＧＲＥＳ"),
        ("naive", "naïve"),
        ("株式会社", "㍿"),
        ("replica", "replica"),  # (after the others, which changed the text's length)
    ],
)
def test_a_word_found_in_another_form_is_marked_where_it_is_written(
    repo: Project, query: str, written: str
) -> None:
    """The hit was found but nothing was marked, and the snippet was the start of the file."""
    padding = "Nothing to see here. " * 20
    write(
        repo,
        "2026-09-09-widths",
        sections={"summary": f"{padding}ﾃﾞｰﾀﾍﾞｰｽ ＰＯＳＴＧＲＥＳ 🐘 ㍿ (naïve) replica lag."},
    )
    (hit,) = search(repo, query).results.hits
    assert [hit.snippet.text[start:end] for start, end in hit.snippet.highlights] == [written]


def test_a_snippet_shows_a_link_as_its_text(shelf: Project) -> None:
    # The English postmortem ends with `- Japanese version: [ID-ja](ID-ja.md)`.
    (hit,) = search(shelf, '"Japanese version" service:shakespeare-search').results.hits[:1]
    assert f"Japanese version: {SHAKESPEARE_JA}" in hit.snippet.text
    assert ".md)" not in hit.snippet.text
    assert flatten("See ![the chart](c.png) and [the runbook](https://x.test/r).") == (
        "See the chart and the runbook."
    )


def test_the_limit_keeps_the_best_and_the_total_counts_all(shelf: Project) -> None:
    outcome = search(shelf, "service:shakespeare-search", limit=1)
    assert outcome.results.total == 2
    assert len(outcome.results.hits) == 1
    # Beyond SQLite's integers, every hit (it was exit 70, OverflowError).
    for query in ("service:shakespeare-search", "sonnet"):
        every = run_cli(shelf.root, "search", query, "--limit", "9" * 20, "--format", "json")
        assert every.returncode == 0, every.stderr
        assert len(json.loads(every.stdout)["hits"]) == 2


def test_a_file_that_is_not_a_postmortem_is_reported_and_skipped(shelf: Project) -> None:
    broken = shelf.postmortem_dir / "2026" / "2026-09-09-broken.md"
    broken.write_text("---\nid: [unclosed\n---\nfailure\n", encoding="utf-8")
    outcome = search(shelf, "failure")
    assert [invalid.location.split(":")[0] for invalid in outcome.invalid] == [str(broken)]
    assert "2026-09-09-broken" not in [hit.id for hit in outcome.results.hits]
    # Remembered until it changes, and still reported.
    assert len(search(shelf, "failure").invalid) == 1


def test_the_index_follows_edits_new_files_and_deletions(shelf: Project) -> None:
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]
    path = write(
        shelf,
        "2026-05-10-search-latency",
        title="Search latency after a config push",
        services=("search",),
        sections={"summary": "The cache was quartered."},
    )
    assert ids(shelf, "halved") == []
    assert ids(shelf, "quartered") == ["2026-05-10-search-latency"]
    write(shelf, "2026-08-08-new", sections={"summary": "Quartered again."})
    assert sorted(ids(shelf, "quartered")) == ["2026-05-10-search-latency", "2026-08-08-new"]
    path.unlink()
    assert ids(shelf, "quartered") == ["2026-08-08-new"]
    assert ids(shelf, "service:search") == []


def test_the_index_is_kept_in_the_git_dir_and_reused(shelf: Project) -> None:
    search(shelf, "failure")
    path = index_path(shelf.root)
    assert path.parent == shelf.root / ".git" / "pmctl"
    inode = path.stat().st_ino
    search(shelf, "leak")
    assert path.stat().st_ino == inode


def test_the_index_is_rebuilt_when_a_quarter_of_it_is_stale(shelf: Project) -> None:
    search(shelf, "failure")
    inode = index_path(shelf.root).stat().st_ino
    write(shelf, "2026-03-02-checkout-pool", sections={"summary": "Rewritten: a pool of threads."})
    write(shelf, "2026-05-10-search-latency", sections={"summary": "Rewritten: the search cache."})
    age(shelf)
    assert sorted(ids(shelf, "rewritten")) == [
        "2026-03-02-checkout-pool",
        "2026-05-10-search-latency",
    ]
    assert index_path(shelf.root).stat().st_ino != inode  # 2 stale rows of 5 live: rebuilt
    assert ids(shelf, "exhausted") == [SHAKESPEARE]  # (exhaustion)


def test_a_damaged_index_is_rebuilt(shelf: Project) -> None:
    search(shelf, "failure")
    index_path(shelf.root).write_bytes(b"not a database at all" * 100)
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]
    with sqlite3.connect(index_path(shelf.root)) as connection:
        assert connection.execute("SELECT count(*) FROM docs").fetchone()[0] == 5


@pytest.mark.parametrize("command", [("search", "halved"), ("related", SHAKESPEARE), ("trends",)])
def test_an_index_damaged_inside_its_segments_is_rebuilt(
    shelf: Project, command: tuple[str, ...]
) -> None:
    """SQLite opens such a file and finds the damage only when a search reads it: exit 70."""
    search(shelf, "failure")
    with sqlite3.connect(index_path(shelf.root)) as connection:
        connection.execute("UPDATE fts_data SET block = substr(block, 1, 10) WHERE id > 10")
    result = run_cli(shelf.root, *command)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]


def test_an_index_another_process_keeps_locked_is_built_anew(
    shelf: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search stopped (Ctrl-Z) while it updated the index made every other one exit 70,
    "database is locked", after waiting 10 s."""
    search(shelf, "failure")
    path = write(shelf, "2026-05-10-search-latency", sections={"summary": "The wombat cache."})
    os.utime(path, ns=(0, path.stat().st_mtime_ns - 3_600_000_000_000))  # (the others as they were)
    monkeypatch.setattr(search_index, "BUSY_SECONDS", 0.2, raising=False)
    holder = sqlite3.connect(index_path(shelf.root), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert ids(shelf, "wombat") == ["2026-05-10-search-latency"]
    finally:
        holder.close()
    assert ids(shelf, "wombat") == ["2026-05-10-search-latency"]


def test_a_file_where_the_index_directory_must_be_does_not_stop_a_search(shelf: Project) -> None:
    """It was exit 70 (FileExistsError); lint, whose cache cannot be kept there either, runs."""
    index_path(shelf.root).parent.write_text("not a directory", encoding="utf-8")
    for command in (("search", "halved"), ("related", SHAKESPEARE), ("trends",)):
        result = run_cli(shelf.root, *command)
        assert result.returncode == 0, result.stderr
    assert "2026-05-10-search-latency" in run_cli(shelf.root, "search", "halved").stdout
    assert index_path(shelf.root).parent.read_text(encoding="utf-8") == "not a directory"


def _read_only(directory: Path) -> None:
    """`directory` and its files as a process without root's powers cannot write them."""
    for path in (directory, *directory.iterdir()):
        os.chown(path, 12345, 12345)
        path.chmod(0o555 if path.is_dir() else 0o444)


@pytest.mark.parametrize("built", [False, True])
def test_a_read_only_git_dir_is_searched_with_its_changes(shelf: Project, built: bool) -> None:
    """A first search there exited 10 (the new index could not be made), a search after a
    change 70 (the index could not be updated); the changed file is found by its new words."""
    prefix = without_root_powers()
    search(shelf, "failure")
    directory = index_path(shelf.root).parent
    if not built:
        index_path(shelf.root).unlink()
    write(shelf, "2026-05-10-search-latency", sections={"summary": "The wombat cache."})
    age(shelf)
    before = sorted(os.listdir(directory))
    _read_only(directory)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "pmctl", "search", "wombat"],
            cwd=shelf.root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        )
    finally:
        directory.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "2026-05-10-search-latency" in result.stdout
    assert sorted(os.listdir(directory)) == before


def test_a_new_postmortem_is_found_with_the_git_dir_on_a_read_only_mount(shelf: Project) -> None:
    """A CI job that mounts the checkout read-only: the index could not take a file it had
    never held (no row to remove first, so SQLite had not yet refused), and the probe of the
    file system's clock in its directory stopped the search with exit 10."""
    age(shelf)  # (else every file is read again, and SQLite refuses its row's removal first)
    search(shelf, "failure")
    write(shelf, "2026-05-11-wombat-stampede", sections={"summary": "The wombat cache."})
    directory = index_path(shelf.root).parent
    before = sorted(os.listdir(directory))
    for command in (("search", "wombat"), ("related", "2026-05-11-wombat-stampede"), ("trends",)):
        result = run_read_only(directory, shelf.root, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert command[0] != "search" or "2026-05-11-wombat-stampede" in result.stdout
    assert sorted(os.listdir(directory)) == before


def test_a_repository_deeper_than_sqlite_opens_files_is_searched(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite opens no file whose path is longer than 512 bytes: in a repository deep in a
    CI workspace, search, related and trends stopped with exit 70 ("unable to open
    database file")."""
    root = initialised_copy(tmp_path.joinpath(*["d" * 200] * 3, "pm"), tmp_path_factory)
    project = load_project(root)
    write(project, "2026-05-11-wombat-stampede", sections={"summary": "The wombat cache."})
    for command in (("search", "wombat"), ("related", "2026-05-11-wombat-stampede"), ("trends",)):
        result = run_cli(root, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert command[0] != "search" or "2026-05-11-wombat-stampede" in result.stdout


def test_the_templates_guidance_is_not_searched_nor_makes_drafts_alike(repo: Project) -> None:
    """A draft still holds the template's guidance, in comments: a search for its words found
    every draft, and `related` called any two drafts alike ("summary and cause read alike:
    guide, pmctl, event, happened...")."""
    for title in ("Disk full", "Queue stall"):
        created = run_cli(
            repo.root, "new", "--title", title, "--severity", "SEV3", "--owner", "ann",
            "--no-input",
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
    assert ids(repo, "underlying conditions") == []
    related = run_cli(repo.root, "related", "2026-11-23-disk-full", "--format", "json")
    assert related.returncode == 0, related.stderr
    assert json.loads(related.stdout)["related"] == []


def test_a_new_index_removes_what_killed_builds_left_and_no_running_ones(
    shelf: Project,
) -> None:
    """A first search killed (SIGKILL, the OOM killer) left its half-built index, up to tens
    of MB, in the cache directory; each such search left another."""
    import subprocess
    import sys

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # (its process id now names no process)
    directory = index_path(shelf.root).parent
    directory.mkdir(parents=True, exist_ok=True)
    dead = directory / f".search-index.{ended.pid}.k1ll3d"
    running = directory / f".search-index.{os.getpid()}.bu1ld1ng"
    older = directory / ".search-index.b45s8sv1"  # (before names held the process id)
    for leftover in (dead, running, older):
        leftover.write_bytes(b"half an index" * 1000)

    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]

    assert not dead.exists()
    assert running.exists()
    assert older.exists()


def test_many_files_are_read_by_worker_processes_with_the_same_result(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(40):
        write(
            repo,
            f"2026-02-{number % 28 + 1:02d}-incident-{number}",
            services=("svc-a" if number % 2 else "svc-b",),
            sections={"summary": f"Incident number {number} with marker{number % 5}."},
        )
    monkeypatch.setattr(library, "PARALLEL_FROM", 10)
    monkeypatch.setattr(library, "BATCH", 15)  # batches of 10, 7, 5...: each worker makes several
    monkeypatch.setattr(library, "LAST_BATCH", 5)
    found = search(repo, "marker3 service:svc-a", limit=50).results
    assert found.total == 4
    assert sorted(int(hit.id.rsplit("-", 1)[1]) for hit in found.hits) == [3, 13, 23, 33]


def test_batches_keep_every_file_in_order_and_shrink_towards_the_end() -> None:
    keys = [f"k{number}" for number in range(10_000)]
    batches = library.cut_in_batches(keys, 2)
    assert [key for batch in batches for key in batch] == keys
    sizes = [len(batch) for batch in batches]
    assert sizes[0] == library.BATCH
    assert sizes == sorted(sizes, reverse=True)
    # What this process writes once the workers are done: a small batch from each.
    assert all(size <= library.LAST_BATCH for size in sizes[-2:])
    assert [len(batch) for batch in library.cut_in_batches(keys[:30], 2)] == [30]


def test_query_syntax() -> None:
    query = parse('cascading "file descriptor" leak OR drain NOT test tag:a,b date:2025')
    assert query.match_expression() == (
        '("cascad"* AND "file descriptor" AND ("leak"* OR "drain"*)) NOT ("test"*)'
    )
    assert query.filters.tags == frozenset({"a", "b"})
    assert query.filters.since == dt.date(2025, 1, 1)
    assert query.filters.until == dt.date(2025, 12, 31)
    assert parse("date:2024-02").filters.until == dt.date(2024, 2, 29)
    assert parse("date:..2024-02-10").filters.since is None
    assert parse("障害対応").match_expression() == '"障 害 対 応"'
    assert parse("api-gateway http://x").match_expression() == '"api gateway" AND "http x"'
    assert parse("dns 500").match_expression() == '"dns"* AND "500"'
    with pytest.raises(QueryError, match="status:done is not a status"):
        parse("status:done")
    with pytest.raises(QueryError, match="since:yesterday is not a date"):
        parse("since:yesterday")


def test_an_empty_query_or_a_bad_filter_is_a_usage_error(shelf: Project) -> None:
    with pytest.raises(UsageError, match="nothing to search for"):
        search(shelf, "  ")
    with pytest.raises(UsageError, match="date:2025-13 is not a date"):
        search(shelf, "date:2025-13")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("owner: bob", "owner: has no value; write it right after the colon"),
        ("severity:", "severity: has no value"),
        ("tag:,, leak", "tag: has no value"),
        ("date:..", "date: has no value"),
        ("since:2025-01-01 until:2024-01-01", "from 2025-01-01 until 2024-01-01"),
        ("date:2015..2014", "from 2015-01-01 until 2014-12-31"),
        ("since:2026 date:2025", "from 2026-01-01 until 2025-12-31"),
    ],
)
def test_a_filter_without_a_value_or_dates_that_leave_no_day_are_usage_errors(
    shelf: Project, query: str, message: str
) -> None:
    """They searched without the filter (`owner: bob`: every owner's for the word "bob"),
    or found nothing and said no more than that."""
    result = run_cli(shelf.root, "search", query)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cascade", "cascad"),
        ("cascading", "cascad"),
        ("failures", "failur"),
        ("retries", "retr"),
        ("stopped", "stop"),
        ("boxes", "box"),
        ("status", "status"),
        ("dns", "dns"),
        ("Leak", "Leak"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_index_text_makes_each_kana_and_kanji_a_token() -> None:
    assert index_text("Borgmonが障害を検出") == "Borgmon が 障 害 を 検 出 "
    assert index_text("障害。HTTP") == " 障 害  HTTP"
    assert index_text("ＡＰＩの5xx") == "API の 5xx"
    assert index_text("plain ascii") == "plain ascii"


def test_index_text_folds_other_letters_and_spaces_other_characters() -> None:
    assert index_text("Café «crème» — naïve x\u0301y") == "Cafe  creme    naive xy"
    assert index_text("「かぎ」・中黒、Ωmega") == "  か ぎ    中 黒  ωmega"
    assert index_text("a\x00b障害c") == "a\x00b 障 害 c"


@pytest.mark.parametrize("name", [SHAKESPEARE, SHAKESPEARE_JA])
def test_the_ascii_tokenizer_finds_in_index_text_what_unicode61_would(name: str) -> None:
    """The index's `ascii` tokenizer (cheaper) is fed text that gives it the tokens that
    `unicode61 remove_diacritics 2` would find: so the same hits, ranked the same."""
    from pmctl.domain.learning.indexing import body_columns
    from pmctl.domain.sections import section_names
    from tests.library import EXAMPLES

    text = next(EXAMPLES.rglob(f"{name}.md")).read_text(encoding="utf-8")
    texts = [index_text(text), *body_columns(text, 1, section_names({}))]
    texts.append(index_text("Café «crème» — naïve x\u0301y İstanbul 「かぎ」・中黒、Ωmega ①"))
    connection = sqlite3.connect(":memory:")
    found = []
    for number, tokenizer in enumerate(("unicode61 remove_diacritics 2", "ascii")):
        connection.execute(
            f"CREATE VIRTUAL TABLE t{number} USING fts5 (a, tokenize = '{tokenizer}')"
        )
        connection.execute(f"CREATE VIRTUAL TABLE v{number} USING fts5vocab (t{number}, instance)")
        connection.executemany(f"INSERT INTO t{number} (a) VALUES (?)", [(t,) for t in texts])
        found.append(
            connection.execute(f"SELECT doc, offset, term FROM v{number} ORDER BY 1, 2").fetchall()
        )
    assert len(found[0]) > 1000
    assert found[0] == found[1]


def test_letters_with_diacritics_are_found_with_or_without_them(repo: Project) -> None:
    write(repo, "2026-04-01-cafe", sections={"summary": "The Café queue stalled at Søren's desk."})
    assert (
        ids(repo, "cafe") == ids(repo, "CAFÉ") == ids(repo, '"café queue"') == ["2026-04-01-cafe"]
    )
    assert ids(repo, "søren") == ["2026-04-01-cafe"]


def test_cli_prints_hits_and_json(shelf: Project) -> None:
    table = run_cli(shelf.root, "search", "sacrificial", "cluster")
    assert table.returncode == 0, table.stderr
    assert f"1. {SHAKESPEARE}" in table.stdout
    assert "1 postmortem matches" in table.stdout
    result = run_cli(shelf.root, "search", "障害", "--format", "json", "-n", "1")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["total"] == 2
    assert len(document["hits"]) == 1
    assert set(document["hits"][0]) >= {"id", "title", "path", "date", "score", "snippet"}


def test_cli_bad_filter_exits_2_and_writes_nothing_outside_the_git_dir(shelf: Project) -> None:
    before = sorted(os.listdir(shelf.root))
    result = run_cli(shelf.root, "search", "status:done")
    assert result.returncode == 2
    assert "status:done is not a status" in result.stderr
    assert sorted(os.listdir(shelf.root)) == before


def test_an_index_whose_build_fails_is_not_put_in_place(
    shelf: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = library._prepare
    calls: list[str] = []

    def failing(path: object, key: str, names: object) -> object:
        calls.append(key)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, key, names)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "_prepare", failing)
    with pytest.raises(KeyboardInterrupt):
        search(shelf, "failure")
    assert not index_path(shelf.root).exists()
    assert list(index_path(shelf.root).parent.glob(".search-index*")) == []
    monkeypatch.setattr(library, "_prepare", real)
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]


def test_an_edit_of_the_same_size_within_the_same_second_is_found(shelf: Project) -> None:
    path = write(shelf, "2026-08-08-twin", sections={"summary": "The alpha cache."})
    assert ids(shelf, "alpha") == ["2026-08-08-twin"]  # just written: read again next time
    write(shelf, "2026-08-08-twin", sections={"summary": "The gamma cache."})  # same size
    assert ids(shelf, "alpha") == []
    assert ids(shelf, "gamma") == ["2026-08-08-twin"]
    age(shelf)  # (the stat of an edit within the same second of an old file, below)
    assert ids(shelf, "gamma") == ["2026-08-08-twin"]
    stat = path.stat()
    write(shelf, "2026-08-08-twin", sections={"summary": "The delta cache."})
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # size and mtime as they were
    assert ids(shelf, "delta") == ["2026-08-08-twin"]  # (its ctime changed)


def test_a_renamed_file_is_found_under_its_new_name_only(shelf: Project) -> None:
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]
    old = shelf.postmortem_dir / "2026" / "2026-05-10-search-latency.md"
    moved = shelf.postmortem_dir / "archive" / "search-latency.md"
    moved.parent.mkdir()
    old.rename(moved)
    found = search(shelf, "halved").results.hits
    assert [hit.path for hit in found] == ["postmortems/archive/search-latency.md"]


def test_a_search_of_unchanged_files_writes_nothing(shelf: Project) -> None:
    search(shelf, "failure")
    search(shelf, "failure")  # (the one after a new index keeps the files' digest)
    before = index_path(shelf.root).stat().st_mtime_ns
    assert ids(shelf, "halved") == ["2026-05-10-search-latency"]
    assert index_path(shelf.root).stat().st_mtime_ns == before


def test_the_files_searched_are_those_every_command_reads(shelf: Project, tmp_path: Path) -> None:
    top = shelf.postmortem_dir
    (top / ".hidden").mkdir()
    (top / ".hidden" / "x.md").write_text("hidden", encoding="utf-8")
    (top / "2026" / ".draft.md").write_text("hidden", encoding="utf-8")
    (top / "notes.txt").write_text("not a postmortem", encoding="utf-8")
    (top / "deep" / "er").mkdir(parents=True)
    (top / "deep" / "er" / "x.md").write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "y.md").write_text("y", encoding="utf-8")
    (top / "linked-dir").symlink_to(outside, target_is_directory=True)
    (top / "out.md").symlink_to(outside / "y.md")
    (top / "in.md").symlink_to(top / "deep" / "er" / "x.md")
    keys = [key for key, _ in postmortem_files(top, shelf.root)]
    assert keys == sorted(relative_key(path, shelf.root) for path in discover(top))
    (top / "loop.md").symlink_to(top / "loop.md")
    assert [key for key, _ in postmortem_files(top, shelf.root)] == keys
    assert "postmortems/in.md" in keys
    assert "postmortems/deep/er/x.md" in keys


def test_a_word_or_phrase_given_twice_is_searched_for_once() -> None:
    """A word typed 5,000 times was matched by FTS5 5,000 times over, and its snippet tried
    5,000 branches at each character: the search ran past a minute."""
    assert parse("leak " * 5000).clauses == parse("leak").clauses
    assert parse("Leak leaks leak").match_expression() == '"leak"*'
    assert parse("x OR y OR x z z").match_expression() == '("x" OR "y") AND "z"'
    assert parse("a NOT b NOT b").match_expression() == '("a") NOT ("b")'
    assert [term.text for term in parse("x OR y OR x " * 3000).terms] == ["x", "y"]


@pytest.mark.parametrize(
    "query", ["障害発生" * 251, '"' + "leak " * 1001 + '"', "api-" * 1001, "a NOT " + "障害" * 501]
)
def test_a_phrase_of_more_than_a_thousand_words_is_a_usage_error(
    shelf: Project, query: str
) -> None:
    """FTS5 follows a phrase word by word: 40,000 kanji, typed or pasted, took 28 s over a
    postmortem that held them."""
    result = run_cli(shelf.root, "search", query)
    assert result.returncode == 2, result.stdout
    assert "more than 1,000 words or characters" in result.stderr
    assert ids(shelf, "障害発生" * 250) == []  # (1,000: searched)


def test_a_query_of_too_many_different_words_is_a_usage_error(shelf: Project) -> None:
    """12,000 different words OR-ed took 17 s (each a branch of FTS5 and of the snippet)."""
    words = " OR ".join(f"w{number}" for number in range(1_001))
    with pytest.raises(QueryError, match="more than 1,000 different words and phrases"):
        parse(words)
    assert parse(words.rsplit(" OR ", 1)[0]).match_expression() is not None
    result = run_cli(shelf.root, "search", words)
    assert result.returncode == 2, result.stderr
    assert "more than 1,000 different words" in result.stderr


@pytest.mark.parametrize("gap", [100, 140, 160])
def test_a_snippet_keeps_the_rarer_term_at_the_end_of_its_window(gap: int) -> None:
    """Both words fit in the snippet's width; the text shown before the first one, and a
    cut at a space, pushed the second out of view (from a gap of 130 characters)."""
    from pmctl.domain.learning import snippet

    words = " ".join(["word"] * 25)
    text = f"{words} alpha {'x' * gap} omega {words} {words}"
    found = snippet.make(text, parse("alpha omega").terms)
    assert [found.text[start:end] for start, end in found.highlights] == ["alpha", "omega"]


def test_a_snippet_of_a_large_postmortem_with_the_word_everywhere_is_made_at_once() -> None:
    """A 900 KB postmortem holding the word 95,000 times: the window with the most
    different terms was counted afresh from each match (15,000 matches took 15 s)."""
    import signal

    from pmctl.domain.learning import snippet

    text = "## Summary\n\n" + "The error at the host was the cause of the leak. " * 19_000

    def too_slow(*_: object) -> None:
        raise TimeoutError("snippet.make took more than 20 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        found = snippet.make(text, parse("the leak").terms)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert found.text.startswith("Summary: The error at the host")
    assert len(found.highlights) > 10


def test_underlined_headings_are_sections_and_no_rules_in_a_snippet(repo: Project) -> None:
    """A pandoc or wiki export's setext headings: the summary is searched as the summary,
    and the snippet reads `Summary: ...`, not `Summary ------- ...`."""
    path = write(repo, "2026-01-01-pandoc", title="Cache")
    text = path.read_text(encoding="utf-8").replace("# Cache\n", "Cache\n=====\n")
    path.write_text(
        text
        + "\nSummary\n-------\n\nA leak in the cache.\n\nTimeline\n--------\n\n- 10:00 paged\n",
        encoding="utf-8",
    )
    write(repo, "2026-01-02-other", title="Other", sections={"timeline": "- 10:00 a leak"})
    (hit, _) = search(repo, "leak").results.hits
    assert hit.id == "2026-01-01-pandoc"
    assert hit.snippet.text.startswith("Summary: A leak in the cache. Timeline: 10:00 paged")


def test_character_references_and_escapes_are_searched_as_what_they_render(
    repo: Project,
) -> None:
    """Confluence and pandoc exports write `disk&nbsp;space` and `search\\_cluster`: the
    phrase "disk space" found nothing, `nbsp` found the file, and the snippet showed both."""
    write(
        repo,
        "2026-01-01-export",
        title="Export",
        sections={"summary": "The search\\_cluster ran out of disk&nbsp;space &amp; memory."},
    )
    assert ids(repo, '"disk space"') == ["2026-01-01-export"]
    assert ids(repo, "nbsp") == []
    (hit,) = search(repo, '"search_cluster"').results.hits
    assert "The search_cluster ran out of disk space & memory." in hit.snippet.text
