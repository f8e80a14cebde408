"""Commit messages pmctl writes: conventional subjects plus machine-readable trailers.

The trailers (`Pmctl-Id`, `Pmctl-Transition`, ...) let lifecycle metrics be computed from
`git log` alone; see docs/lifecycle.md.
"""

from __future__ import annotations

from collections.abc import Mapping

TRAILER_ID = "Pmctl-Id"
TRAILER_TRANSITION = "Pmctl-Transition"
CREATED_FROM = "none"


def compose(subject: str, body: str = "", trailers: Mapping[str, str] | None = None) -> str:
    """A commit message: subject, optional body paragraph, trailer block."""
    parts = [subject.strip()]
    if body.strip():
        parts.append(body.strip())
    if trailers:
        parts.append("\n".join(f"{key}: {value}" for key, value in trailers.items()))
    return "\n\n".join(parts) + "\n"


def new_postmortem(postmortem_id: str, title: str) -> str:
    return compose(
        f"docs(postmortem): add {postmortem_id}",
        title,
        {TRAILER_ID: postmortem_id, TRAILER_TRANSITION: f"{CREATED_FROM}->draft"},
    )


def init_repository() -> str:
    return compose(
        "chore(pmctl): set up the postmortem repository",
        "Adds pmctl.toml, the postmortem directory and a pre-commit hook that lints postmortems.",
    )
