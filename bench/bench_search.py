"""Wall time and peak memory of `pmctl search` on realistic postmortems, first and later.

Budgets (bench/README.md; 10,000 realistic postmortems, the 2-core reference machine): the first
search (no index: it builds one) <= 2 s, later searches <= 0.3 s, memory <= 200 MB. The
corpus is bench/gen_corpus.py's realistic one (the size and shape of the reference example,
40% Japanese). Printed in the same run, beside them:

- the floor: reading, splitting, parsing and validating every file in one process, which
  any first search has to do before it indexes anything;
- the CPU seconds of each phase of building the index, in one process: reading, splitting
  and parsing the YAML; validating; cutting the body into sections and gathering the
  metadata; writing each kana and kanji as a token; FTS5's inserts; its final merge;
- `pmctl related` and `pmctl trends`, which read the same index;
- `python -c "import typer"`, below which no pmctl command can start, as the yardstick of
  the later searches: it took as long as `pmctl --help` (75 ms on an idle machine) when the
  0.3 s budget was set, so the budget is 4x it. It is run just before each later search, and
  the ratio given is the median of those pairs (the shared machine's speed drifts within a
  run; a ratio of medians taken minutes apart swung by a half). Until the sixth pass the
  yardstick was `pmctl --help` itself, which a faster start-up of pmctl made shorter too;
- the CPU seconds of each, less sensitive to the load than wall time.

Peak memory is the largest maximum RSS of one pmctl process (`resource`). The machine is
shared: the load average before and after is printed; compare the medians with it in mind.

`--against PMCTL` times another pmctl's searches too (main's: `/work/main/.venv/bin/pmctl`),
on a copy of the corpus (each keeps its own index), interleaved with this one's in every run,
with the same floor and yardstick.

    .venv/bin/python bench/bench_search.py [--count 10000] [--runs 5] [--against PMCTL]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # time pmctl as installed: with bytecode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import pmctl, settle
from gen_corpus import generate

QUERIES = (
    # Each finds hundreds of postmortems, so that a later search shows ten snippets (checked
    # in `_one_run`: until this pass the English query, "cascading failure", found none).
    ("English words", ["search", "retry", "storm"]),
    ("Japanese word", ["search", "障害"]),
    ("phrase and filters", ["search", '"connection pool"', "service:checkout", "date:2025"]),
)
FIRST_BUDGET, LATER_BUDGET, MEMORY_BUDGET_MB = 2.0, 0.3, 200
YARDSTICK = [sys.executable, "-c", "import typer"]

FLOOR = """
import sys
from pathlib import Path
from pmctl.adapters import discovery, documents
from pmctl.domain.model import Postmortem
valid = 0
for path in discovery.discover(Path(sys.argv[1])):
    data = documents.data_to_validate(documents.read(path))
    if data is not None:
        Postmortem.model_validate(data)
        valid += 1
print(valid)
"""

PHASES = """
import json, sys, time
from pathlib import Path
from pmctl.adapters import discovery, documents
from pmctl.adapters.cache import stat_key
from pmctl.adapters.search_index import Entry, open_index
from pmctl.domain.learning import indexing
from pmctl.domain.model import Postmortem
from pmctl.domain.report import incident_date
from pmctl.domain.sections import section_names
spent = dict.fromkeys(("read, split, YAML", "validate", "sections, metadata", "a token per kana/kanji",
                       "FTS5 inserts", "FTS5 merge"), 0.0)
real = indexing.index_text
def index_text(text):
    start = time.process_time()
    try:
        return real(text)
    finally:
        spent["a token per kana/kanji"] += time.process_time() - start
indexing.index_text = index_text
names = section_names({})
entries = []
for path in discovery.discover(Path(sys.argv[1]) / "postmortems"):
    start = time.process_time()
    document, stat = documents.read_with_stat(path)
    data = documents.data_to_validate(document)
    middle = time.process_time()
    model = Postmortem.model_validate(data)
    end = time.process_time()
    spent["read, split, YAML"] += middle - start
    spent["validate"] += end - middle
    entries.append(Entry(key=str(path), stat=stat_key(stat), id=model.id, title=model.title,
        status=model.status.value, severity=model.severity, owner=model.owner,
        language=model.language.value, date=incident_date(model).isoformat(),
        services=tuple(model.services), tags=tuple(model.tags),
        texts=(index_text(model.title), *indexing.body_columns(document.body, document.body_line,
        names), indexing.meta_text(model))))
    spent["sections, metadata"] += time.process_time() - end
