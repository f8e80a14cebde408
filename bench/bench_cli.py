"""Wall time of `pmctl --help` and `pmctl new` (median of several runs).

Budget (DESIGN §8, on the 2-core reference machine): `pmctl --help` <= 80 ms, set when
`python -c pass` took 12 ms (6.7x). Printed beside, from the same run: `python -c pass`, and
`import typer`, below which no typer command can start. `--against PMCTL` times another
pmctl's `--help` too (main's), interleaved with this one. Each figure is given as wall time
and as CPU time (user + system, the process and its children): on the shared machine the
wall time grows with the load average, the CPU time much less.

    .venv/bin/python bench/bench_cli.py [--runs 15] [--against /work/main/.venv/bin/pmctl]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Time pmctl as users run it, with compiled bytecode: this workplace's shells set
# PYTHONDONTWRITEBYTECODE, which would make every timed run compile pmctl again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pmctl() -> str:
    found = shutil.which(
        "pmctl", path=str(Path(__file__).resolve().parent.parent / ".venv" / "bin")
    )
    return found or "pmctl"


def settle() -> None:
    """Write back to disk what earlier steps left in memory (a generated corpus, the cache
    the previous run wrote), which the kernel would otherwise do during the next timed
    command, on one of the two cores it is measured on."""
    os.sync()


CPU: list[float] = []
"""The CPU seconds (user + system, with its children) of every run `timed` timed, in order."""


def children_cpu() -> float:
    """User + system seconds of every child process reaped so far (and their children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of `command`; its CPU seconds are appended to `CPU`."""
    settle()
    cpu = children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    CPU.append(children_cpu() - cpu)
    return elapsed


@contextlib.contextmanager
def initialised_repository() -> Iterator[tuple[Path, dict[str, str]]]:
    """A temporary `pmctl init`-ed repository and the environment (own git identity) to use in it."""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        config = root / "gitconfig"
        # No automatic gc: a detached `git gc --auto` after the 6,700th loose object would
        # run beside the next timed commands, and into the removal of this directory.
        config.write_text(
            "[user]\n\tname = Bench\n\temail = bench@example.com\n"
            "[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n",
            encoding="utf-8",
        )
        env = {**os.environ, "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
        repo = root / "repo"
        repo.mkdir()
        subprocess.run([pmctl(), "init"], cwd=repo, env=env, check=True, capture_output=True)
        yield repo, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--against", metavar="PMCTL", help="another pmctl to time alongside")
    args = parser.parse_args()
    python = str(Path(pmctl()).parent / "python")
    interleaved = {  # name -> (command, budget); interleaved, so that load drifts hit all alike
        "python -c pass": ([python, "-c", "pass"], "-"),
        "import typer": ([python, "-c", "import typer"], "-"),
        "pmctl --help": ([pmctl(), "--help"], "80 ms (6.7x pass)"),
    }
    if args.against:
        interleaved["against: --help"] = ([args.against, "--help"], "-")
    wall: dict[str, list[float]] = {name: [] for name in [*interleaved, "pmctl new"]}
    cpu: dict[str, list[float]] = {name: [] for name in wall}
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with initialised_repository() as (repo, env):
        for command, _ in interleaved.values():
            timed(command, repo, env)  # warm the bytecode cache
        for _ in range(args.runs):
            for name, (command, _) in interleaved.items():
                wall[name].append(timed(command, repo, env))
                cpu[name].append(CPU[-1])
        for n in range(args.runs):
            new = [pmctl(), "new", "--title", f"Bench incident {n}", "--severity", "SEV2"]
            wall["pmctl new"].append(timed([*new, "--owner", "bench", "--no-input"], repo, env))
            cpu["pmctl new"].append(CPU[-1])
    floor = statistics.median(wall["python -c pass"])
    floor_cpu = statistics.median(cpu["python -c pass"])
    print(
        f"{'command':<16}{'median ms':>10}{'min ms':>9}{'max ms':>9}{'x pass':>8}"
        f"{'CPU ms':>8}{'x pass':>8}  budget"
    )
    budgets = {name: budget for name, (_, budget) in interleaved.items()}
    for name, times in wall.items():
        used = statistics.median(cpu[name])
        print(
            f"{name:<16}{statistics.median(times) * 1000:>10.0f}{min(times) * 1000:>9.0f}"
            f"{max(times) * 1000:>9.0f}{statistics.median(times) / floor:>8.1f}"
            f"{used * 1000:>8.0f}{used / floor_cpu:>8.1f}  {budgets.get(name, '-')}"
        )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
