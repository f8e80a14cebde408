"""`pmctl stats`: the postmortem process in numbers, from the documents and `git log`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from pmctl.domain import commits
from pmctl.domain.document import Invalid
from pmctl.domain.metrics import Stats, Transition, compute
from pmctl.domain.project import Project
from pmctl.domain.report import incident_date
from pmctl.services.corpus import once_per_id, records

_FIELD = "\x1f"
_RECORD = "\x1d"
_REVERTS = "This reverts commit "
_REVERTED = re.compile(f"^{_REVERTS}([0-9a-f]{{64}}|[0-9a-f]{{40}})\\b", re.MULTILINE)
LOG_ARGS = (
    # One `git log` over the whole history; only commits whose message has the trailer, at
    # the start of a line or indented (the commits a `git merge --squash` quotes), and the
    # reverts, which take a transition back.
    f"--grep=^[[:space:]]*{commits.TRAILER_TRANSITION}:",
    f"--grep=^{_REVERTS}",
    "--format=%H%x1f%cI%x1f%B%x1d",
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
    read = records(project.postmortem_dir, root=project.root, invalid=invalid)
    models = (
        model
        for _, model in once_per_id(read, invalid)
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
    """Transitions from `git log` output in the `LOG_ARGS` format, oldest commit first and
    in each commit in the order its message gives them.

    A transition is a paragraph of the message with one `Pmctl-Id` and one `from->to`
    `Pmctl-Transition` (paragraphs with anything else, a hand-written look-alike or several
    ids, are skipped), dated by the commit. A squash merge holds several: a forge's (GitHub)
    lists each commit's message, all dated by the merge; `git merge --squash` quotes each
    indented under its own `Date:`, which dates it. A commit's transitions that `git revert`
    took back did not happen; reverting that revert makes them again, at its own time.
    """
    made: dict[str, list[Transition]] = {}
    standing: dict[str, list[Transition]] = {}
    undoes: dict[str, str] = {}
    for record in reversed(output.split(_RECORD)):
        fields = record.strip().split(_FIELD)
        if len(fields) != 3:
            continue
        sha, date, message = fields
        committed = dt.datetime.fromisoformat(date)
        made[sha] = standing[sha] = list(_message_transitions(message, committed))
        reverted = _reverted(message)
        if reverted is None:
            continue
        undoes[sha] = reverted
        if standing.get(reverted):
            standing[reverted] = []
        elif reverted in undoes:  # a revert reverted: what it took back is done again
            again = made.get(undoes[reverted], [])
            standing[sha] = [replace(move, at=committed) for move in again]
    return [move for moves in standing.values() for move in moves]


def _reverted(message: str) -> str | None:
    """The commit that a `git revert` message says it reverts; None if it is not one."""
    found = _REVERTED.search(message)
    return found.group(1) if found else None


_SQUASHED = "Squashed commit of the following:"
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
"""What parts paragraphs: an empty line, or one of blanks (between quoted commits)."""
_ID = commits.TRAILER_ID.lower()
_MOVE = commits.TRAILER_TRANSITION.lower()


def _message_transitions(message: str, committed: dt.datetime) -> Iterator[Transition]:
    squashed = message.startswith(_SQUASHED)
    moment = committed
    for paragraph in _PARAGRAPHS.split(message):
        ids: list[str] = []
        moves: list[str] = []
        for line in paragraph.splitlines():
            key, colon, value = line.strip().partition(":")
            key = key.lower()  # (as git reads trailers)
            if not colon:
                continue
            if squashed and key == "date":
                moment = _git_date(value.strip()) or committed
            elif key == _ID:
                ids.append(value.strip())
            elif key == _MOVE:
                moves.append(value.strip())
        if len(ids) == 1 and len(moves) == 1 and "->" in moves[0]:
            source, _, target = moves[0].partition("->")
            yield Transition(ids[0], source.strip(), target.strip(), moment)


def _git_date(text: str) -> dt.datetime | None:
    """A date as `git merge --squash` writes it (git's default format,
    `Tue Feb 3 10:00:00 2026 +0000`); None if it is not one."""
    try:
        return dt.datetime.strptime(text, "%a %b %d %H:%M:%S %Y %z")
    except ValueError:
        return None
