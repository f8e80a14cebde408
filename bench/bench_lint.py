"""`pmctl lint` on realistic postmortems, beside the floor and the naive baseline (same run).

Budgets (2-core reference machine, 10,000 realistic postmortems, medians): cold <= 1.5 s,
warm (cache) <= 0.3 s, 50,000 <= 5.5x the 10,000 figure, peak memory <= 100 MB; one file
(what pre-commit runs) <= 120 ms; a terminal showing 10,000 findings adds <= 0.3 s over the
same output piped. See bench/README.md for the figures and how to read them.

    .venv/bin/python bench/bench_lint.py [--count 10000] [--runs 5] [--shape realistic]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PMCTL, baselines, environment, load_average, make_project, measure, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shape", default="realistic", choices=("realistic", "example", "small"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "corpus"
        paths = make_project(root, args.count, shape=args.shape)
        env = environment(root)
        cache = root / ".git" / "pmctl" / "lint-cache"
        one = str(paths[len(paths) // 2].relative_to(root))
        size = sum(path.stat().st_size for path in paths) / len(paths)
        print(f"{args.count} {args.shape} postmortems, {size / 1024:.1f} KB on average")
        print(f"load average before: {load_average()}")
        at_budget = args.count == 10_000  # the budgets are for 10,000 postmortems
        commands = {
            **baselines("postmortems"),
            "pmctl lint, cold": (
                [PMCTL, "lint"],
                lambda: cache.unlink(missing_ok=True),
                1.5 if at_budget else None,
            ),
            "pmctl lint, warm (cache)": ([PMCTL, "lint"], None, 0.3 if at_budget else None),
            "pmctl lint, warm, on a terminal (rich)": (
                ["env", "FORCE_COLOR=1", PMCTL, "lint"],
                None,
                None,
            ),
            "pmctl lint ONE.md (pre-commit)": ([PMCTL, "lint", one], None, 0.12),
            "pmctl lint --hook ONE.md": ([PMCTL, "lint", "--hook", one], None, 0.12),
            "pmctl --help": ([PMCTL, "--help"], None, 0.08),
        }
        rows = measure(commands, root, runs=args.runs, env=env)
    print_table(f"median of {args.runs} runs", rows)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
