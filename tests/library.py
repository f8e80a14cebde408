"""Postmortems with real prose for the tests of search, related, trends, export and drills."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from pmctl.domain.project import Project

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "shakespeare" / "postmortems"
SHAKESPEARE = "2015-10-21-shakespeare-sonnet"
SHAKESPEARE_JA = "2015-10-21-shakespeare-sonnet-ja"

EN_HEADINGS = {
    "summary": "Summary",
    "impact": "Impact",
    "root-causes": "Root Causes",
    "trigger": "Trigger",
    "resolution": "Resolution",
    "detection": "Detection",
    "lessons": "Lessons Learned",
    "went-well": "What went well",
    "went-wrong": "What went wrong",
    "got-lucky": "Where we got lucky",
    "timeline": "Timeline",
}
JA_HEADINGS = {
    "summary": "概要",
    "impact": "影響",
    "root-causes": "根本原因",
    "trigger": "発生要因",
    "resolution": "対応",
    "detection": "検出",
    "lessons": "教訓",
    "went-well": "うまくいったこと",
    "went-wrong": "うまくいかなかったこと",
    "got-lucky": "幸運だったこと",
    "timeline": "タイムライン",
}


def write(
    project: Project,
    postmortem_id: str,
    *,
    title: str | None = None,
    language: str = "en",
    status: str = "reviewed",
    severity: str = "SEV2",
    owner: str = "alice",
    services: Sequence[str] = ("checkout",),
    tags: Sequence[str] = (),
    related: Sequence[str] = (),
    sections: Mapping[str, str] | None = None,
    front: str = "",
) -> Path:
    """Write a valid postmortem whose body has these sections (key -> Markdown)."""
    headings = JA_HEADINGS if language == "ja" else EN_HEADINGS
    lines = [
        "---",
        "schema: 1",
        f"id: {postmortem_id}",
        f"title: {title or 'Incident ' + postmortem_id}",
        f"status: {status}",
        f"severity: {severity}",
        f"language: {language}",
        f"owner: {owner}",
        f"created: {postmortem_id[:10]}",
        f"services: [{', '.join(services)}]",
        f"tags: [{', '.join(tags)}]",
        f"related: [{', '.join(related)}]",
    ]
    if front:
        lines.append(front.rstrip("\n"))
    lines += ["---", "", f"# {title or postmortem_id}", ""]
    for key, text in (sections or {}).items():
        level = "###" if key in ("went-well", "went-wrong", "got-lucky") else "##"
        lines += [f"{level} {headings[key]}", "", text.strip(), ""]
    path = project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def copy_shakespeare(project: Project) -> tuple[Path, Path]:
    """The bundled example postmortems (incident 465, en and ja), copied into `project`."""
    target = project.postmortem_dir / "2015"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in (SHAKESPEARE, SHAKESPEARE_JA):
        copied.append(Path(shutil.copy2(EXAMPLES / "2015" / f"{name}.md", target)))
    return copied[0], copied[1]
