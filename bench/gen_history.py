"""Give a generated project a git history of N transition commits, fast, with `git fast-import`.

Each postmortem's history is what pmctl writes: a creation commit (`none->draft`) adding the
file as a draft, then one commit per status change up to the status the file has now, each
with the `Pmctl-Id` / `Pmctl-Transition` trailers. Postmortems are taken in order until N
transition commits are written; every other file comes in one plain import commit first.
The working tree is left as it was (the files at their final status) and the index matches.

    .venv/bin/python bench/gen_corpus.py /tmp/corpus --count 10000
    .venv/bin/python bench/gen_history.py /tmp/corpus --commits 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from pmctl.domain import commits

ORDER = ("draft", "in-review", "reviewed", "closed")
_STATUS = re.compile(r"^status: *(\S+)", re.MULTILINE)
IDENTITY = "Bench <bench@example.com>"


def generate(root: Path, count: int) -> int:
    """Write the history into a fresh repository at `root`; return the transition commits made."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    files = sorted((root / "postmortems").rglob("*.md"))
    chains: list[tuple[Path, str, list[str]]] = []
    left = count
    for path in files:
        text = path.read_text(encoding="utf-8")
        match = _STATUS.search(text)
        if match is None or match[1] not in ORDER:
            continue
        steps = ORDER[: ORDER.index(match[1]) + 1]
        if len(steps) > left:  # only whole histories, so HEAD matches the work tree
            continue
        chains.append((path, text, list(steps)))
        left -= len(steps)
    in_history = {path for path, _, _ in chains}
    rest = [root / "pmctl.toml", *(path for path in files if path not in in_history)]
    stream = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=root, stdin=subprocess.PIPE
    )
    assert stream.stdin is not None
    for chunk in _commands(root, rest, chains):
        stream.stdin.write(chunk)
    stream.stdin.write(b"done\n")
    stream.stdin.close()
    if stream.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "reset", "-q"], cwd=root, check=True)  # index := HEAD
    return count - left


def _commands(
    root: Path, rest: list[Path], chains: list[tuple[Path, str, list[str]]]
) -> Iterator[bytes]:
    moment = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    yield _commit(moment, "chore: import postmortems\n", [(p, p.read_bytes()) for p in rest], root)
    for path, text, steps in chains:
        postmortem_id = path.stem
        incident = dt.datetime.combine(
            dt.date.fromisoformat(postmortem_id[:10]), dt.time(12), tzinfo=dt.UTC
        )
        previous = "none"
        for number, status in enumerate(steps):
            content = _STATUS.sub(f"status: {status}", text, count=1)
            message = (
                commits.new_postmortem(postmortem_id, postmortem_id)
                if previous == "none"
                else commits.transition(postmortem_id, previous, status)
            )
            when = incident + dt.timedelta(hours=6 + 40 * number)
            yield _commit(when, message, [(path, content.encode("utf-8"))], root)
            previous = status


def _commit(when: dt.datetime, message: str, files: list[tuple[Path, bytes]], root: Path) -> bytes:
    stamp = f"{int(when.timestamp())} +0000"
    data = message.encode("utf-8")
    parts = [
        b"commit refs/heads/main\n",
        f"author {IDENTITY} {stamp}\ncommitter {IDENTITY} {stamp}\n".encode(),
        f"data {len(data)}\n".encode(),
        data,
        b"\n",
    ]
    for path, content in files:
        relative = path.relative_to(root).as_posix()
        parts += [f"M 100644 inline {relative}\ndata {len(content)}\n".encode(), content, b"\n"]
    return b"".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path, help="A project made by bench/gen_corpus.py.")
    parser.add_argument("--commits", type=int, default=10_000)
    args = parser.parse_args()
    made = generate(args.root, args.commits)
    print(f"wrote {made} transition commits in {args.root}")


if __name__ == "__main__":
    main()
