"""Git, through the `git` binary.

Every query and change runs `git` itself (one short process each, from the repository's
root): importing GitPython alone costs 60-130 ms, more than all the git commands of a status
transition together.

Commits go through the `git` binary, so the repository's hooks and commit signing apply,
and they name their paths (`git commit --only -- <paths>`), so whatever the user had staged
stays staged and is never swept into pmctl's commit.

The repository is the one holding the project, found from its directory: variables that a
calling git hook exports to point git elsewhere (`GIT_DIR`, `GIT_INDEX_FILE`, ...) are not
passed on, as git itself does when it works in another repository. `-c` settings
(`GIT_CONFIG_PARAMETERS`) and identity variables are.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pmctl.errors import GitError

INDEX_LOCK_WAIT_SECONDS = 1.0
"""How long a command waits for another git process's `index.lock` before saying so: an
editor's `git status` holds it for milliseconds, a crashed git forever."""

_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_SHALLOW_FILE",
    "GIT_GRAFT_FILE",
    "GIT_QUARANTINE_PATH",
)
"""`git rev-parse --local-env-vars` less the config ones: they tie git to one repository."""
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}
_BRANCH_PREFIX = "refs/heads/"
_SYMBOLIC_HEAD = ("symbolic-ref", "--quiet", "HEAD")
_IDENTITIES = (("var", "GIT_COMMITTER_IDENT"), ("var", "GIT_AUTHOR_IDENT"))
"""The committer's and the author's identity, as `git commit` will resolve them."""


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


def _git_all(cwd: Path, *commands: Sequence[str]) -> list[_Result]:
    """Run independent git queries at once; their results in order. Each git process spends
    most of its ~3-5 ms starting up: three at once on two cores take about the time of one."""
    running = [_Running(cwd, args, stdout=subprocess.PIPE) for args in commands]
    return [command.wait() for command in running]


