"""Wall time of a status transition (`pmctl status ID TO`, a commit) in a repository of
10,000 postmortems (median of several runs).

Budget (DESIGN §8, on the 2-core reference machine): <= 200 ms, set when the floor below
took 107 ms. The postmortems come from `bench/gen_corpus.py`; one of them is replaced by a
draft that passes lint, and the runs alternate draft -> in-review (lint guard, commit) and
in-review -> draft (reason, commit). The floor, interleaved with them: a one-line edit of
another postmortem and `git commit --only -- path` of it, which every transition includes.

    .venv/bin/python bench/bench_transition.py [--count 10000] [--runs 10]
        [--against /work/main/.venv/bin/pmctl]

`--against` times another pmctl (main's) too, interleaved with this one in the same run.
Each figure is given as wall time and as CPU time (user + system, the process and its git
children): on the shared machine the wall time grows with the load average, the CPU time
much less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import CPU, children_cpu, initialised_repository, pmctl, settle
from gen_corpus import generate

PM_ID = "2026-11-20-bench-transition"
DOCUMENT = """\
---
schema: 2
id: {id}
title: Bench transition
status: draft  # moved back and forth by the benchmark
severity: SEV2
language: en
owner: alice
authors: [alice]
created: 2026-11-21
timestamps:
  started: 2026-11-20T14:51:00+00:00
  detected: 2026-11-20T14:53:00+00:00
  mitigated: 2026-11-20T15:23:00+00:00
  resolved: 2026-11-20T16:00:00+00:00
impact:
  user_visible_minutes: 66
criteria: [user-visible-downtime]
action_items: []
reviews: []
shared_with: []
---

# Bench transition

{sections}
## Action Items

<!-- pmctl:action-items:start -->
_No action items yet: add them with `pmctl action add`._
<!-- pmctl:action-items:end -->
"""
HEADINGS = (
    "## Summary",
    "## Impact",
    "## Root Causes",
    "## Trigger",
    "## Resolution",
    "## Detection",
    "## Response analysis",
    "## Lessons Learned",
    "### What went well",
    "### What went wrong",
    "### Where we got lucky",
    "## Timeline",
)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of `command`; its CPU seconds are appended to `CPU`."""
    settle()
    cpu = children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    CPU.append(children_cpu() - cpu)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--against", metavar="PMCTL", help="another pmctl to time alongside")
    args = parser.parse_args()
    with initialised_repository() as (repo, env):
        generate(repo / "postmortems", args.count - 1)
        sections = "".join(f"{heading}\n\nText of the section.\n\n" for heading in HEADINGS)
        path = repo / "postmortems" / "2026" / f"{PM_ID}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DOCUMENT.format(id=PM_ID, sections=sections), encoding="utf-8")
        for command in (["add", "-A"], ["commit", "--quiet", "-m", "corpus"]):
            subprocess.run(["git", *command], cwd=repo, env=env, check=True)
        files = len(subprocess.check_output(["git", "ls-files"], cwd=repo, env=env).splitlines())

        forward = [pmctl(), "status", PM_ID, "in-review"]
        back = [pmctl(), "status", PM_ID, "draft", "--reason", "bench"]
        other = sorted((repo / "postmortems").glob("*/*.md"))[0]
        print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        run(forward, repo, env)  # warm the bytecode and file caches
        run(back, repo, env)
        versions = [pmctl(), *([args.against] if args.against else [])]
        times: dict[str, list[float]] = {version: [] for version in versions}
        cpu: dict[str, list[float]] = {version: [] for version in versions}
        floor: list[float] = []
        floor_cpu: list[float] = []
        for number in range(args.runs):
            for version in versions:
                for command, edit in ((forward, number), (back, number + 0.5)):
                    times[version].append(run([version, *command[1:]], repo, env))
                    cpu[version].append(CPU[-1])
                    floor.append(commit_one_line(repo, env, other, edit))
                    floor_cpu.append(CPU[-1])
        service = in_process(repo, env, args.runs)
    print(f"repository of {files} files; {2 * args.runs} transitions each, each one commit")
    base = statistics.median(floor)
    base_cpu = statistics.median(floor_cpu)
    print(
        f"{'what':<32}{'median ms':>10}{'min ms':>9}{'max ms':>9}{'x floor':>9}"
        f"{'CPU ms':>8}{'x floor':>9}  budget"
    )
    rows = [
        ("floor: git commit --only -- path", floor, floor_cpu, "-"),
        ("pmctl status ID TO", times[pmctl()], cpu[pmctl()], "200 ms (1.87x floor)"),
    ]
    if args.against:
        rows.append(("against: status ID TO", times[args.against], cpu[args.against], "-"))
    rows.append(("status.move() in process, warm", service, [], "-"))
    for name, values, used, budget in rows:
        cpu_columns = (
            f"{statistics.median(used) * 1000:>8.0f}{statistics.median(used) / base_cpu:>9.2f}"
            if used
            else f"{'-':>8}{'-':>9}"
        )
        print(
            f"{name:<32}{statistics.median(values) * 1000:>10.0f}"
            f"{min(values) * 1000:>9.0f}{max(values) * 1000:>9.0f}"
            f"{statistics.median(values) / base:>9.2f}{cpu_columns}  {budget}"
        )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


def commit_one_line(repo: Path, env: dict[str, str], path: Path, number: float) -> float:
    """What a transition cannot avoid: rewrite one line of a postmortem, commit that file."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = f"title: floor edit {number}"
    settle()
    cpu = children_cpu()
    start = time.perf_counter()
    path.write_text("\n".join(lines), encoding="utf-8")
    relative = str(path.relative_to(repo))
    command = ["git", "commit", "--quiet", "--only", "-m", "floor", "--", relative]
    subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    CPU.append(children_cpu() - cpu)
    return elapsed


def in_process(repo: Path, env: dict[str, str], runs: int) -> list[float]:
    """The transition without interpreter start-up and imports: what pmctl itself adds."""
    import datetime as dt

    from pmctl.adapters.config_file import load_project
    from pmctl.domain.model import Status
    from pmctl.services import status

    os.environ.update(env)
    project = load_project(repo)
    today = dt.date(2026, 11, 23)
    times = []
    for number in range(runs * 2 + 2):
        target = Status.IN_REVIEW if number % 2 == 0 else Status.DRAFT
        start = time.perf_counter()
        status.move(project, PM_ID, target, today=today, reason="bench")
        if number >= 2:  # the first two pay for the lazy imports
            times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    main()
