"""Postmortems for the site, digest and review-meeting tests: the bundled examples, and one
written by someone hostile."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path

from pmctl.domain.project import Project
from tests.conftest import git

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shakespeare" / "postmortems"
EN_ID = "2015-10-21-shakespeare-sonnet"
JA_ID = "2015-10-21-shakespeare-sonnet-ja"
HOSTILE_ID = "2016-02-01-hostile-markdown"
HOSTILE_BODY = """
# ignored

## Summary

<script>window.__pwned = 1; alert(1)</script>
<img src=x onerror="window.__pwned = 2">
<div onclick="window.__pwned = 3">click me</div>

[plain](javascript:window.__pwned=4) [upper](JaVaScRiPt:alert(5)) [tabbed](jav\tascript:alert(6))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(8))
<javascript:alert(9)> [ok](https://example.com/runbook) [sibling](2015-10-21-shakespeare-sonnet.md)

![tracker](https://tracker.example/pixel.png)

[ref]: javascript:alert(10)
"""


def add_examples(project: Project, *, commit: bool = True) -> None:
    """The Shakespeare postmortems, English and Japanese, in the project."""
    target = project.postmortem_dir / "2015"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(EXAMPLES.rglob("*.md")):
        shutil.copyfile(path, target / path.name)
    if commit:
        git(project.root, "add", "postmortems")
        git(project.root, "commit", "-q", "-m", "add the examples")


def hostile_text() -> str:
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    front = english.split("\n---\n", 1)[0]
    front = front.replace(f"id: {EN_ID}", f"id: {HOSTILE_ID}").replace(
        "title: Shakespeare Sonnet++ postmortem (incident 465)",
        'title: "<script>window.__pwned = 11</script> Hostile <b>title</b>"',
    )
    front = front.replace(f"related: [{JA_ID}]", "related: []")
    front = front.replace("2015-10-21T", "2016-02-01T")  # its incident's day, as its id's
    return front + "\n---\n" + HOSTILE_BODY


def commit_postmortems(project: Project, texts: Mapping[str, str], message: str) -> None:
    """Write each postmortem (id -> text) in its year's directory, and commit them."""
    for postmortem_id, text in texts.items():
        path = project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(project.root, "add", "postmortems")
    git(project.root, "commit", "-q", "-m", message)


def add_hostile(project: Project) -> Path:
    path = project.postmortem_dir / "2016" / f"{HOSTILE_ID}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(hostile_text(), encoding="utf-8")
    git(project.root, "add", "postmortems")
    git(project.root, "commit", "-q", "-m", "add a hostile postmortem")
    return path


def png(width: int, height: int) -> bytes:
    """A red PNG image of `width` x `height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
