"""Every console example in the documentation is what pmctl prints.

Each ```` ```console ```` block of `README.md` and `docs/` is run, command by command, in a
fresh sandbox, and what each command prints (stdout and stderr, as a terminal shows them)
is compared with the lines under it. A comment on the line before the fence picks the
sandbox:

- `<!-- console: example -->` (the default): a git repository holding a copy of
  `examples/shakespeare/`, as `pmctl init` and a first commit leave it;
- `<!-- console: draft -->`: the same, plus a committed draft `2026-11-20-checkout-latency`;
- `<!-- console: page -->`: every such block of the page runs in one example sandbox, in
  order, so that a page can tell a story (add an item, then list it); `page adopting` and
  the like give such a story another sandbox;
- `<!-- console: adopting -->`: a new `pmctl init` repository beside `../old-postmortems`,
  a git repository holding `tests/fixtures/legacy/markdown/`;
- `<!-- console: corpus -->`: 60 generated postmortems (`bench/gen_corpus.py --shape small
  --seed 0`) with their lifecycle in git history (`bench/gen_history.py`), for the pages
  whose numbers need more than two postmortems;
- `<!-- console: empty -->`: an empty directory, not a git repository.

Whatever the sandbox, its directory is shown as `/tmp/postmortems-repo`, and commands run
in it: a plain `pmctl ...` line by pmctl's `main(argv)` in this process, with the sandbox's
environment, anything else in bash (the real entry point is run by `tests/test_cli.py` and
the install tests).
- `<!-- console: not run: REASON -->`: a block that cannot run here (it installs software,
  needs a network or a corpus of 10,000 postmortems); the reason is required.

A list of command forms with no output is not a console session: write it as `shell`.

Today is 2026-11-23 (`PMCTL_TODAY`), commits have fixed dates and a fixed identity, and
output is not coloured. In the expected lines, `...` stands for any number of lines, and a
commit sha is any other (ten or forty hex digits). A command with no lines under it must simply succeed.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXED_DATE, TODAY

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLE = ROOT / "examples" / "shakespeare"
LEGACY = ROOT / "tests" / "fixtures" / "legacy" / "markdown"
BIN = Path(sys.executable).parent

_BLOCK = re.compile(
    r"(?:<!-- console: (?P<sandbox>[^>]*?) -->\n)?```console\n(?P<body>.*?)```", re.S
)
_SHA = re.compile(r"\b[0-9a-f]{10}(?:[0-9a-f]{30})?\b")


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    document: Path
    line: int
    sandbox: str
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def _steps(body: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    command: list[str] | None = None
    expected: list[str] = []
    continued = False
    for line in body.rstrip("\n").split("\n"):
        if continued and command is not None:
            command.append(line)
            continued = line.endswith("\\")
        elif line.startswith("$ "):
            if command is not None:
                steps.append(Step("\n".join(command), tuple(expected)))
            command, expected = [line[2:]], []
            continued = line.endswith("\\")
        elif command is not None:
            expected.append(line)
    if command is not None:
        steps.append(Step("\n".join(command), tuple(expected)))
    return tuple(steps)


def blocks() -> list[Block]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("body"))
            found.append(
                Block(document, line, match["sandbox"] or "example", _steps(match["body"]))
            )
    return found


BLOCKS = blocks()


def test_every_block_that_is_not_run_says_why() -> None:
    unexplained = [
        block.name
        for block in BLOCKS
        if block.sandbox.startswith("not run")
        and not block.sandbox.removeprefix("not run:").strip()
    ]
    assert unexplained == []


def _sandbox(kind: str, base: Path) -> tuple[Path, dict[str, str]]:
    """A fresh sandbox of `kind` in `base`: a copy of the one this worker built first (a
    corpus with its history takes seconds to make; a copy, milliseconds)."""
    if kind not in _BUILT:
        _BUILT[kind] = Path(tempfile.mkdtemp(prefix=f"pmctl-docs-{kind}-"))
        _build_sandbox(kind, _BUILT[kind])
        atexit.register(shutil.rmtree, _BUILT[kind], ignore_errors=True)
    shutil.copytree(_BUILT[kind], base, symlinks=True, dirs_exist_ok=True)
    return base / "postmortems-repo", _environment(base)


_BUILT: dict[str, Path] = {}


def _environment(base: Path) -> dict[str, str]:
    home = base / "home"
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": FIXED_DATE,
        "GIT_COMMITTER_DATE": FIXED_DATE,
        "PMCTL_TODAY": TODAY,
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "LANG": "C.UTF-8",
        # Output in the order a terminal shows it: stdout is not held back behind stderr.
        "PYTHONUNBUFFERED": "1",
    }


def _build_sandbox(kind: str, base: Path) -> None:
    home = base / "home"
    home.mkdir()
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = jennifer\n\temail = jennifer@example.com\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    env = _environment(base)
    work = base / "postmortems-repo"
    if kind == "empty":
        work.mkdir()
        return
    if kind == "corpus":
        for script, *arguments in (
            ("gen_corpus.py", "--count", "60", "--shape", "small", "--seed", "0"),
            ("gen_history.py", "--commits", "400"),
        ):
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / script), str(work), *arguments],
                env=env,
                check=True,
                capture_output=True,
            )
        return
    if kind == "adopting":
        shutil.copytree(LEGACY, base / "old-postmortems")
        _commit_all(base / "old-postmortems", env)
        work.mkdir()
        _ready(_in_process(["init"], work, env))
        return
    shutil.copytree(EXAMPLE, work)
    _commit_all(work, env)
    if kind == "draft":
        argv = [
            *("new", "--title", "Checkout latency", "--severity", "SEV2", "--owner", "alice"),
            *("--services", "checkout", "--no-input", "--started", "2026-11-20T10:00:00+00:00"),
        ]
        _ready(_in_process(argv, work, env))


def _ready(result: tuple[int, str]) -> None:
    code, printed = result
    assert code == 0, printed


def _commit_all(directory: Path, env: dict[str, str]) -> None:
    for command in (
        ["git", "init", "--quiet"],
        ["git", "add", "--all"],
        ["git", "commit", "--quiet", "-m", "What was there before"],
    ):
        subprocess.run(command, cwd=directory, env=env, check=True)


def _run(steps: tuple[Step, ...], cwd: Path, env: dict[str, str]) -> list[tuple[int, list[str]]]:
    """(exit status, lines printed) of each step, run in order as a reader would type them.

    A plain `pmctl ...` command runs in this process (`main(argv)`, stdout and stderr into
    one buffer, as a terminal interleaves them): a new process per command cost 0.3-0.6 s
    of CPU, two thirds of this file's 30 CPU-s, in imports alone. Anything else (pipes,
    redirections, `$?`, `git`, `sed`) runs in bash, which sees the previous step's status.
    """
    found = []
    status = 0
    for step in steps:
        argv = _pmctl_argv(step.command)
        if argv is None:
            status, output = _shell(step.command, status, cwd, env)
        else:
            status, output = _in_process(argv, cwd, env)
        lines = (
            [line.rstrip() for line in output.rstrip("\n").split("\n")] if output.strip() else []
        )
        found.append((status, lines))
    return found


_SHELL_SYNTAX = re.compile(r"[|&;<>()$`*?~\[\]{}!]")


def _pmctl_argv(command: str) -> list[str] | None:
    """The arguments of a plain `pmctl` command line; None for anything the shell must run."""
    line = command.replace("\\\n", " ")
    if "\n" in line or _SHELL_SYNTAX.search(line):
        return None
    words = shlex.split(line, comments=True)
    return words[1:] if words and words[0] == "pmctl" else None


def _shell(command: str, status: int, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """`command` in bash, after a step that exited with `status` (for `echo $?`)."""
    result = subprocess.run(
        ["bash", "-c", f"(exit {status})\n{command} 2>&1"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout


def _in_process(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """`pmctl argv` run by `main(argv)` in `cwd` with exactly `env`, without a terminal."""
    from pmctl.cli.app import main

    saved_env, saved_cwd, saved_stdin = dict(os.environ), Path.cwd(), sys.stdin
    printed = io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                main(argv)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return code, printed.getvalue()


def _matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Whether `actual` is `expected`, where an expected `...` line stands for any lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(_matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


SHOWN_BASE = "/tmp"
"""Where the docs say the sandbox is: its directory is shown as /tmp/postmortems-repo."""


def _normal(line: str, root: Path) -> str:
    return _SHA.sub("<sha>", line.rstrip().replace(str(root.parent), SHOWN_BASE))


def _groups() -> list[tuple[str, str, tuple[Block, ...]]]:
    """(name, sandbox, blocks) to run: a page's `page` blocks together, others alone."""
    groups: dict[str, tuple[str, str, tuple[Block, ...]]] = {}
    for block in BLOCKS:
        if block.sandbox.startswith("not run"):
            continue
        if block.sandbox.split()[0] == "page":
            name = f"{block.document.relative_to(ROOT)}:page"
            kind = block.sandbox.removeprefix("page").strip() or "example"
            _, _, earlier = groups.get(name, (name, kind, ()))
            groups[name] = (name, kind, (*earlier, block))
        else:
            groups[block.name] = (block.name, block.sandbox, (block,))
    return list(groups.values())


@pytest.mark.parametrize(
    ("name", "sandbox", "group"),
    _groups(),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_console_example_is_what_pmctl_prints(
    name: str, sandbox: str, group: tuple[Block, ...], tmp_path: Path
) -> None:
    work, env = _sandbox(sandbox, tmp_path)
    steps = [(block, step) for block in group for step in block.steps]
    outputs = _run(tuple(step for _, step in steps), work, env)
    assert len(outputs) == len(steps), outputs
    for (block, step), (status, printed) in zip(steps, outputs, strict=True):
        actual = [_normal(line, work) for line in printed]
        if not step.expected:
            assert status == 0, f"{block.name}: `{step.command}` failed:\n" + "\n".join(actual)
            continue
        expected = tuple(_normal(line, work) for line in step.expected)
        assert _matches(expected, actual), f"{block.name}: `{step.command}` printed:\n" + "\n".join(
            actual
        )
