"""Wall time of `pmctl report` and `pmctl stats` on 10,000 postmortems (median of several runs).

Budgets (issue 5, on the 2-core reference machine): `pmctl report` and `pmctl stats` on
10,000 postmortems <= 1.5 s each; `stats` over a history of 10,000 transition commits <= 3 s.
The project is made with the lint benchmark's generator (bench/gen_corpus.py) and given a
git history of transition commits by bench/gen_history.py; `stats` here reads both. Each
command is timed cold (no model cache: every document parsed) and warm (model cache from
the previous run). The machine is shared: compare medians with the load average in mind.

    .venv/bin/python bench/bench_report.py [--count 10000] [--commits 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import pmctl, settle
from gen_corpus import generate
from gen_history import generate as generate_history

COMMANDS = {
    "report (terminal table)": ["report", "--today", "2026-11-23"],
    "report --format json": ["report", "--today", "2026-11-23", "--format", "json"],
    "report --overdue --group-by owner": [
        "report",
        "--today",
        "2026-11-23",
        "--overdue",
        "--group-by",
        "owner",
    ],
    "stats (with git history)": ["stats", "--today", "2026-11-23"],
    "stats --format json": ["stats", "--today", "2026-11-23", "--format", "json"],
}
BUDGET = {"report": 1.5, "stats": 1.5}


def timed(command: list[str], cwd: Path, env: dict[str, str], *, cold: bool) -> float:
    """Wall time of one run; `cold` deletes the model cache first (the files stay in the
    page cache: "cold" means pmctl parses every document)."""
    if cold:
        (cwd / ".git" / "pmctl" / "model-cache").unlink(missing_ok=True)
    settle()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        config = Path(temp) / "gitconfig"
        config.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n", encoding="utf-8")
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": str(config),
            "GIT_CONFIG_NOSYSTEM": "1",
            "COLUMNS": "160",
        }
        os.environ.update(env)
        root.mkdir()
        (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
        generate(root / "postmortems", args.count, seed=0)
        made = generate_history(root, args.commits)
        print(f"{args.count} postmortems, {made} transition commits, {args.runs} runs each")
        print(f"load average before: {_load_average()}")
        for command in COMMANDS.values():
            timed([pmctl(), *command], root, env, cold=False)  # warm page and bytecode caches
        # Round-robin: a slow spell of the shared machine falls on every command a little,
        # not on all the runs of one.
        times: dict[tuple[str, bool], list[float]] = {}
        for _ in range(args.runs):
            for cold in (True, False):
                for name, command in COMMANDS.items():
                    took = timed([pmctl(), *command], root, env, cold=cold)
                    times.setdefault((name, cold), []).append(took)
        for (name, cold), runs in times.items():
            budget = BUDGET[COMMANDS[name][0]]
            median = statistics.median(runs)
            verdict = "ok" if median <= budget else "OVER BUDGET"
            print(
                f"  pmctl {name:34} {'cold' if cold else 'warm'}  median {median:.2f} s"
                f"  min {min(runs):.2f} s  (budget {budget} s: {verdict})"
            )
        print(f"load average after: {_load_average()}")


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine shows in the figures."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
