"""`pmctl reading-club`: propose the postmortems for the next session; record a session.

A session is recorded in one repository file (`[reading_club] record_file`, by default
`.pmctl/reading-club.toml`) in one commit of that file alone, and never in the postmortems
themselves: their schema stays what it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents, reading_club_log
from pmctl.domain.commits import Commit
from pmctl.domain.document import Invalid
from pmctl.domain.learning import reading_club as club
from pmctl.errors import GitError, NotFoundError
from pmctl.services.corpus import load_all
from pmctl.services.mutate import exclusive, write_and_commit

if TYPE_CHECKING:
    from pathlib import Path

    from pmctl.adapters.git import Repository
    from pmctl.domain.project import Project


@dataclass(frozen=True, slots=True)
class ProposalOutcome:
    proposal: club.Proposal
    invalid: tuple[Invalid, ...]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What `record` did: the file, the ids recorded, the commit (None with no commit or
    nothing to record), and the ids left out because a session of the day has them."""

    path: Path
    ids: tuple[str, ...]
    commit: Commit | None
    already: tuple[str, ...] = ()


def log_path(project: Project) -> Path:
    from pmctl.adapters.config_file import record_file

    return record_file(project)


def propose(project: Project, *, today: dt.date, picks: int | None = None) -> ProposalOutcome:
    """The postmortems for the next session, with reasons and discussion questions."""
    from pmctl.domain.lint.body import parse_body
    from pmctl.domain.sections import section_names

    settings = project.settings
    _, log = reading_club_log.read(log_path(project))
    last = log.last_discussed()
    corpus = load_all(project.postmortem_dir, root=project.root)
    paths = {model.id: path for path, model in corpus.postmortems}
    candidates, resting = club.eligible(
        corpus.models, last, today=today, repeat_after_days=settings.reading_club.repeat_after_days
    )
    shortlist = sorted(
        candidates, key=lambda model: (-club.front_score(model, settings.severities), model.id)
    )[: club.SHORTLIST]
    names = section_names(settings.lint.section_aliases)
    scored = []
    for model in shortlist:
        document = documents.read(paths[model.id])
        lessons = club.lessons_of(parse_body(document.body, document.body_line, names))
        scored.append((model, club.score(model, lessons, settings.severities), lessons))
    chosen = club.choose(scored, picks=picks or settings.reading_club.picks, today=today)
    language = settings.default_language
    return ProposalOutcome(
        club.Proposal(
            today,
            tuple(
                club.Pick(
                    model,
                    points,
                    club.reasons(
                        model, lessons, last.get(model.id), today=today, language=language
                    ),
                    club.questions(model, lessons),
                    last.get(model.id),
                )
                for model, points, lessons in chosen
            ),
            len(candidates),
            resting,
            language,
        ),
        corpus.invalid,
    )


def record(
    project: Project, ids: Sequence[str], *, today: dt.date, commit: bool = True
) -> Recorded:
    """Append a session of `today` that discussed `ids` to the sessions file and commit
    that file alone, holding the repository's lock. Refused before anything is written when
    an id is not a valid postmortem (`NotFoundError`, `DocumentError`) or git is not ready
    (`GitError`); a failed commit puts the file back as it was. An id that a session of
    `today` already has is left out (the same command run twice records the session once);
    with none left, nothing is written."""
    from pmctl.adapters.files import write_atomic
    from pmctl.domain import commits

    if not ids:
        raise NotFoundError("no postmortem to record", hint="pmctl reading-club --record ID...")
    # Each by the id of its file: an id may be given as the file's path, or with blanks.
    unique = tuple(
        dict.fromkeys(
            documents.load(discovery.find_by_id(project.postmortem_dir, given))[1].id
            for given in ids
        )
    )
    path = log_path(project)
    with exclusive(project, purpose="pmctl reading-club --record"):
        repository = _ready(project, path) if commit else None
        raw, log = reading_club_log.read(path)
        recorded = log.discussed_on(today)
        already = tuple(postmortem_id for postmortem_id in unique if postmortem_id in recorded)
        new = tuple(postmortem_id for postmortem_id in unique if postmortem_id not in recorded)
        if not new:
            return Recorded(path, (), None, already)
        session = club.session_toml(today, new)
        if raw is not None and b"\r\n" in raw:  # (saved on Windows: its line endings are kept)
            session = session.replace("\n", "\r\n")
        text = (raw.decode("utf-8") if raw is not None else club.LOG_HEADER) + session
        data = text.encode("utf-8")
        reading_club_log.parse(path, data)  # what is written must read back
        if repository is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            return Recorded(path, new, None, already)
        message = commits.reading_club_session(today.isoformat(), new)
        return Recorded(path, new, write_and_commit(repository, {path: data}, message), already)


def _ready(project: Project, path: Path) -> Repository:
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    repository.ensure_ready_to_commit()
    if path.exists() and repository.has_changes(path):
        relative = path.resolve().relative_to(repository.root).as_posix()
        raise GitError(
            f"{relative} has changes that are not committed",
            hint=f"commit or discard them first (`git diff -- {relative}`), or pass --no-commit",
        )
    return repository
