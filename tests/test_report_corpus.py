"""The corpus loader behind report/stats/index: same answers in parallel, cached or not."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

import pytest

from pmctl import __version__
from pmctl.adapters.cache import Cache, open_cache
from pmctl.domain.project import Project
from pmctl.services import corpus
from tests.test_report import action, write_postmortem

OLD = 1_700_000_000  # a fixed past mtime, outside the cache's "racy" window


def populate(project: Project, count: int) -> list[Path]:
    paths = [
        write_postmortem(project, f"2026-10-{day:02d}-incident-{n}", actions=[action(1)])
        for n in range(count)
        for day in [n % 28 + 1]
    ]
    broken = project.postmortem_dir / "2026" / "2026-10-01-broken.md"
    broken.write_text("---\nschema: 1\nid: x\n---\n", encoding="utf-8")
    for path in [*paths, broken]:
        os.utime(path, (OLD, OLD))
    return paths


def open_model_cache(root: Path) -> Cache[Any]:
    return open_cache(root, corpus.CACHE, (__version__,))


def summary(loaded: corpus.Corpus) -> tuple[list[tuple[str, str]], list[str]]:
    return (
        [(path.name, model.model_dump_json()) for path, model in loaded.postmortems],
        [invalid.location for invalid in loaded.invalid],
    )


def test_the_forked_child_gives_the_same_result(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(repo, 30)
    sequential = corpus.load_all(repo.postmortem_dir)
    monkeypatch.setattr(corpus, "PARALLEL_FROM", 2)
    parallel = corpus.load_all(repo.postmortem_dir)
    assert summary(parallel) == summary(sequential)
    assert len(parallel.postmortems) == 30
    assert len(parallel.invalid) == 1


def test_a_parallel_cold_load_fills_the_cache_and_a_warm_load_agrees(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(repo, 30)
    monkeypatch.setattr(corpus, "PARALLEL_FROM", 2)
    cold = corpus.load_all(repo.postmortem_dir, root=repo.root)
    # Every file whose front matter parses is cached, the broken one too (it is then
    # validated again, and fails again, on every run).
    assert len(open_model_cache(repo.root).entries) == 31
    warm = corpus.load_all(repo.postmortem_dir, root=repo.root)
    assert summary(warm) == summary(cold)


def test_cached_models_equal_parsed_ones_and_changes_are_seen(repo: Project) -> None:
    paths = populate(repo, 5)
    first = corpus.load_all(repo.postmortem_dir, root=repo.root)
    cache = open_model_cache(repo.root)
    broken = repo.postmortem_dir / "2026" / "2026-10-01-broken.md"  # (parses, so is cached)
    assert sorted(cache.entries) == sorted(
        p.relative_to(repo.root).as_posix() for p in [*paths, broken]
    )
    second = corpus.load_all(repo.postmortem_dir, root=repo.root)
    assert summary(second) == summary(first) == summary(corpus.load_all(repo.postmortem_dir))

    changed = paths[2]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("owner: alice", "owner: bob-the-builder"),
        encoding="utf-8",
    )
    third = dict(corpus.load_all(repo.postmortem_dir, root=repo.root).postmortems)
    assert third[changed].owner == "bob-the-builder"

    paths[0].unlink()
    corpus.load_all(repo.postmortem_dir, root=repo.root)
    cache = open_model_cache(repo.root)
    assert paths[0].relative_to(repo.root).as_posix() not in cache.entries


def test_a_corrupt_cache_is_ignored(repo: Project) -> None:
    populate(repo, 3)
    corpus.load_all(repo.postmortem_dir, root=repo.root)
    cache_file = repo.root / ".git" / "pmctl" / "model-cache"
    assert cache_file.exists()
    cache_file.write_bytes(b"\x00garbage")
    assert len(corpus.load_all(repo.postmortem_dir, root=repo.root).postmortems) == 3


@pytest.mark.parametrize("keep", [0, 0.5, 0.99])
def test_a_cache_cut_short_by_a_crash_is_ignored(repo: Project, keep: float) -> None:
    # The cache is written without fsync: after a crash it may be empty or truncated.
    populate(repo, 3)
    expected = summary(corpus.load_all(repo.postmortem_dir, root=repo.root))
    cache_file = repo.root / ".git" / "pmctl" / "model-cache"
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[: int(len(data) * keep)])
    assert summary(corpus.load_all(repo.postmortem_dir, root=repo.root)) == expected


def test_a_cache_entry_the_model_rejects_is_parsed_again(repo: Project) -> None:
    paths = populate(repo, 3)
    expected = summary(corpus.load_all(repo.postmortem_dir, root=repo.root))
    cache = open_model_cache(repo.root)
    key = paths[1].relative_to(repo.root).as_posix()
    stat, _ = cache.entries[key]
    cache.entries[key] = (stat, marshal.dumps({"schema": 1, "field_of_an_older_model": True}))
    cache.changed = True
    cache.save()
    assert summary(corpus.load_all(repo.postmortem_dir, root=repo.root)) == expected
