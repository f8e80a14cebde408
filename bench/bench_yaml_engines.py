"""What the YAML fallback and the crash isolation of `pmctl lint` cost.

1. Parsing the reference front matter (the Shakespeare example, en and ja) with each
   engine through `yaml_engine.parse`: yaml-rs, and the PyYAML fallback that reads as it.
2. `lint` of one file (a pre-commit run), in process: the file read in a forked child (as
   pmctl does, so that a crash of the engine cannot end lint) against read here. The two
   alternate, so that a change in the machine's load hits both alike.
3. A cold `lint` (no cache) of `--count` generated postmortems, in process: every share read
   in children against one share read here (as before the isolation), alternating.

    .venv/bin/python bench/bench_yaml_engines.py [--runs 200] [--count 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pmctl.adapters import documents, yaml_engine
from pmctl.adapters.config_file import load_project

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").rglob("*.md"))


def median_us(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def engines(runs: int) -> None:
    texts = [documents.read(path).front_matter or "" for path in EXAMPLES]

    def parse_all() -> None:
        for text in texts:
            yaml_engine.parse(text)

    def with_fallback() -> None:
        with yaml_engine.fallback():
            parse_all()

    parse_all()
    with_fallback()
    sizes = ", ".join(f"{len(text.encode()) / 1024:.1f} KB" for text in texts)
    print(f"front matter of the examples ({sizes}), median of {runs}, per document:")
    for name, function in (("yaml-rs", parse_all), ("pyyaml fallback", with_fallback)):
        print(f"  {name:16} {median_us(function, runs) / len(texts):8.0f} µs")


def lint_one_file(runs: int) -> None:
    import pmctl.services.lint as service

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        (root / "pmctl.toml").write_text("", encoding="utf-8")
        target = root / "postmortems" / "2015"
        target.mkdir(parents=True)
        path = target / EXAMPLES[0].name
        path.write_bytes(EXAMPLES[0].read_bytes())
        project = load_project(root)
        today = dt.date(2026, 11, 23)
        modes = {"read in a child": True, "read here": False}
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(runs):
            for mode, isolate in modes.items():
                vars(service)["can_isolate"] = lambda isolate=isolate: isolate
                start = time.perf_counter()
                service.lint(project, [path], today=today)
                times[mode].append(time.perf_counter() - start)
        print(f"lint of one file in process, median of {runs} (alternating):")
        for mode, values in times.items():
            print(f"  {mode:16} {statistics.median(values) * 1e3:8.2f} ms")


def lint_corpus(count: int, runs: int) -> None:
    import pmctl.services.lint as service
    from pmctl.adapters import parallel

    ordered = parallel.ordered

    def not_isolated(*args: object, **options: object) -> object:
        return ordered(*args, **{**options, "isolate": False})  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        (root / "pmctl.toml").write_text("", encoding="utf-8")
        generate(root / "postmortems", count)
        project = load_project(root)
        today = dt.date(2026, 11, 23)
        modes = {"all in children": ordered, "one share here": not_isolated}
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(runs):
            for mode, function in modes.items():
                vars(service)["ordered"] = function
                start = time.perf_counter()
                service.lint(project, today=today, use_cache=False)
                times[mode].append(time.perf_counter() - start)
        vars(service)["ordered"] = ordered
        print(f"cold lint of {count} generated postmortems in process, median of {runs}:")
        for mode, values in times.items():
            print(f"  {mode:16} {statistics.median(values):8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--count", type=int, default=10_000)
    arguments = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    engines(arguments.runs)
    lint_one_file(arguments.runs)
    lint_corpus(arguments.count, max(3, arguments.runs // 40))


if __name__ == "__main__":
    main()
