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


TRAILER_REVIEW = "Pmctl-Review"
TRAILER_REASON = "Pmctl-Reason"


def _one_line(text: str) -> str:
    """A trailer value must stay on one line, or `git interpret-trailers` loses the rest."""
    return " ".join(text.split())


def transition(postmortem_id: str, source: str, target: str, *, reason: str | None = None) -> str:
    """`docs(postmortem): move ID to TARGET`, with `Pmctl-Reason` when a reason is given."""
    trailers = {TRAILER_ID: postmortem_id, TRAILER_TRANSITION: f"{source}->{target}"}
    if reason:
        trailers[TRAILER_REASON] = _one_line(reason)
    return compose(f"docs(postmortem): move {postmortem_id} to {target}", reason or "", trailers)


def review(
    postmortem_id: str,
    reviewer: str,
    verdict: str,
    *,
    note: str | None = None,
    moved: tuple[str, str] | None = None,
) -> str:
    """A review entry's commit; `moved` (from, to) adds the transition it caused."""
    action = "approve" if verdict == "approved" else "request changes on"
    trailers = {TRAILER_ID: postmortem_id, TRAILER_REVIEW: verdict}
    if moved is not None:
        trailers[TRAILER_TRANSITION] = f"{moved[0]}->{moved[1]}"
        if note:
            trailers[TRAILER_REASON] = _one_line(note)
    body = f"Reviewed by {reviewer}." + (f"\n\n{note}" if note else "")
    return compose(f"docs(postmortem): {action} {postmortem_id}", body, trailers)
