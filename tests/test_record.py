"""A postmortem's record (`domain.record`): made from the validated model, stored as plain
data, rebuilt to the same record, and read by report/stats/index/list as the model is."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

from pmctl import __version__
from pmctl.adapters import documents
from pmctl.domain import lifecycle, record
from pmctl.domain.config import Settings
from pmctl.domain.document import Invalid
from pmctl.domain.enums import Status, Verdict
from pmctl.domain.index import index_row
from pmctl.domain.metrics import compute
from pmctl.domain.model import Postmortem
from pmctl.domain.project import Project
from pmctl.domain.record import ActionRecord, PostmortemRecord
from pmctl.domain.report import Filters, build
from pmctl.services import corpus
from pmctl.ui import report_output
from tests.sample_postmortems import FRONT
from tests.site_corpus import EXAMPLES
from tests.test_report import action, write_postmortem

OLD = 1_700_000_000  # a fixed past mtime, outside the cache's "racy" window
TODAY = dt.date(2026, 11, 23)

IMPORTED = """\
---
schema: 2
id: 2026-09-30-imported-outage
title: Imported outage
status: reviewed
severity: SEV1
owner: dana
created: 2026-09-30
timestamps:
  started: 2026-09-30T23:10:00+09:00
durations: {detect_minutes: 12.5, resolve_minutes: 90}
origin: {source: ../wiki, path: outage.md, imported: 2026-11-02, status: reviewed}
reviews:
  - {reviewer: erin, date: 2026-10-03, verdict: changes-requested}
  - {reviewer: erin, date: 2026-10-05, verdict: approved}
action_items:
  - {id: AI-7, title: "Rate-limit | retries", owner: bob, priority: P1, type: process, due: 2026-10-20}
  - {id: AI-8, title: Document it, status: wontfix, tracker: OPS-12}
