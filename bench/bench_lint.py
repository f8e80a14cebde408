"""`pmctl lint` on realistic postmortems, beside the floor and the naive baseline (same run).

Budgets (2-core reference machine, 10,000 realistic postmortems, medians): cold <= 1.5 s,
warm (cache) <= 0.3 s, 50,000 <= 5.5x the 10,000 figure, peak memory <= 100 MB; one file
(what pre-commit runs) <= 120 ms; a terminal showing 10,000 findings adds <= 0.3 s over the
same output piped. See bench/README.md for the figures and how to read them.

    .venv/bin/python bench/bench_lint.py [--count 10000] [--runs 5] [--shape realistic]
        [--against /work/main/.venv/bin/pmctl]

`--against` times another pmctl (main's) on the same corpus, interleaved with this one, so
that before and after share the run's load. A second table gives each command's CPU time
(user + system, with its worker processes): on the shared machine the wall time of a run on
two processes grows with the load average much more than its CPU time, which says what the
command itself costs. The one-file and `--help` rows are also given
beside `python -c pass` and `python -c "import pydantic"`, the references of their budgets,
and beside what typer and a pydantic adapter cost to load (`import typer` and one
`TypeAdapter`), below which no pmctl command that takes a parameter can run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    CPU,
    PMCTL,
    baselines,
    environment,
    load_average,
    make_project,
    measure,
    print_table,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shape", default="realistic", choices=("realistic", "example", "small"))
    parser.add_argument("--against", metavar="PMCTL", help="another pmctl to time alongside")
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
            "python -c pass": ([sys.executable, "-c", "pass"], None, None),
            "python -c 'import pydantic'": ([sys.executable, "-c", "import pydantic"], None, None),
            # What typer 0.29 loads for any command with a parameter (its parameters are
            # pydantic adapters): the floor of `lint ONE.md` in this stack, 565 M instructions
            # against the budget's 2.2x `import pydantic`, 559 M (bench/README.md).
            "stack: import typer + TypeAdapter": (
                [
                    sys.executable,
                    "-c",
                    "import typer; from pydantic import TypeAdapter; TypeAdapter(str)",
                ],
                None,
                None,
            ),
        }
        if args.against:  # after this pmctl's warm run: its cold run rewrites the cache
            other = args.against
            commands |= {
                "against: lint, cold": (
                    [other, "lint"],
                    lambda: cache.unlink(missing_ok=True),
                    None,
                ),
                "against: lint, warm (cache)": ([other, "lint"], None, None),
                "against: lint ONE.md": ([other, "lint", one], None, None),
                "against: lint --hook ONE.md": ([other, "lint", "--hook", one], None, None),
                "against: --help": ([other, "--help"], None, None),
            }
        rows = measure(commands, root, runs=args.runs, env=env)
    print_table(f"median of {args.runs} runs", rows)
    _print_cpu(commands, args.runs)
    print(f"load average after: {load_average()}")


def _print_cpu(commands: Mapping[str, object], runs: int) -> None:
    """Median CPU seconds of each command's timed runs (the warm-up run left out), and the
    ratio to the floor's."""
    count = len(commands)
    medians = {
        name: statistics.median(CPU[count + index :: count]) for index, name in enumerate(commands)
    }
    floor = next(value for name, value in medians.items() if name.startswith("floor"))
    print(f"\nCPU time (user + system, with child processes), median of {runs} runs")
    width = max(46, *map(len, medians))
    for name, value in medians.items():
        print(f"  {name:{width}} {value:7.3f}s {value / floor:7.2f}x floor")


if __name__ == "__main__":
    main()
