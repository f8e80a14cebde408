"""Git, through the `git` binary.

Every query and change runs `git` itself (one short process each, from the repository's
root): importing GitPython alone costs 60-130 ms, more than all the git commands of a status
transition together. GitPython, imported lazily, only creates new repositories.

Commits go through the `git` binary, so the repository's hooks and commit signing apply,
and they name their paths (`git commit --only -- <paths>`), so whatever the user had staged
stays staged and is never swept into pmctl's commit.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pmctl.errors import GitError

LOCK_WAIT_SECONDS = 10.0
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}
_BRANCH_PREFIX = "refs/heads/"


@dataclass(frozen=True, slots=True)
class _Result:
    returncode: int
    stdout: str
    stderr: str


def _git(cwd: Path, *args: str) -> _Result:
    """Run `git args` in `cwd` with English messages (the hints read them) and no stdin.

    Output loses one trailing newline. On Ctrl-C the child, in the same process group, got
    the signal too: it is left to clean up its own lock files rather than killed.
    """
    return _Running(cwd, args, stdout=subprocess.PIPE).wait()


class _Running:
    """A started git command; `wait` for its result. Its output goes to `stdout`: a pipe,
    or a file for a command that should run on while this process does other work."""

    def __init__(self, cwd: Path, args: Sequence[str], *, stdout: int | IO[bytes]) -> None:
        env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
        self._stdout = stdout
        self._process = subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
        )

    def wait(self) -> _Result:
        stdout, stderr = self._process.communicate()
        if not isinstance(self._stdout, int):
            self._stdout.seek(0)
            stdout = self._stdout.read()
            self._stdout.close()
        return _Result(
            self._process.returncode,
            stdout.decode("utf-8", "replace").removesuffix("\n"),
            stderr.decode("utf-8", "replace").removesuffix("\n"),
        )


def _checked(args: Sequence[str], result: _Result) -> str:
    """The output of a git command that succeeded; `GitError` with a hint if it failed."""
    if result.returncode == 0:
        return result.stdout
    stderr = result.stderr.strip()
    raise GitError(
        f"git {args[0]} failed: {_last_line(stderr) or f'exit code {result.returncode}'}",
        hint=_hint_for(args[0], stderr),
    )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """See `Repository.snapshot`."""

    remote: str | None
    head: str | None
    changed: frozenset[str]


class Repository:
    """The git repository holding a pmctl project: its work tree `root` and its `git_dir`."""

    def __init__(self, root: Path, git_dir: Path) -> None:
        self.root = root.resolve()
        self.git_dir = git_dir.resolve()

    @classmethod
    def open(cls, path: Path) -> Repository:
        """The repository whose work tree contains `path` (searching parent directories)."""
        try:
            found = _git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir")
        except OSError:  # `path` does not exist or is not a directory
            found = None
        if found is None or found.returncode != 0:
            raise GitError(
                f"{path} is not inside a git repository",
                hint="run `git init` (or `pmctl init`, which does it for you)",
            )
        root, git_dir = found.stdout.splitlines()
        return cls(Path(root), Path(git_dir))

    @classmethod
    def init(cls, path: Path) -> Repository:
        import git

        repo = git.Repo.init(path)
        return cls(Path(repo.working_tree_dir or path), Path(repo.git_dir))

    def _run(self, *args: str) -> str:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        delay = 0.05
        while True:
            result = _git(self.root, *args)
            if "index.lock" in result.stderr and result.returncode and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            return _checked(args, result)

    # -- state checks ------------------------------------------------------------------

    def ensure_ready_to_commit(self, *, allow_detached: bool = False) -> None:
        """Refuse a repository in the middle of something, or without an identity."""
        for marker, what in _IN_PROGRESS.items():
            if (self.git_dir / marker).exists():
                raise GitError(
                    f"the repository is in the middle of {what}",
                    hint="finish or abort it first (e.g. `git merge --abort`, `git rebase --continue`)",
                )
        if not allow_detached and self.current_branch() is None:
            raise GitError(
                "HEAD is detached; pmctl commits on a branch",
                hint="check out a branch first (`git switch -c my-branch`)",
            )
        self.identity()

    def identity(self) -> tuple[str, str]:
        """(name, email) git will commit with; `GitError` with a hint when unset."""
        name = self.config("user.name")
        email = self.config("user.email")
        if not name or not email:
            raise GitError(
                "git does not know who you are (user.name / user.email unset)",
                hint='run `git config --global user.name "Your Name"` and `git config --global user.email you@example.com`',
            )
        return name, email

    def config(self, key: str) -> str | None:
        """The value of git config `key`; None when it is unset or empty."""
        result = _git(self.root, "config", "--get", key)
        return (result.stdout.strip() or None) if result.returncode == 0 else None

    def has_unstaged_changes(self, path: Path) -> bool:
        """True if the work-tree copy of `path` differs from what is staged."""
        return bool(self._run("diff", "--name-only", "--", self._rel(path)).strip())

    def has_staged_changes(self, path: Path) -> bool:
        """True if the index copy of `path` differs from HEAD (the user staged edits of it)."""
        if not self.has_commits():
            return False
        return bool(self._run("diff", "--cached", "--name-only", "--", self._rel(path)).strip())

    def is_tracked(self, path: Path) -> bool:
        return bool(self._run("ls-files", "--", self._rel(path)).strip())

    def has_commits(self) -> bool:
        return _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD").returncode == 0

    def current_branch(self) -> str | None:
        """The checked-out branch's name; None on a detached HEAD."""
        head = _git(self.root, "symbolic-ref", "--quiet", "HEAD")
        if head.returncode != 0 or not head.stdout.startswith(_BRANCH_PREFIX):
            return None
        return head.stdout.removeprefix(_BRANCH_PREFIX)

    # -- changes ---------------------------------------------------------------------

    def commit(self, paths: Sequence[Path], message: str) -> str:
        """Commit exactly `paths` (staging them first); return the new commit's sha.

        Other staged changes stay staged and out of this commit.
        """
        relative = [self._rel(path) for path in paths]
        # `commit --only` takes tracked paths from the work tree itself; only new files need
        # `git add`, which rewrites the whole index (~10 ms with 10,000 files).
        tracked = set(self._run("ls-files", "-z", "--", *relative).split("\0"))
        new = [path for path in relative if path not in tracked]
        if new:
            self._run("add", "--", *new)
        self._run("commit", "--quiet", "--only", "-m", message, "--", *relative)
        return self._run("rev-parse", "HEAD").strip()

    def unstage_new(self, paths: Sequence[Path]) -> None:
        """Forget paths pmctl staged for a commit that then failed (they were new files)."""
        relative = [self._rel(path) for path in paths]
        self._run("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *relative)

    def restore_index(self, paths: Sequence[Path]) -> None:
        """Reset the index entries of `paths` to HEAD after a failed commit."""
        if self.has_commits():
            self._run("reset", "--quiet", "HEAD", "--", *(self._rel(p) for p in paths))
        else:
            self.unstage_new(paths)

    def push(self, remote: str) -> None:
        branch = self.current_branch()
        if branch is None:
            raise GitError("cannot push from a detached HEAD", hint="check out a branch first")
        self._run("push", "--quiet", remote, f"HEAD:refs/heads/{branch}")

    def log(self, *args: str) -> str:
        """Raw `git log` output, for metrics computed from commit trailers."""
        return self.start_log(*args)()

    def start_log(self, *args: str) -> Callable[[], str]:
        """Start `git log args` now, to run while this process does other work; call the
        result for the output (as `log` gives it) once it is needed.

        The output goes to a temporary file, so git never waits for this process to read.
        """
        import tempfile

        command = ("log", *args)
        running = _Running(self.root, command, stdout=tempfile.TemporaryFile())  # noqa: SIM115 (`wait` closes it)
        return lambda: _checked(command, running.wait())

    def snapshot(self) -> Snapshot:
        """Where this repository's files come from: its `origin` remote's URL, the commit
        HEAD points at, and the paths (relative, `/`-separated) whose work-tree copy is not
        that commit's (changed or untracked), which the commit cannot vouch for."""
        remote = _git(self.root, "config", "--get", "remote.origin.url")
        head = _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD")
        status = self._run(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"
        )
        return Snapshot(
            (remote.stdout.strip() or None) if remote.returncode == 0 else None,
            (head.stdout.strip() or None) if head.returncode == 0 else None,
            frozenset(entry[3:] for entry in status.split("\0") if len(entry) > 3),
        )

    def _rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()


def _last_line(text: str) -> str:
    """The line of git's stderr worth showing: its last `error:`/`fatal:` line, else its last."""
    lines = [line.strip().removeprefix("stderr: ").strip("'") for line in text.splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if line.lower().startswith(("error", "fatal"))]
    return (errors or lines or [""])[-1]


def _hint_for(command: str, stderr: str) -> str:
    lowered = stderr.lower()
    if "index.lock" in lowered:
        return "another git process is running; wait for it, or remove .git/index.lock if none is"
    if "rejected" in lowered or "non-fast-forward" in lowered or "fetch first" in lowered:
        return "the remote has new commits: `git pull --rebase`, then push again (your commit is kept locally)"
    if "gpg" in lowered or "sign" in lowered:
        return "commit signing failed; check your signing key or `commit.gpgsign`"
    if command == "commit" or "hook" in lowered:
        return "a git hook (pre-commit, commit-msg) refused the commit; fix what it reports and run the command again"
    return "run the git command by hand to see the full message"
