"""Wall time of `pmctl lint` on a generated corpus, against the naive baseline, same run.

Budgets (DESIGN §8, on the 2-core reference machine): cold lint of 10,000 postmortems
<= 1.5 s; again with nothing changed (cache) <= 0.4 s; one file (pre-commit) <= 250 ms.
The naive baseline is python-frontmatter (PyYAML) + pydantic validation of every file in one
process, with no rules at all. Each figure is the median of `--runs` runs of the real
`pmctl` executable.

    .venv/bin/python bench/bench_lint.py [--count 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Time pmctl as users run it, with compiled bytecode: this workplace's shells set
# PYTHONDONTWRITEBYTECODE, which would make every timed run compile pmctl again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import settle
from gen_corpus import generate

BIN = Path(sys.executable).parent

NAIVE = """
import sys
from pathlib import Path
import frontmatter
from pydantic import ValidationError
from pmctl.domain.model import Postmortem
valid = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    post = frontmatter.load(str(path))
    try:
        Postmortem.model_validate(post.metadata)
        valid += 1
    except ValidationError:
        pass
print(valid)
"""


def timed(command: list[str], cwd: Path) -> float:
    settle()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(runs: int, command: list[str], cwd: Path, *, reset: Path | None = None) -> float:
    """Median wall time; `reset` (the cache file) is removed before each run: cold runs."""
    times = []
    for _ in range(runs):
        if reset is not None and reset.exists():
            reset.unlink()
        times.append(timed(command, cwd))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pmctl = shutil.which("pmctl", path=str(BIN)) or "pmctl"
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "corpus"
        root.mkdir()
        (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        paths = generate(root / "postmortems", args.count, seed=0)
        # Files saved an hour ago, as in a real repository (fresh files are never cached).
        hour_ago = time.time() - 3600
        for path in paths:
            os.utime(path, (hour_ago, hour_ago))
        cache = root / ".git" / "pmctl" / "lint-cache"
        one = str(paths[len(paths) // 2].relative_to(root))
        naive = median_of(args.runs, [sys.executable, "-c", NAIVE, "postmortems"], root)
        cold = median_of(args.runs, [pmctl, "lint"], root, reset=cache)
        timed([pmctl, "lint"], root)  # fill the cache
        warm = median_of(args.runs, [pmctl, "lint"], root)
        single_cold = median_of(args.runs, [pmctl, "lint", "--no-cache", one], root)
        single_warm = median_of(args.runs, [pmctl, "lint", one], root)
        size = sum(path.stat().st_size for path in paths) / len(paths)

    print(f"{args.count} postmortems, {size / 1024:.1f} KB on average, median of {args.runs} runs")
    print(f"{'':34} {'wall':>8} {'budget':>8} {'naive/pmctl':>12}")
    for label, seconds, budget in (
        ("naive frontmatter + pydantic", naive, None),
        ("pmctl lint, cold", cold, 1.5),
        ("pmctl lint, warm (cache)", warm, 0.4),
        ("pmctl lint ONE.md, no cache", single_cold, 0.25),
        ("pmctl lint ONE.md, cache", single_warm, 0.25),
    ):
        shown = f"{budget:.2f} s" if budget else ""
        print(f"{label:34} {seconds:7.3f}s {shown:>8} {naive / seconds:11.1f}x")


if __name__ == "__main__":
    main()
