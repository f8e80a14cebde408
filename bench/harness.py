"""What every benchmark shares: a corpus project, timed runs with their peak memory, the floor
and the naive baseline measured in the same run, and one table format.

- The **floor** reads, splits, parses (yaml-rs, through pmctl's one reader) and validates
  (pydantic) every postmortem in one process, and does nothing else: no command can be
  faster than the work it must do at least.
- The **naive baseline** does the same with python-frontmatter (PyYAML) + pydantic: what a
  tool written without care for speed would take.

Each run is a separate process, timed from outside; its peak memory is the kernel's
`ru_maxrss` for that process (`os.wait4`). Runs are interleaved round-robin, so a slow
spell of the shared machine falls on every command a little, not on all runs of one.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate

# Time pmctl as users run it, with compiled bytecode: this workplace's shells set
# PYTHONDONTWRITEBYTECODE, which would make every timed run compile pmctl again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

BIN = Path(sys.executable).parent
PMCTL = str(BIN / "pmctl")
TODAY = "2026-11-23"

FLOOR = """
import sys
from pathlib import Path
from pmctl.adapters import discovery, documents
from pydantic import ValidationError
from pmctl.domain.model import Postmortem
valid = 0
for path in discovery.discover(Path(sys.argv[1])):
    data = documents.data_to_validate(documents.read(path))
    if data is None:
        continue
    try:
        Postmortem.model_validate(data)
        valid += 1
    except ValidationError:
        pass
print(valid)
"""

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


@dataclass
class Series:
    """The runs of one command: wall seconds and peak MiB of each."""

    name: str
    budget: float | None = None
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


CPU: list[float] = []
"""CPU seconds (user + system, with the children it waited for) of every `run`, in the order
they were made (`measure`: a warm-up round, then `runs` rounds of every command in turn)."""


def run(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall seconds, peak MiB) of one run of `command`, its CPU time kept in `CPU`; its
    output is discarded."""
    os.sync()  # write back what earlier steps left dirty, before the clock starts
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped by wait4 above: Popen must not wait for it again
    CPU.append(usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024


def measure(
    commands: dict[str, tuple[Sequence[str], Callable[[], None] | None, float | None]],
    cwd: Path,
    *,
    runs: int,
    env: dict[str, str] | None = None,
) -> list[Series]:
    """Each command (name -> (argv, a step to run before each run, budget)) `runs` times,
    round-robin, after one warm-up run of each."""
    series = {name: Series(name, budget) for name, (_, _, budget) in commands.items()}
    for argv, before, _ in commands.values():
        if before:
            before()
        run(argv, cwd, env)
    for _ in range(runs):
        for name, (argv, before, _) in commands.items():
            if before:
                before()
            wall, peak = run(argv, cwd, env)
            series[name].walls.append(wall)
            series[name].peaks.append(peak)
    return list(series.values())


def baselines(
    directory: str, budget: float | None = None
) -> dict[str, tuple[Sequence[str], None, None]]:
    """The floor and the naive baseline over the postmortems in `directory`."""
    return {
        "floor: read+split+parse+validate": ([sys.executable, "-c", FLOOR, directory], None, None),
        "naive: python-frontmatter+pydantic": (
            [sys.executable, "-c", NAIVE, directory],
            None,
            None,
        ),
    }


def print_table(title: str, rows: list[Series]) -> None:
    """Medians with min/max, the budget, the ratio to the floor and the naive baseline's
    ratio to the command, and the median peak memory."""
    floor = next((row.median for row in rows if row.name.startswith("floor")), None)
    naive = next((row.median for row in rows if row.name.startswith("naive")), None)
    print(f"\n{title}")
    # Linux carries a process's peak across fork and exec: no child can show less than this.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (peaks under this benchmark's own, {own:.0f} MiB, cannot be read: they show as it)")
    width = max(46, *(len(row.name) for row in rows))  # --compare names run long
    print(
        f"  {'':{width}} {'median':>8} {'min':>7} {'max':>7} {'budget':>7} "
        f"{'x floor':>8} {'naive/x':>8} {'peak MiB':>9}"
    )
    for row in rows:
        budget = f"{row.budget:.2f}" if row.budget else ""
        verdict = " OVER" if row.budget and row.median > row.budget else ""
        print(
            f"  {row.name:{width}} {row.median:7.3f}s {min(row.walls):6.3f}s {max(row.walls):6.3f}s "
            f"{budget:>7} {row.median / floor if floor else 0:7.2f}x "
            f"{naive / row.median if naive else 0:7.2f}x {statistics.median(row.peaks):9.0f}"
            f"{verdict}"
        )


def make_project(root: Path, count: int, *, shape: str, seed: int = 0) -> list[Path]:
    """A git repository with pmctl.toml and `count` postmortems of `shape`, saved an hour ago
    (as in a real repository: files written within the last seconds are never cached)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    paths = generate(root / "postmortems", count, seed=seed, shape=shape)
    hour_ago = time.time() - 3600
    for path in paths:
        os.utime(path, (hour_ago, hour_ago))
    return paths


def environment(root: Path) -> dict[str, str]:
    """The environment to run pmctl in: its own git identity, a pinned date, wide output."""
    config = root.parent / "gitconfig"
    config.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n", encoding="utf-8")
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PMCTL_TODAY": TODAY,
        "COLUMNS": "160",
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine shows in the figures."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
