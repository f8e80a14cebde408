"""Does a change to lint keep its findings byte-identical? `pmctl lint --format json` on a
corpus that makes every per-file rule speak, compared with a saved output or another pmctl.

The corpus (deterministic): realistic postmortems (English and Japanese) and copies of the
reference example, most of them mutated — lines of the body and front matter deleted,
duplicated or swapped, blaming and counterfactual phrases (English and Japanese, in prose,
code, comments and root causes), timelines out of order, disable comments, broken fields —
and the lint tests' sample postmortem. 2,000 files, so that the run is split over worker
processes as a real one is.

    .venv/bin/python bench/lint_same.py --save /tmp/NAME-lint.json      # before a change
    .venv/bin/python bench/lint_same.py --check /tmp/NAME-lint.json     # after it
    .venv/bin/python bench/lint_same.py --against /work/main/.venv/bin/pmctl

Exit 0 when the outputs are the same, 1 (with the first differences) when not.
"""

from __future__ import annotations

import argparse
import difflib
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from harness import PMCTL, environment, make_project
from sample_postmortems import GOOD  # type: ignore[import-not-found]  # (tests/, on the path above)

PHRASES = (
    "It was human error: the operator was careless.",
    "We should have checked the limits. If only we had known.",
    "Operator error by bob, whose negligence caused it; it was the fault of the deploy.",
    "作業ミスが原因で、担当者の確認不足と不注意のせいだった。",
    "ヒューマンエラーであり、人為的ミスだった。もっと早く確認していればよかった。",
    "設定を見直すべきだった。ミスマッチはなく、ミスターもいない。",
    "`careless` and `should have` in code are not flagged.",
    "<!-- a careless comment, should have been removed -->",
    "A mister in the mist, a mismatch: no blame. Stupid lazy sloppy incompetent blame.",
    "<!-- pmctl-disable PM401 --> careless here is allowed",
    "<!-- pmctl-disable-file counterfactual --> we would've, we should've",
    "The user error was blamed on the lazy team, who ought to have seen it.",
)
FENCED = "```\ncareless should have human error\n## Not a heading\n```"


def _body_lines(text: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    end = lines.index("---", 1) if lines[:1] == ["---"] and "---" in lines[1:] else 0
    return lines, end + 1


def _insert_phrase(rng: random.Random, text: str) -> str:
    lines, start = _body_lines(text)
    at = rng.randrange(start, len(lines) + 1)
    lines.insert(at, rng.choice(PHRASES))
    return "\n".join(lines)


def _root_cause_blame(rng: random.Random, text: str) -> str:
    for heading in ("## Root Causes", "## 根本原因", "## Trigger", "## 発生要因"):
        if heading in text:
            return text.replace(heading, f"{heading}\n\n{rng.choice(PHRASES[:5])}", 1)
    return text


def _fence(rng: random.Random, text: str) -> str:
    lines, start = _body_lines(text)
    lines.insert(rng.randrange(start, len(lines) + 1), FENCED)
    return "\n".join(lines)


def _delete_line(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def _duplicate_line(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return "\n".join(lines)


def _swap_lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    first = rng.randrange(len(lines) - 1)
    second = min(len(lines) - 1, first + rng.randint(1, 4))
    lines[first], lines[second] = lines[second], lines[first]
    return "\n".join(lines)


def _swap_timeline(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    entries = [index for index, line in enumerate(lines) if line.startswith("- ") and ":" in line]
    if len(entries) > 2:
        first, second = sorted(rng.sample(entries, 2))
        lines[first], lines[second] = lines[second], lines[first]
    return "\n".join(lines)


def _midnight(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    entries = [index for index, line in enumerate(lines) if line.startswith("- ") and ":" in line]
    if entries:
        at = rng.choice(entries)
        lines.insert(at, rng.choice(("2026-11-21", "### 2026-11-22", "2026-13-40", "")))
    return "\n".join(lines)


def _field(rng: random.Random, text: str) -> str:
    old, new = rng.choice(
        (
            ("status: closed", "status: bogus"),
            ("status: reviewed", "status: draft"),
            ("status: draft", "status: closed"),
            ("severity: SEV", "severity: XSEV"),
            ("owner: ", "owner: \n  "),
            ("created: 20", "created: 28"),
            ("detected: 20", "detected: 19"),
            ("status: done", "status: todo\n    due: 2026-01-01"),
            ("    owner: ", "    ownr: "),
            ("id: AI-2", "id: AI-1"),
            ("verdict: approved", "verdict: changes-requested"),
            ("blameless: true", "blameless: false"),
            ("user_visible_minutes: ", "user_visible_minutes: -"),
            ("criteria: [", "criteria: [bogus, "),
            ("related: []", "related: [2026-01-01-nowhere]"),
            ("## Summary", "## Summery"),
            ("## 概要", "## 要約"),
            ("## Timeline", "## Timeline\n\n| time | event |\n|---|---|\n| 12:00 | late |"),
        )
    )
    return text.replace(old, new, 1)


MUTATIONS: tuple[Callable[[random.Random, str], str], ...] = (
    _insert_phrase,
    _insert_phrase,
    _root_cause_blame,
    _fence,
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _swap_timeline,
    _midnight,
    _field,
    _field,
)


def build(root: Path) -> None:
    """The corpus: a project at `root`."""
    paths = make_project(root, 1600, shape="realistic", seed=7)
    paths += make_project(root, 400, shape="example", seed=8)
    for number, path in enumerate(paths):
        if number % 4 == 0:
            continue  # a quarter as generated
        rng = random.Random(number)
        text = path.read_text(encoding="utf-8")
        for mutate in rng.sample(MUTATIONS, rng.randint(1, 4)):
            text = mutate(rng, text)
        path.write_text(text, encoding="utf-8")
    sample = root / "postmortems" / "2026" / "2026-11-20-checkout-latency.md"
    sample.parent.mkdir(parents=True, exist_ok=True)
    sample.write_text(GOOD, encoding="utf-8")


def run(pmctl: str, root: Path) -> str:
    done = subprocess.run(
        [pmctl, "lint", "--format", "json", "--no-cache"],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"{pmctl} lint exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, metavar="FILE", help="write this pmctl's output")
    action.add_argument("--check", type=Path, metavar="FILE", help="compare with a saved one")
    action.add_argument("--against", metavar="PMCTL", help="compare with another pmctl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "corpus"
        build(root)
        mine = run(PMCTL, root)
        if args.save:
            args.save.write_text(mine, encoding="utf-8")
            print(f"saved {len(mine)} bytes to {args.save}")
            return
        other = args.check.read_text(encoding="utf-8") if args.check else run(args.against, root)
    if mine == other:
        rules = sorted({line.split('"')[3] for line in mine.split("\n") if '"rule"' in line})
        count = mine.count('"rule":')
        print(f"same: {len(mine)} bytes, {count} findings of {len(rules)} rules")
        return
    diff = difflib.unified_diff(other.split("\n"), mine.split("\n"), "before", "after", n=1)
    print("\n".join(list(diff)[:80]))
    sys.exit(1)


if __name__ == "__main__":
    main()
