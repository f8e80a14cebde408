"""Wall time of `pmctl import` of 1,000 legacy postmortems (budget: 5 s, DESIGN §8).

The legacy repository is made by bench/gen_legacy.py (a quarter each of headings-only
Markdown, TOML, YAML and JSON front matter; ~10 KB each) and committed in its own git
repository; the import maps the foreign keys with a mapping file, imports as closed and
commits all of it in one commit into a fresh `pmctl init` project. Each run starts from the
same project state. The dry run (with its lint preview of every document) is timed too.
The machine is shared: read the figures with the load average printed beside them.

    .venv/bin/python bench/bench_import.py [--count 1000] [--runs 1]
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
from gen_legacy import generate

BUDGET_SECONDS = 5.0
MAP = """\
"params.severity" = { field = "severity", values = { high = "SEV2", medium = "SEV3", low = "SEV4" } }
severity = { field = "severity", values = { high = "SEV2", medium = "SEV3", low = "SEV4" } }
"params.incident_start" = { field = "timestamps.started", transform = "datetime" }
categories = { field = "tags", transform = "slug" }
tags = { field = "tags", transform = "slug" }
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def timed(command: list[str], cwd: Path) -> float:
    settle()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        config = base / "gitconfig"
        config.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n", encoding="utf-8")
        os.environ.update(
            GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1", PMCTL_TODAY="2026-11-23"
        )
        legacy = base / "legacy"
        paths = generate(legacy, args.count, seed=0)
        git(legacy, "init", "--quiet")
        git(legacy, "add", "--all")
        git(legacy, "commit", "--quiet", "-m", "legacy postmortems")
        size = sum(path.stat().st_size for path in paths) / len(paths) / 1024
        (base / "map.toml").write_text(MAP, encoding="utf-8")
        project = base / "project"
        project.mkdir()
        subprocess.run([pmctl(), "init"], cwd=project, check=True, capture_output=True)
        start = git(project, "rev-parse", "HEAD")
        command = [pmctl(), "import", str(legacy), "--map", str(base / "map.toml")]
        command += ["--owner", "sre", "--severity", "SEV3", "--status", "closed"]
        print(f"{args.count} legacy postmortems, {size:.1f} KB on average; {args.runs} run(s)")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        dry = timed([*command, "--dry-run"], project)
        runs = []
        for _ in range(args.runs):
            git(project, "reset", "--quiet", "--hard", start)
            git(project, "clean", "--quiet", "-fdx", "postmortems")
            runs.append(timed(command, project))
        imported = len(list((project / "postmortems").rglob("*.md")))
        assert imported == args.count, f"imported {imported} of {args.count}"
        assert git(project, "rev-list", "--count", f"{start}..HEAD") == "1"
        median = statistics.median(runs)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(f"pmctl import --dry-run (lint preview of each): {dry:.2f} s")
        print(
            f"pmctl import (write + one commit): median {median:.2f} s "
            f"(min {min(runs):.2f}, max {max(runs):.2f}); budget {BUDGET_SECONDS:.0f} s"
        )


if __name__ == "__main__":
    main()