class _Running:
    """A started git command; `wait` for its result. Its output goes to `stdout`: a pipe,
    or a file for a command that should run on while this process does other work."""

    def __init__(self, cwd: Path, args: Sequence[str], *, stdout: int | IO[bytes]) -> None:
        env = {
            name: value for name, value in os.environ.items() if name not in _REPOSITORY_VARIABLES
        }
        env.update(LANGUAGE="C", LC_ALL="C")
        self._stdout = stdout
        try:
            self._process = subprocess.Popen(
                # As UTF-8, as git keeps commit messages, rather than in the locale's encoding:
                # in an ASCII locale a Japanese title in a commit message raised (exit 70).
                # (`surrogateescape`: a file name read from the disk goes back as its bytes.)
                [b"git", *(arg.encode("utf-8", "surrogateescape") for arg in args)],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError as error:
            if error.filename != b"git":  # (else `cwd` is missing)
                raise
            # Not "not inside a git repository", whose hint, `git init`, cannot run either.
            raise GitError(
                "git is not installed, or not on the PATH",
                hint="install git: pmctl keeps postmortems in a git repository",
            ) from None

    def wait(self) -> _Result:
        stdout, stderr = self._process.communicate()
        if not isinstance(self._stdout, int):
            self._stdout.seek(0)
            stdout = self._stdout.read()
            self._stdout.close()
        return _Result(
            self._process.returncode,
            # (a path that is not UTF-8, a repository's own among them, as its bytes: with
            # "replace" it named no directory, and every later git call failed)
            stdout.decode("utf-8", "surrogateescape").removesuffix("\n"),
            stderr.decode("utf-8", "replace").removesuffix("\n"),
        )


def _checked(args: Sequence[str], result: _Result) -> str:
    """The output of a git command that succeeded; `GitError` saying why if it failed."""
    if result.returncode == 0:
        return result.stdout
    raise failure(args[0], result)


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
        # Seconds this command has slept waiting for another git's `index.lock`: the wait is
        # bounded for the command, not for each git call, or one whose calls all meet a stale
        # lock (`pmctl new`: add, commit, then undoing the add) would wait for each in turn.
        self._lock_waited = 0.0

    @classmethod
    def open(cls, path: Path) -> Repository:
        """The repository whose work tree contains `path` (searching parent directories)."""
        repository = cls.find(path)
        if repository is None and os.environ.get("GIT_DIR"):
            # (`git init` here would make a second repository beside the one meant)
            raise GitError(
                f"{path} is not inside a git repository of its own; pmctl does not follow "
                f"GIT_DIR ({os.environ['GIT_DIR']}), which a calling git hook sets for its "
                "repository",
                hint="work in a checkout with its own .git (`git clone`, `git worktree add`, "
                "or `git init --separate-git-dir`, which leaves a .git file)",
            )
        if repository is None:
            raise GitError(
                f"{path} is not inside a git repository",
                hint="run `git init` (or `pmctl init`, which does it for you)",
            )
        return repository

    @classmethod
    def find(cls, path: Path) -> Repository | None:
        """The repository whose work tree contains `path`; None if there is none, and
        `GitError` if there is one that git refuses to work in: one owned by another user
        (a CI container running as root in a checkout of the runner's), which was said to
        be no repository at all, and `pmctl init` then ran `git init` over it."""
        try:
            found = _git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir")
        except (FileNotFoundError, NotADirectoryError):  # `path` is no directory
            return None
        if found.returncode == 0:
            root, git_dir = found.stdout.splitlines()
            return cls(Path(root), Path(git_dir))
        dubious = re.search(r"dubious ownership in repository at '([^']*)'", found.stderr)
        if dubious:
            import shlex

            raise GitError(
                f"git refuses to work in {dubious[1]}: it is owned by another user "
                "(dubious ownership)",
                hint="if you trust it, run `git config --global --add safe.directory "
                f"{shlex.quote(dubious[1])}` (in CI: the checkout's owner is not the job's "
                "user)",
            )
        return None

    @classmethod
    def init(cls, path: Path) -> Repository:
        """A new repository at `path`; `GitError` if `path` is inside a git directory (a bare
        repository, or a `.git`), where git would nest one repository in another's files."""
        found = _git(path, "rev-parse", "--is-inside-git-dir", "--is-bare-repository")
        if found.returncode == 0 and found.stdout.startswith("true"):
            git_dir = _git(path, "rev-parse", "--absolute-git-dir").stdout
            bare = found.stdout.endswith("true")
            if bare:
                raise GitError(
                    f"{path} is inside the bare repository {git_dir}, which has no work tree",
                    hint=f"clone it (`git clone {git_dir} postmortems`); run `pmctl init` there",
                )
            raise GitError(
                f"{path} is inside {git_dir}, git's own directory",
                hint="run `pmctl init` in the work tree, outside .git",
            )
        # git itself, without the variables that tie it to another repository: GitPython's
        # `Repo.init` passed `GIT_DIR` on, and `git init` then initialised that one.
        _checked(("init",), _git(path, "init", "--quiet"))
        return cls.open(path)

    def _run(self, *args: str) -> str:
        delay = 0.05
        while True:
            result = _git(self.root, *args)
            locked = "index.lock" in result.stderr and result.returncode
            if locked and self._lock_waited < INDEX_LOCK_WAIT_SECONDS:
                time.sleep(delay)
                self._lock_waited += delay
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
        head, *identity = _git_all(self.root, _SYMBOLIC_HEAD, *_IDENTITIES)
        if not allow_detached and _branch(head) is None:
            raise GitError(
                "HEAD is detached; pmctl commits on a branch",
                hint="check out a branch first (`git switch -c my-branch`)",
            )
        _identity(identity)

    def identity(self) -> tuple[str, str]:
        """(name, email) of the author git will record, resolved exactly as `git commit`
        resolves it (`GIT_AUTHOR_*`, `-c user.name=...`, config, `EMAIL`); `GitError` when
        git cannot tell who is committing (the committer is checked too)."""
        return _identity(_git_all(self.root, *_IDENTITIES))

    def has_changes(self, path: Path) -> bool:
        """True if `path` has edits of the user's own, staged or not: its work-tree copy
        differs from the index, or its index copy from HEAD (git is asked both at once)."""
        relative = self.relative(path)
        unstaged, head, staged = (
            ("diff", "--name-only", "--", relative),
            ("rev-parse", "--verify", "--quiet", "HEAD"),
            ("diff", "--cached", "--name-only", "--", relative),
        )
        results = _git_all(self.root, unstaged, head, staged)
        if bool(_checked(unstaged, results[0]).strip()):
            return True
        if results[1].returncode != 0:  # no commits yet: nothing is staged against HEAD
            return False
        return bool(_checked(staged, results[2]).strip())

    def committed_as_is(self, paths: Sequence[Path]) -> set[Path]:
        """Those of `paths` that HEAD holds exactly as the work tree has them (tracked, no
        edits staged or not): committing them again would commit nothing."""
        if not self.has_commits():
            return set()
        relative = {self.relative(path): path for path in paths}
        tracked = set(self._run("ls-files", "-z", "--", *relative).split("\0"))
        status = self._run("status", "--porcelain", "-z", "--", *relative)
        changed = {entry[3:] for entry in status.split("\0") if entry}
        return {path for name, path in relative.items() if name in tracked - changed}

    def committed_files(self, directory: Path) -> frozenset[str]:
        """The files under `directory` that HEAD holds (relative to the root,
        `/`-separated); none before the first commit."""
        if not self.has_commits():
            return frozenset()
        listed = self._run(
            "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", self.relative(directory)
        )
        return frozenset(name for name in listed.split("\0") if name)

    def is_shallow(self) -> bool:
        """True in a shallow clone (`git clone --depth`, CI's default checkout): its history
        stops short. Read from the `shallow` file git keeps, without starting git."""
        common = self.git_dir
        with contextlib.suppress(OSError):  # a linked worktree's: its `commondir` names it
            common = (self.git_dir / (self.git_dir / "commondir").read_text().strip()).resolve()
        return (common / "shallow").is_file()

    def has_commits(self) -> bool:
        return self.head() is not None

    def head(self) -> str | None:
        """The sha HEAD points at; None before the first commit."""
        result = _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD")
        return result.stdout.strip() if result.returncode == 0 else None

    def ensure_remote(self, remote: str) -> None:
        """Refuse to go on (`GitError`) when `remote` is neither one of this repository's
        remotes nor a URL or path, which `git push` takes as they are: checked before a
        commit that is to be pushed, so that the commit is not made only to stay local."""
        if "/" in remote or ":" in remote:
            return
        remotes = self._run("remote").split()
        if remote not in remotes:
            has = f"its remotes are {', '.join(remotes)}" if remotes else "it has no remote"
            raise GitError(
                f"`remote` in pmctl.toml is {remote!r}, which this repository does not have "
                f"({has}); nothing was changed",
                hint=f"set `remote` in pmctl.toml to one of `git remote -v`, or add it "
                f"(`git remote add {remote} URL`); or leave out --push",
            )

    def hook_file(self, name: str) -> tuple[Path, bool]:
        """The file git runs as its hook `name` (`pre-commit`), and whether `core.hooksPath`
        chose its directory (where `pre-commit install` refuses to install)."""
        path, hooks_path = _git_all(
            self.root,
            ("rev-parse", "--git-path", f"hooks/{name}"),
            ("config", "--get", "core.hooksPath"),
        )
        return self.root / _checked(("rev-parse",), path), hooks_path.returncode == 0

    def current_branch(self) -> str | None:
        """The checked-out branch's name; None on a detached HEAD."""
        return _branch(_git(self.root, *_SYMBOLIC_HEAD))

    # -- changes ---------------------------------------------------------------------

    def commit(self, paths: Sequence[Path], message: str) -> str:
        """Commit exactly `paths` (staging them first); return the new commit's sha.

        Other staged changes stay staged and out of this commit.
        """
        relative = [self.relative(path) for path in paths]
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
        relative = [self.relative(path) for path in paths]
        self._run("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *relative)

    def push(self, remote: str) -> str:
        """Push the current branch to the branch of the same name on `remote`; its name."""
        branch = self.current_branch()
        if branch is None:
            raise GitError("cannot push from a detached HEAD", hint="check out a branch first")
        result = _git(self.root, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
        if result.returncode != 0:
            raise _push_failure(result, remote, branch)
        return branch

    def start_log(self, *args: str) -> Callable[[], str]:
        """Start `git log args` now, to run while this process does other work; call the
        result for its output (less one trailing newline) once it is needed.

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

    def relative(self, path: Path) -> str:
        """`path` relative to the work tree's root, `/`-separated, as git names it."""
        return path.resolve().relative_to(self.root).as_posix()


def _branch(head: _Result) -> str | None:
    """The branch `git symbolic-ref --quiet HEAD` names; None on a detached HEAD."""
    if head.returncode != 0 or not head.stdout.startswith(_BRANCH_PREFIX):
        return None
    return head.stdout.removeprefix(_BRANCH_PREFIX)


def _identity(results: Sequence[_Result]) -> tuple[str, str]:
    """(name, email) from the results of `_IDENTITIES`; `GitError` if git could not tell."""
    for variable, result in zip(("GIT_COMMITTER_IDENT", "GIT_AUTHOR_IDENT"), results, strict=True):
        if result.returncode != 0:
            raise GitError(
                f"git does not know who you are: {_last_line(result.stderr) or variable}",
                hint='run `git config --global user.name "Your Name"` and '
                "`git config --global user.email you@example.com`, or set "
                "GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL and GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL",
            )
    name, _, rest = results[-1].stdout.partition(" <")
    return name.strip(), rest.partition(">")[0]


def _last_line(text: str) -> str:
    """The line of git's stderr worth showing: its last `error:`/`fatal:` line, else its last."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("hint:")]
    errors = [line for line in lines if line.lower().startswith(("error", "fatal"))]
    return (errors or lines or [""])[-1]


def _push_failure(result: _Result, remote: str, branch: str) -> GitError:
    """Why `git push remote HEAD:branch` failed, with the commands that finish the job:
    named in full, since the branch may have no upstream for a bare `git pull` or `git push`
    to use."""
    push_again = f"`git push {remote} {branch}`"
    lowered = result.stderr.lower()
    if "rejected" in lowered or "non-fast-forward" in lowered or "fetch first" in lowered:
        return GitError(
            f"the remote's {branch} has commits that this clone does not have (someone "
            "pushed first)",
            hint=f"`git pull --rebase {remote} {branch}`, then "
            f"{push_again} (your commit is kept locally)",
        )
    # git's first line says what is wrong ("'x' does not appear to be a git repository");
    # its last one is the same for every cause ("Could not read from remote repository.").
    errors = [line for line in result.stderr.splitlines() if line.startswith(("fatal", "error"))]
    reason = errors[0] if errors else _last_line(result.stderr) or f"exit code {result.returncode}"
    return GitError(
        f"git push failed: {reason}",
        hint=f"check that {remote!r} can be reached and pushed to (`git remote get-url "
        f"{remote}`), then {push_again} (your commit is kept locally)",
    )


def failure(command: str, result: _Result) -> GitError:
    """The error for a failed git command: git's own reason, and a hint only where the
    cause is certain. A refused commit carries what its hooks printed as `details`."""
    output = "\n".join(part for part in (result.stdout, result.stderr) if part.strip())
    lowered = result.stderr.lower()
    reason = _last_line(result.stderr) or f"exit code {result.returncode}"
    lock = re.search(r"unable to create '([^']*index\.lock)'", result.stderr, re.IGNORECASE)
    if lock:
        return GitError(
            f"git's index is locked: {lock[1]} exists",
            hint="another git process is running; wait for it, or delete that file if none is",
        )
    if "failed to sign" in lowered or "gpg failed" in lowered or "signing failed" in lowered:
        return GitError(
            f"signing the commit failed: {reason}",
            hint="check your signing key (`user.signingkey`, `gpg.format`) or `commit.gpgsign`",
        )
    if "insufficient permission for adding an object" in lowered:
        return GitError(
            f"git cannot write to the object store: {reason}",
            hint="the repository's .git/objects is not writable by you; check its permissions",
        )
    submodule = re.search(r"Pathspec '([^']*)' is in submodule '([^']*)'", result.stderr)
    if submodule:
        return GitError(
            f"{submodule[1]} is in the submodule {submodule[2]}, a repository of its own: "
            "pmctl commits in the repository that holds pmctl.toml; nothing was changed",
            hint=f"keep the postmortems and pmctl.toml together: set up pmctl in the "
            f"submodule (`pmctl init {submodule[2]}`), or set postmortem_dir outside it",
        )
    ignored = re.search(r"ignored by one of your \.gitignore files:\n(.*)", result.stderr)
    if ignored:
        return GitError(
            f"git ignores {ignored[1]} (a .gitignore rule), so pmctl cannot commit its file "
            "there; nothing was changed",
            hint=f"`git check-ignore -v {ignored[1]}` names the rule; remove it: "
            "postmortems are kept in git",
        )
    if "sparse-checkout" in lowered:
        return GitError(f"git {command} failed: {reason}", hint=_SPARSE_HINT)
    if "rejected" in lowered or "non-fast-forward" in lowered or "fetch first" in lowered:
        return GitError(
            f"git {command} failed: {reason}",
            hint="the remote has new commits: `git pull --rebase`, then push again "
            "(your commit is kept locally)",
        )
    if command == "commit" and re.search(r"^nothing( added)? to commit", output, re.MULTILINE):
        return GitError(
            "nothing to commit: HEAD already holds the files as pmctl would write them",
            hint="nothing was changed; edits not yet committed were left as they were "
            "(`git diff` shows them)",
        )
    if command == "commit" and not re.search(r"^(fatal|error):", result.stderr, re.MULTILINE):
        # git itself says nothing when a hook exits non-zero: all the output is the hook's.
        return GitError(
            "a git hook refused the commit",
            hint="fix what the hook reported above and run the command again",
            details=output,
        )
    return GitError(
        f"git {command} failed: {reason}", details=output if command == "commit" else ""
    )


_SPARSE_HINT = (
    "the file is outside the sparse-checkout cone; add its directory with "
    "`git sparse-checkout add DIR`"
)
