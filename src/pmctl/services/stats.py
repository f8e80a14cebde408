"""`pmctl stats`: the postmortem process in numbers, from the documents and `git log`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pmctl.domain import commits
from pmctl.domain.document import Invalid
from pmctl.domain.metrics import Stats, Transition, compute
from pmctl.domain.project import Project
from pmctl.domain.report import incident_date
from pmctl.services.corpus import records

_FIELD = "\x1f"
_TRAILER = "\x1e"
_RECORD = "\x1d"
LOG_ARGS = (
    # One `git log` over the whole history; only commits whose message has the trailer.
    f"--grep=^{commits.TRAILER_TRANSITION}:",
    f"--format=%H%x1f%cI%x1f%(trailers:key={commits.TRAILER_ID},"
    f"key={commits.TRAILER_TRANSITION},separator=%x1e)%x1d",
)


@dataclass(frozen=True, slots=True)
class StatsResult:
    """The numbers, and the files left out because they are not valid postmortems."""

    stats: Stats
    invalid: tuple[Invalid, ...]


def build_stats(project: Project, *, today: dt.date, since: dt.date | None = None) -> StatsResult:
    """Stats over every postmortem whose incident is on or after `since` (all by default)."""
    transitions = start_reading_transitions(project)  # git reads while the documents are read
    invalid: list[Invalid] = []
    models = (
        model
        for _, model in records(project.postmortem_dir, root=project.root, invalid=invalid)
        if since is None or incident_date(model) >= since
    )
    stats = compute(models, _after(transitions), settings=project.settings, today=today)
    return StatsResult(stats, tuple(invalid))


def _after(read: Callable[[], list[Transition]]) -> Iterator[Transition]:
    """The transitions, waited for only when `compute` gets to them (after the documents)."""
    yield from read()


def start_reading_transitions(project: Project) -> Callable[[], list[Transition]]:
    """Every status change recorded in the trailers of the current branch's history,
    started now in a `git log` process; call the result for them."""
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    if not repository.has_commits():
        return list
    log = repository.start_log(*LOG_ARGS)
    return lambda: parse_log(log())


def history_is_shallow(project: Project) -> bool:
    """True if the project's repository is a shallow clone: the transitions before its cut
    are not there, and the times read from them are missing or short."""
    from pmctl.adapters.git import Repository
    from pmctl.errors import GitError

    try:
        return Repository.open(project.root).is_shallow()
    except GitError:  # not a repository: no history to be short of
        return False


def parse_log(output: str) -> list[Transition]:
    """Transitions from `git log` output in the `LOG_ARGS` format.

    A commit is used when its trailers name one postmortem id and one `from->to` transition;
    commits with anything else (a hand-written look-alike, several ids) are skipped.
    """
    transitions: list[Transition] = []
    for record in output.split(_RECORD):
        fields = record.strip().split(_FIELD)
        if len(fields) != 3:
            continue
        _, date, trailers = fields
        ids: list[str] = []
        moves: list[str] = []
        for trailer in trailers.split(_TRAILER):
            key, _, value = trailer.partition(":")
            target = ids if key.strip() == commits.TRAILER_ID else moves
            target.append(value.strip())
        if len(ids) != 1 or len(moves) != 1 or "->" not in moves[0]:
            continue
        source, _, destination = moves[0].partition("->")
        transitions.append(
            Transition(ids[0], source.strip(), destination.strip(), dt.datetime.fromisoformat(date))
        )
    return transitions