---
# Imported outage
"""


def models() -> list[Postmortem]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.rglob("*.md"))]
    texts += [f"---\n{FRONT}---\n# Checkout latency\n", IMPORTED]
    return [documents.load_text(Path("x.md"), text)[1] for text in texts]


def of(model: Postmortem) -> PostmortemRecord:
    plain = record.to_plain(model, review_from=lifecycle.review_from(model))
    return record.from_plain(marshal.loads(marshal.dumps(plain)))


@pytest.mark.parametrize("model", models(), ids=lambda model: model.id)
def test_a_record_has_the_models_fields_typed_as_the_model_has_them(model: Postmortem) -> None:
    made = of(model)
    fields = ("id", "title", "status", "severity", "owner", "created")
    assert [getattr(made, name) for name in fields] == [getattr(model, name) for name in fields]
    assert made.services == tuple(model.services)
    assert made.timestamps == tuple(model.timestamps.model_dump().values())
    assert made.durations == tuple(model.durations.model_dump().values())
    assert [item._asdict() for item in made.action_items] == [
        item.model_dump() for item in model.action_items
    ]
    assert [review.verdict for review in made.reviews] == [r.verdict for r in model.reviews]
    assert made.review_from == lifecycle.review_from(model)
    # Members and dates, not the strings and numbers they were stored as (which compare equal).
    assert type(made.status) is Status
    assert type(made.created) is dt.date
    for item, original in zip(made.action_items, model.action_items, strict=True):
        assert [type(value) for value in item] == [
            type(getattr(original, name)) for name in ActionRecord._fields
        ]
    assert all(type(review.verdict) is Verdict for review in made.reviews)


@pytest.mark.parametrize("spec", ["3d", "5bd", "0bd", "12bd"])
def test_a_records_review_deadline_is_the_models(spec: str) -> None:
    every = models()
    settings = Settings(review_deadlines={model.severity: spec for model in every})
    for model in every:
        deadline = lifecycle.review_deadline(model, settings)
        assert deadline is not None
        assert lifecycle.review_deadline(of(model), settings) == deadline


def test_report_stats_and_index_read_a_record_as_the_model() -> None:
    every = models()
    records = [of(model) for model in every]
    settings = Settings(review_deadlines={model.severity: "5bd" for model in every})
    for filters in (Filters(), Filters(statuses=frozenset())):
        from_models = build(((m.id, m) for m in every), today=TODAY, filters=filters)
        from_records = build(((r.id, r) for r in records), today=TODAY, filters=filters)
        assert report_output.to_json(from_records) == report_output.to_json(from_models)
    assert compute(records, [], settings=settings, today=TODAY) == compute(
        every, [], settings=settings, today=TODAY
    )
    assert [index_row(r.id, r) for r in records] == [index_row(m.id, m) for m in every]


def populate(project: Project, count: int) -> list[Path]:
    paths = [
        write_postmortem(project, f"2026-10-{n % 28 + 1:02d}-incident-{n}", actions=[action(1)])
        for n in range(count)
    ]
    broken = project.postmortem_dir / "2026" / "2026-10-01-broken.md"
    broken.write_text("---\nschema: 1\nid: x\n---\n", encoding="utf-8")
    for path in [*paths, broken]:
        os.utime(path, (OLD, OLD))
    return paths


def read(project: Project) -> tuple[list[tuple[str, PostmortemRecord]], list[str]]:
    invalid: list[Invalid] = []
    valid = [
        (path.name, made)
        for path, made in corpus.records(project.postmortem_dir, root=project.root, invalid=invalid)
    ]
    return valid, [item.location for item in invalid]


def record_cache(root: Path) -> Mapping[str, object]:
    from pmctl.adapters.cache import open_cache

    return open_cache(root, corpus.RECORD_CACHE, (__version__, record.FORMAT)).entries


def test_records_cold_in_parallel_warm_and_uncached_agree(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = populate(repo, 30)
    monkeypatch.setattr(corpus, "PARALLEL_FROM", 2)
    cold = read(repo)
    assert len(cold[0]) == 30
    assert len(cold[1]) == 1
    # Only valid postmortems have a record: the broken file is read again on every run.
    assert sorted(record_cache(repo.root)) == sorted(
        path.relative_to(repo.root).as_posix() for path in paths
    )
    assert read(repo) == cold
    monkeypatch.setattr(corpus, "PARALLEL_FROM", 1_000)
    uncached = [(path.name, made) for path, made in corpus.records(repo.postmortem_dir, invalid=[])]
    assert uncached == cold[0]
    assert [made for _, made in cold[0]] == [
        of(model) for _, model in corpus.load_all(repo.postmortem_dir).postmortems
    ]


def test_a_changed_file_gets_a_new_record(repo: Project) -> None:
    paths = populate(repo, 3)
    read(repo)
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("owner: alice", "owner: bob-the-builder"), encoding="utf-8")
    owners = {name: made.owner for name, made in read(repo)[0]}
    assert owners[paths[1].name] == "bob-the-builder"
    paths[1].write_text("---\nschema: 1\n---\n", encoding="utf-8")
    assert len(read(repo)[1]) == 2


def test_a_cache_entry_that_is_not_a_record_is_read_again(repo: Project) -> None:
    from pmctl.adapters.cache import open_cache

    paths = populate(repo, 3)
    expected = read(repo)
    cache = open_cache(repo.root, corpus.RECORD_CACHE, (__version__, record.FORMAT))
    key = paths[1].relative_to(repo.root).as_posix()
    stat, _ = cache.entries[key]
    cache.entries[key] = (stat, marshal.dumps(("an", "older", "layout")))
    cache.changed = True
    cache.save()
    assert read(repo) == expected


def test_list_and_report_read_records(repo: Project) -> None:
    from pmctl.services.listing import list_postmortems
    from pmctl.services.report import build_report

    populate(repo, 3)
    listing = list_postmortems(repo, today=TODAY)
    assert all(isinstance(row.postmortem, PostmortemRecord) for row in listing.rows)
    assert len(listing.rows) == 3
    assert len(listing.invalid) == 1
    report = build_report(repo, today=TODAY).report
    assert json.loads(report_output.to_json(report))["items"]
