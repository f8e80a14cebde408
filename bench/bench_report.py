"""`pmctl report`, `stats`, `index`, `list` and `export` on realistic postmortems, beside the floor and
the naive baseline (same run), cold and warm, with peak memory.

Budgets (2-core reference machine, 10,000 realistic postmortems, medians): cold <= 1.5 s,
warm <= 0.5 s; peak memory of `report`/`stats` <= 150 MB at 10,000 and <= 600 MB at 50,000.
The project gets a git history of transition commits (bench/gen_history.py), which `stats`
reads. "Cold" deletes the record and model caches before each run (the files stay in the
page cache: cold means pmctl parses every document); "warm" runs with the cache of the
previous run. `--compare PMCTL` times another pmctl (e.g. main's) in the same round-robin,
its rows marked "(compared)".

    .venv/bin/python bench/bench_report.py [--count 10000] [--commits 10000] [--runs 5]
        [--compare /work/main/.venv/bin/pmctl]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PMCTL, baselines, environment, load_average, make_project, measure, print_table

COMMANDS = {
    "report": ["report"],
    "report --format json": ["report", "--format", "json"],
    "report --overdue --group-by owner": ["report", "--overdue", "--group-by", "owner"],
    "stats": ["stats"],
    "stats --format json": ["stats", "--format", "json"],
    "index --check": ["index", "--check"],
    "list": ["list"],
    "list --format json": ["list", "--format", "json"],
    "export": ["export"],
    "export --table action-items": ["export", "--table", "action-items"],
}
BUDGETED = frozenset(COMMANDS) - {"export", "export --table action-items"}
"""`export` has no time budget (DESIGN.md §8 and bench/README.md give none): shown for its peak
memory and for comparison."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shape", default="realistic", choices=("realistic", "example", "small"))
    parser.add_argument("--compare", metavar="PMCTL", help="another pmctl to time alongside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        env = environment(root)
        make_project(root, args.count, shape=args.shape)
        # In a child process: the history is built from every file's text in memory (~250 MB
        # at 10,000), and a child forked from a process that big reports its peak as its own.
        made = history(root, args.commits)
        caches = [root / ".git" / "pmctl" / name for name in ("model-cache", "record-cache")]

        def cold() -> None:
            for cache in caches:
                cache.unlink(missing_ok=True)

        def warm(pmctl: str) -> Callable[[], None]:
            """Both caches made before a warm run: the last cold run (`export`) makes only
            the model cache, so the first warm row (`report`) built the record cache and was
            timed as a cold run (3.6 s, 0.90x the floor, against 1.0-1.7 s warm)."""

            def prime() -> None:
                if not all(cache.exists() for cache in caches):
                    for argv in (["report"], ["export"]):
                        subprocess.run([pmctl, *argv], cwd=root, env=env, check=True,
                                       capture_output=True)  # fmt: skip

            return prime

        at_budget = args.count == 10_000  # the budgets are for 10,000 postmortems
        # Each pmctl's cold runs come before its warm runs, in every round.
        commands: dict[str, tuple[Sequence[str], Callable[[], None] | None, float | None]] = {
            **baselines("postmortems")
        }
        for pmctl, label in [(args.compare, " (compared)"), (PMCTL, "")]:
            if pmctl is None:
                continue
            for name, argv in COMMANDS.items():
                budget = 1.5 if at_budget and not label and name in BUDGETED else None
                commands[f"pmctl {name}, cold{label}"] = ([pmctl, *argv], cold, budget)
            for name, argv in COMMANDS.items():
                budget = 0.5 if at_budget and not label and name in BUDGETED else None
                commands[f"pmctl {name}, warm{label}"] = ([pmctl, *argv], warm(pmctl), budget)
        print(f"{args.count} {args.shape} postmortems, {made} transition commits")
        print(f"load average before: {load_average()}")
        rows = measure(commands, root, runs=args.runs, env=env)
    print_table(f"median of {args.runs} runs", rows)
    print(f"load average after: {load_average()}")


def history(root: Path, commits: int) -> int:
    """bench/gen_history.py run on `root`; the number of transition commits it wrote."""
    script = Path(__file__).resolve().parent / "gen_history.py"
    output = subprocess.run(
        [sys.executable, str(script), str(root), "--commits", str(commits)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.split()[1])


if __name__ == "__main__":
    main()