spent["sections, metadata"] -= spent["a token per kana/kanji"]
index = open_index(Path(sys.argv[1]), version="bench", rebuild=True)
start = time.process_time()
with index.updating():
    index.put(entries)
middle = time.process_time()
index.close()
spent["FTS5 inserts"] = middle - start
spent["FTS5 merge"] = time.process_time() - middle
print(json.dumps(spent))
"""


CPU: dict[str, list[float]] = {}
"""Command name -> CPU seconds (user + system, with the worker it forks) of each run: less
sensitive than wall time to the other work of a shared machine."""


def run(command: list[str], cwd: Path, label: str) -> tuple[float, float, str]:
    """Wall seconds, the max RSS in MB of this one process, and its standard output; its
    CPU seconds are kept in `CPU[label]`."""
    settle()
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        took = time.perf_counter() - start
        CPU.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{command} failed with exit code {process.returncode}")
        output.seek(0)
        return took, usage.ru_maxrss / 1024, output.read().decode("utf-8")


def median(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s  min {min(values):.2f} s"


@dataclass
class Timings:
    """Every figure of the runs: wall seconds, and ratios pair by pair (a search over its
    yardstick timed beside it), of this pmctl and of the other (`--against`)."""

    floors: list[float] = field(default_factory=list)
    yardsticks: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    later: dict[str, list[float]] = field(default_factory=dict)
    ratios: dict[str, list[float]] = field(default_factory=dict)
    phases: dict[str, list[float]] = field(default_factory=dict)
    other_first: list[float] = field(default_factory=list)
    other_later: dict[str, list[float]] = field(default_factory=dict)
    other_ratios: dict[str, list[float]] = field(default_factory=dict)
    peak: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", metavar="PMCTL", help="another pmctl to time beside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        root.mkdir()
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
        generate(root / "postmortems", args.count, seed=0, shape="realistic")
        size = sum(path.stat().st_size for path in (root / "postmortems").rglob("*.md"))
        print(
            f"{args.count} realistic postmortems, {size / args.count / 1024:.1f} KB each\n"
            f"load average before: {_load()}"
        )
        other_root = Path(temp) / "other"
        if args.against:  # a copy: each pmctl keeps its own index in its .git
            shutil.copytree(root, other_root, symlinks=True)
        run([sys.executable, "-c", FLOOR, str(root / "postmortems")], root, "warm-up")
        timings = Timings()
        for _ in range(args.runs):
            _one_run(root, timings)
            if args.against:
                _time_other(args.against, other_root, timings)
        others = {
            "related": [pmctl(), "related", _an_id(root)],
            "trends": [pmctl(), "trends", "--today", "2026-11-23"],
        }
        extra = {
            name: [run(command, root, name)[0] for _ in range(args.runs)]
            for name, command in others.items()
        }
        _report(timings, args.against)
        for name, values in extra.items():
            print(f"  pmctl {name:38} {median(values)}")
        _details(timings.peak, root / ".git" / "pmctl" / "search-index.sqlite3", timings.phases)
        print(f"load average after: {_load()}")


def _one_run(root: Path, timings: Timings) -> None:
    """The floor, the phases, a first search (the index removed) and each later search, each
    later one just after the yardstick (`import typer`)."""
    python = sys.executable
    timings.floors.append(run([python, "-c", FLOOR, str(root / "postmortems")], root, "floor")[0])
    _, _, spent = run([python, "-c", PHASES, str(root)], root, "phases")
    for name, seconds in json.loads(spent).items():
        timings.phases.setdefault(name, []).append(seconds)
    (root / ".git" / "pmctl" / "search-index.sqlite3").unlink(missing_ok=True)
    took, memory, _ = run([pmctl(), *QUERIES[0][1]], root, "search, first")
    timings.first.append(took)
    timings.ratios.setdefault("first search / floor", []).append(took / timings.floors[-1])
    timings.peak = max(timings.peak, memory)
    for name, command in QUERIES:
        timings.yardsticks.append(run(YARDSTICK, root, "import typer")[0])
        took, memory, shown = run([pmctl(), *command], root, f"search, later: {name}")
        if "postmortems match" not in shown:
            raise SystemExit(f"{command} found fewer than ten postmortems: a query to change")
        timings.later.setdefault(name, []).append(took)
        label = f"later: {name} / import typer"
        timings.ratios.setdefault(label, []).append(took / timings.yardsticks[-1])
        timings.peak = max(timings.peak, memory)


def _report(timings: Timings, against: str | None) -> None:
    print(f"  python -c 'import typer' (the yardstick)     {median(timings.yardsticks)}")
    print(f"  floor (read + parse + validate, 1 process)   {median(timings.floors)}")
    first = statistics.median(timings.first)
    print(
        f"  pmctl search, first (builds the index)       {median(timings.first)}"
        f"  (budget {FIRST_BUDGET} s: {_verdict(first <= FIRST_BUDGET)})"
    )
    for name, values in timings.later.items():
        print(
            f"  pmctl search, later: {name:23} {median(values)}"
            f"  (budget {LATER_BUDGET} s: {_verdict(statistics.median(values) <= LATER_BUDGET)})"
        )
    print("  ratios (median of the pairs: each search over its yardstick timed beside it):")
    for label, mine in timings.ratios.items():
        theirs = timings.other_ratios.get(label)
        beside = f"   against: {statistics.median(theirs):.2f}" if theirs else ""
        print(f"    {label:40} {statistics.median(mine):.2f}{beside}")
    if against:
        print(f"  against {against}:")
        print(f"    pmctl search, first                      {median(timings.other_first)}")
        for name, values in timings.other_later.items():
            print(f"    pmctl search, later: {name:19} {median(values)}")


def _time_other(pmctl_path: str, root: Path, timings: Timings) -> None:
    """The other pmctl's first search (its index removed) and later ones, on its copy, with
    the floor of this run and the yardstick beside each later one."""
    (root / ".git" / "pmctl" / "search-index.sqlite3").unlink(missing_ok=True)
    took = run([pmctl_path, *QUERIES[0][1]], root, "against: search, first")[0]
    timings.other_first.append(took)
    ratios = timings.other_ratios
    ratios.setdefault("first search / floor", []).append(took / timings.floors[-1])
    for name, command in QUERIES:
        yardstick = run(YARDSTICK, root, "against: import typer")[0]
        took = run([pmctl_path, *command], root, f"against: search, later: {name}")[0]
        timings.other_later.setdefault(name, []).append(took)
        ratios.setdefault(f"later: {name} / import typer", []).append(took / yardstick)


def _details(peak: float, index: Path, phases: dict[str, list[float]]) -> None:
    """Peak memory, the index's size, CPU by phase of building it and CPU of each command."""
    print(
        f"  peak memory of a search: {peak:.0f} MB"
        f"  (budget {MEMORY_BUDGET_MB} MB: {_verdict(peak <= MEMORY_BUDGET_MB)})"
    )
    print(f"  index size: {index.stat().st_size / 1e6:.0f} MB")
    print("  CPU seconds of building the index, by phase (one process), median:")
    for name, values in phases.items():
        print(f"    {name:40} {statistics.median(values):.2f} s")
    totals = [sum(run) for run in zip(*phases.values(), strict=True)]
    print(f"    {'all':40} {statistics.median(totals):.2f} s")
    print("  CPU seconds (user + system), median:")
    for name, values in CPU.items():
        if name not in ("warm-up", "phases"):
            print(f"    {name:40} {statistics.median(values):.2f} s")


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def _an_id(root: Path) -> str:
    """The id of a postmortem from the middle of the corpus."""
    paths = sorted((root / "postmortems").rglob("*.md"))
    return paths[len(paths) // 2].stem


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
