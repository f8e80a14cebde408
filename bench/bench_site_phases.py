"""One cold `pmctl site build` in this process, timed by phase, with its CPU seconds.

Where `bench/bench_site.py` times the command as a user runs it, this says where a cold
build's time goes: reading (stat, load and validate every postmortem), the pages and the
search index (in forked workers), the pages over all postmortems (started in a child of
their own; what is left to wait for). The project is made once in DIR (10,000 realistic
postmortems by bench/gen_corpus.py, committed) and kept for the next run.

    .venv/bin/python bench/bench_site_phases.py /tmp/site-corpus [--count 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate
from pmctl.adapters.config_file import load_project
from pmctl.services import site

PHASES = ("_read", "_render_and_index", "_start_aggregates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    root = args.root
    if not (root / "pmctl.toml").exists():
        root.mkdir(parents=True)
        (root / "pmctl.toml").write_text('postmortem_dir = "postmortems"\n', encoding="utf-8")
        generate(root / "postmortems", args.count, seed=0)
        identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
        for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "corpus"]):
            subprocess.run(["git", *command], cwd=root, check=True)
    shutil.rmtree(root / "_site", ignore_errors=True)
    for path in (root / ".git" / "pmctl").glob("site-*"):
        shutil.rmtree(path)
    (root / ".git" / "pmctl" / "model-cache").unlink(missing_ok=True)
    spent: dict[str, float] = {}
    for name in PHASES:
        setattr(site, name, _timed(getattr(site, name), name, spent))
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    start, cpu = time.perf_counter(), time.process_time()
    result = site.build(load_project(root), out=root / "_site", today=dt.date(2026, 11, 23))
    took, own = time.perf_counter() - start, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{result.postmortems} postmortems, {result.rendered} pages rendered")
    print(
        f"cold build: {took:.2f} s; CPU {own:.1f} s here, "
        f"{children.ru_utime + children.ru_stime:.1f} s in children"
    )
    for name, seconds in spent.items():
        print(f"  {name}: {seconds:.2f} s")


def _timed(function: Callable[..., Any], name: str, spent: dict[str, float]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return timed


if __name__ == "__main__":
    main()
