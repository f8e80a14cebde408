"""Wall time of `pmctl site build` on 10,000 realistic postmortems: cold, and after one change.

Budgets (DESIGN §8, on the 2-core reference machine): cold <= 20 s, rebuild after one
changed postmortem <= 2 s. Before each cold build the floor (read, split, parse and validate
every postmortem in one process: bench/harness.py) is timed, for the ratio. The corpus is bench/gen_corpus.py's realistic one (the size
and shape of the bundled example, 40% Japanese), committed to git so that
the statistics page reads a real history. "Cold" deletes the output, the site's build state
and the model cache first (the files stay in the page cache: cold means nothing is reused).
"After one change" appends a paragraph to one postmortem (a different one each run). The
machine is shared: compare medians with the load average in mind.

    .venv/bin/python bench/bench_site.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from bench_cli import pmctl, settle
from gen_corpus import generate

BUDGET = {"cold": 20.0, "one change": 2.0, "nothing changed": 2.0}


def build(root: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall time of one `pmctl site build`; its first line, with the CPU seconds it used
    (with its children: less sensitive than wall time to the load of a shared machine)."""
    settle()
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [pmctl(), "site", "build"], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    said = done.stdout.strip().splitlines()[0].removeprefix("✓ ")
    return took, f"{_children_cpu() - before:.1f} s CPU; {said}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_cold(root: Path) -> None:
    shutil.rmtree(root / "_site", ignore_errors=True)
    pmctl_dir = root / ".git" / "pmctl"
    for path in pmctl_dir.glob("site-*"):
        shutil.rmtree(path)
    (pmctl_dir / "model-cache").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        env = harness.environment(root)
        root.mkdir()
        (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
        paths = generate(root / "postmortems", args.count, seed=0)
        size = sum(path.stat().st_size for path in paths) / len(paths)
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "corpus"]):
            subprocess.run(["git", *command], cwd=root, env=env, check=True)
        print(f"{args.count} postmortems of {size / 1024:.1f} KB on average, {args.runs} runs each")
        print(f"load average before: {harness.load_average()}")
        build(root, env)  # warm the page cache and bytecode
        times: dict[str, list[float]] = {name: [] for name in BUDGET}
        floors: list[float] = []
        floor = [sys.executable, "-c", harness.FLOOR, str(root / "postmortems")]
        for run in range(args.runs):
            floors.append(harness.run(floor, root, env)[0])
            print(f"  floor (read+split+parse+validate, one process): {floors[-1]:.2f} s")
            make_cold(root)
            took, said = build(root, env)
            times["cold"].append(took)
            print(f"  cold: {took:.2f} s = {took / floors[-1]:.1f}x the floor  ({said})")
            took, said = build(root, env)
            times["nothing changed"].append(took)
            print(f"  nothing changed: {took:.2f} s  ({said})")
            changed = paths[run * 997 % len(paths)]
            with changed.open("a", encoding="utf-8") as stream:
                stream.write(f"\nA paragraph added in run {run}.\n")
            took, said = build(root, env)
            times["one change"].append(took)
            print(f"  one change: {took:.2f} s  ({said})")
        floor_median = statistics.median(floors)
        print(f"floor (read+split+parse+validate), median {floor_median:.2f} s")
        for name, runs in times.items():
            median = statistics.median(runs)
            verdict = "ok" if median <= BUDGET[name] else "OVER BUDGET"
            print(
                f"pmctl site build, {name:16} median {median:.2f} s  min {min(runs):.2f} s"
                f"  = {median / floor_median:.2f}x the floor  (budget {BUDGET[name]} s: {verdict})"
            )
        print(f"load average after: {harness.load_average()}")


if __name__ == "__main__":
    main()
