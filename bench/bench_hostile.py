"""Hostile input: how long pmctl takes to answer a document or a template built to make it
work without end, beside the same command on an ordinary one (same run).

- `pmctl lint FILE` on front matter of 50,000 keys or lines (top level, nested, action
  items, a list), on a 1 MB body dense with findings, disable comments or comments never
  closed, on a heading of 500,000 spaces, and on a 5 MB file;
  the figure to read is seconds per MB. Budget: well under a second per MB.
- `pmctl new` with a repository template that asks for `'x' * 10**9`,
  `'%0999999999d'|format(1)`, 10^10 loop turns or 10 million characters. Budget: stopped
  within a second or two (exit 7).
- `pmctl action add` on the 5 MB postmortem: refused (exit 6) unparsed.

    .venv/bin/python bench/bench_hostile.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PMCTL, environment, load_average, measure

HEAD = (
    "---\nschema: 1\nid: {id}\ntitle: Big\nstatus: draft\nseverity: SEV2\nowner: alice\n"
    "created: 2026-11-23\n"
)
N = 50_000
DOCUMENTS: dict[str, Callable[[], str]] = {
    "ordinary (the template)": lambda: "",
    "50,000 unknown keys": lambda: "".join(f"k{i}: {i}\n" for i in range(N)) + "---\n# Big\n",
    "50,000 unknown nested keys": lambda: (
        "impact:\n" + "".join(f"  k{i}: {i}\n" for i in range(N)) + "---\n# Big\n"
    ),
    "25,000 action items, 2 problems each": lambda: (
        "action_items:\n"
        + "".join(f"  - id: AI-{i}\n    x: 1\n" for i in range(N // 2))
        + "---\n# Big\n"
    ),
    "a list of 50,000 tags": lambda: (
        "tags:\n" + "".join(f"  - t{i}\n" for i in range(N)) + "---\n# Big\n"
    ),
    "1 MB body, 27,000 counterfactuals": lambda: (
        "---\n# Big\n\n## Root Causes\n\n" + "Bob should have checked; his fault.\n" * 27_000
    ),
    "1 MB body, 24,000 disable comments": lambda: (
        "---\n# Big\n\n## Summary\n\n" + "<!-- pmctl-disable PM401 -->\nshould have\n" * 24_000
    ),
    "5 MB body": lambda: "---\n# Big\n\n## Summary\n\n" + "filler text of a pasted log\n" * 180_000,
    # 25 s for 80 KB of these until the eighth pass (`<!--.*?-->` from every opening):
    "1 MB body, 240,000 comments never closed": lambda: (
        "---\n# Big\n\n## Summary\n\nx\n\n" + "<!--" * 240_000 + "\n"
    ),
    # 75 s for 50,000 spaces until the eighth pass (the heading's trailing note):
    "a heading of 500,000 spaces and (x(y)": lambda: (
        "---\n# Big\n\n## Summary" + " " * 500_000 + "(x(y)\n\nx\n"
    ),
}
TEMPLATES = {
    "ordinary (the built-in template)": "",
    "{{ 'x' * 10**9 }}": "{{ 'x' * 10**9 }}",
    "{{ '%0999999999d'|format(1) }}": "{{ '%0999999999d'|format(1) }}",
    "two nested loops of 100,000 turns": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    ),
    "10 million characters": "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}",
}


def project(root: Path, env: dict[str, str]) -> None:
    root.mkdir(parents=True)
    subprocess.run([PMCTL, "init"], cwd=root, env=env, check=True, capture_output=True)


def bench_lint(root: Path, env: dict[str, str], runs: int) -> str:
    """Lint every case; print the table; return the id of the 5 MB postmortem."""
    commands: dict[str, tuple[Sequence[str], Callable[[], None] | None, float | None]] = {}
    sizes: dict[str, int] = {}
    postmortem_id = ""
    for number, (name, rest) in enumerate(DOCUMENTS.items()):
        postmortem_id = f"2026-11-23-case-{number}"
        path = root / "postmortems" / "2026" / f"{postmortem_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = rest() or "---\n# Ordinary\n\n## Summary\n\nText.\n"
        path.write_text(HEAD.format(id=postmortem_id) + body, encoding="utf-8")
        sizes[name] = path.stat().st_size
        commands[name] = ([PMCTL, "lint", str(path.relative_to(root))], None, None)
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", "cases"], cwd=root, env=env, check=True)
    lint = measure(commands, root, runs=runs, env=env)
    ordinary = lint[0].median
    print("\npmctl lint FILE (medians; a process each, start-up included)")
    print(f"  {'':40} {'MB':>6} {'median':>8} {'max':>7} {'s/MB':>6} {'s/MB over ordinary':>19}")
    for series in lint:
        megabytes = sizes[series.name] / 1e6
        big = megabytes > 0.1
        per_mb = f"{series.median / megabytes:6.2f}" if big else f"{'-':>6}"
        over = f"{(series.median - ordinary) / megabytes:19.2f}" if big else f"{'-':>19}"
        print(
            f"  {series.name:40} {megabytes:6.2f} {series.median:7.2f}s "
            f"{max(series.walls):6.2f}s {per_mb} {over}"
        )
    return postmortem_id  # the last case: the 5 MB body


def bench_refused_edit(root: Path, env: dict[str, str], postmortem_id: str) -> None:
    add = [PMCTL, "action", "add", postmortem_id, "--title", "x", "--type", "other"]
    add += ["--owner", "a", "--priority", "P2"]
    (series,) = measure({"action add": (add, None, None)}, root, runs=1, env=env)
    result = subprocess.run(add, cwd=root, env=env, capture_output=True, text=True, check=False)
    print(f"\npmctl action add on the 5 MB file: {series.median:.2f}s, exit {result.returncode}")


def bench_templates(root: Path, env: dict[str, str], runs: int) -> None:
    override = root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    subprocess.run(
        [PMCTL, "template", "export"], cwd=root, env=env, check=True, capture_output=True
    )
    original = override.read_text(encoding="utf-8")
    argv = [PMCTL, "new", "--title", "Case", "--severity", "SEV2", "--owner", "a", "--no-input"]
    argv += ["--no-commit", "--slug", "x"]
    print("\npmctl new with a repository template (median of runs; exit code; message)")
    for name, tail in TEMPLATES.items():
        override.write_text(original + tail + "\n", encoding="utf-8")
        walls = []
        for _ in range(runs):
            (root / "postmortems" / "2026" / "2026-11-23-x.md").unlink(missing_ok=True)
            started = os.times().elapsed
            result = subprocess.run(
                argv, cwd=root, env=env, capture_output=True, text=True, check=False
            )
            walls.append(os.times().elapsed - started)
        message = result.stderr.strip().split("\n")[0][:70]
        print(f"  {name:36} {statistics.median(walls):6.2f}s  exit {result.returncode}  {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "pm"
        env = environment(root)
        project(root, env)
        big = bench_lint(root, env, args.runs)
        bench_refused_edit(root, env, big)
        bench_templates(root, env, args.runs)
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()
