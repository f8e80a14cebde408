"""Forked readers work with yaml-rs and the mimalloc allocator it bundles.

yaml-rs links mimalloc as its allocator; its own project turned that off on macOS because
it broke fork-based subprocesses. pmctl forks readers (`adapters/parallel.py`) after the
parent has parsed with yaml-rs, so this runs exactly that, many times over, in a fresh
interpreter with a time limit: a child that deadlocks in the allocator, crashes or reads
differently fails the test. What is repeated is the fork (40 children, each after the parent
parsed again); each child parses 20 copies of the examples (100 cost 1 CPU-s more and
exercised nothing the fork does not).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml_rs

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
from pathlib import Path
from pmctl.adapters import documents
from pmctl.adapters.parallel import ordered, split

examples = sorted(Path(sys.argv[1]).glob("*/postmortems/**/*.md"))
texts = [path.read_bytes() for path in examples] * 20

def read(chunk):
    return [repr(documents.parse_bytes(Path("x.md"), raw).data) for raw in chunk]

here = read(texts)  # the parent allocates and frees through yaml-rs's allocator first
for round in range(10):
    forked = list(ordered(read, split(texts, [0.25] * 4), isolate=True))
    assert forked == here, round
    here = read(texts)  # and again between the forks
print("ok", len(texts) * 10)
"""


def test_yaml_rs_bundles_mimalloc() -> None:
    (library,) = Path(yaml_rs.__file__).parent.glob("_yaml_rs*.so")
    assert b"mimalloc" in library.read_bytes()


def test_forked_readers_parse_as_the_parent_does_after_it_used_the_allocator() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "examples")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    examples = list((ROOT / "examples").glob("*/postmortems/**/*.md"))
    assert examples
    assert run.stdout.split() == ["ok", str(len(examples) * 200)]
