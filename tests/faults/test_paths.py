"""Nothing is written outside the repository: not through `postmortem_dir`, not through a
symbolic link, not into a bare repository, and a failed `pmctl new` leaves nothing behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pmctl.adapters import git as git_adapter
from pmctl.adapters.config_file import load_project
from pmctl.domain.project import Project
from pmctl.errors import ConfigError
from tests.conftest import git, run_cli, run_process
from tests.faults.helpers import ADD, clean

NEW = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "alice", "--no-input")
ID = "2026-11-23-checkout-latency"


def set_postmortem_dir(root: Path, value: str) -> int:
    """Write `postmortem_dir = value` into pmctl.toml; the line it is on."""
    config = root / "pmctl.toml"
    lines = config.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("postmortem_dir"))
    lines[number] = f"postmortem_dir = {value}"
    config.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


@pytest.mark.parametrize(
    "value",
    ['"/etc"', '"../outside"', '"postmortems/../../outside"', '".git"', '".git/postmortems"'],
)
def test_a_postmortem_dir_outside_the_work_tree_is_a_config_error_at_its_line(
    repo: Project, value: str
) -> None:
    line = set_postmortem_dir(repo.root, value)
    with pytest.raises(ConfigError) as raised:
        load_project(repo.root)
    assert raised.value.exit_code == 3
    assert raised.value.location == f"{repo.root / 'pmctl.toml'}:{line}"
    assert "postmortem_dir" in raised.value.message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('""', "is blank"),
        ('" "', "is blank"),
        ('"."', "is the repository's root"),
        ('"postmortems/.."', "is the repository's root"),
        (f'"{"x" * 300}"', "cannot be a directory: File name too long"),
    ],
)
def test_a_postmortem_dir_that_is_blank_or_the_root_is_a_config_error_at_its_line(
    repo: Project, value: str, reason: str
) -> None:
    """`"."` made lint read every Markdown file as a postmortem (pmctl's own INDEX.md failed
    it); `" "` silently found no postmortems (`lint`: "0 files checked, no problems"); a
    name longer than the file system allows made `new` exit 70."""
    line = set_postmortem_dir(repo.root, value)
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"pmctl.toml:{line}: postmortem_dir {value[1:-1]!r} {reason}" in result.stderr


@pytest.mark.parametrize("value", ['"pmctl.toml"', '"pmctl.toml/postmortems"'])
def test_a_postmortem_dir_that_is_a_file_is_a_config_error_at_its_line(
    repo: Project, value: str
) -> None:
    line = set_postmortem_dir(repo.root, value)
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 3, result.stderr
    assert f"pmctl.toml:{line}: postmortem_dir {value[1:-1]!r} is not a directory" in (
        result.stderr
    )
    assert "pmctl.toml is a file" in result.stderr


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ('"~/postmortems"', "starts with ~, which is not expanded: '~' would be a directory in "
         "the repository"),
        ('"$HOME/postmortems"', "holds $HOME, which is not expanded"),
        ('"${POSTMORTEMS}"', "holds ${POSTMORTEMS}, which is not expanded"),
        ("'docs\\postmortems'", "holds a backslash, which is no separator: write "
         "'docs/postmortems'"),
    ],
)  # fmt: skip
def test_a_postmortem_dir_written_as_for_a_shell_is_a_config_error_at_its_line(
    repo: Project, value: str, reason: str
) -> None:
    """`"~/postmortems"` made a directory named `~` in the repository (`rm -rf ~` would then
    empty the home directory), `"docs\\postmortems"` one named with the backslash in it."""
    line = set_postmortem_dir(repo.root, value)
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"pmctl.toml:{line}: postmortem_dir {value[1:-1]!r} {reason}" in result.stderr
    assert sorted(path.name for path in repo.root.iterdir()) == sorted(
        [".git", ".gitignore", ".pre-commit-config.yaml", "pmctl.toml", "postmortems"]
    )


def test_new_with_an_absolute_postmortem_dir_elsewhere_writes_nothing_there(
    repo: Project, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    line = set_postmortem_dir(repo.root, f'"{elsewhere}"')
    git(repo.root, "commit", "--quiet", "-am", "point postmortem_dir elsewhere")
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 3, result.stderr
    assert f"pmctl.toml:{line}: postmortem_dir" in result.stderr
    assert f"leads to {elsewhere}, outside {repo.root}" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_postmortem_dir_that_links_out_of_the_repository_is_a_config_error(
    repo: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / "postmortems" / ".gitkeep").unlink()
    (repo.root / "postmortems").rmdir()
    (repo.root / "postmortems").symlink_to(outside)
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 3, result.stderr
    assert "through a symbolic link" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_year_directory_that_links_outside_gets_no_new_postmortem(
    repo: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / "postmortems" / "2026").symlink_to(outside)
    head = git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 6, result.stderr
    assert f"leads to {outside / '2026-11-23-disk-full.md'}" in result.stderr
    assert "symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    assert git(repo.root, "rev-parse", "HEAD") == head


@pytest.mark.parametrize(
    "command",
    [
        ("status", ID, "in-review"),
        ("action", "add", ID, *ADD),
        ("review", ID, "--approve", "--reviewer", "carol"),
    ],
    ids=["status", "action add", "review"],
)
def test_a_postmortem_that_links_outside_is_refused_by_every_mutation(
    repo: Project, postmortem: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    target = tmp_path / "outside.md"
    postmortem.rename(target)
    postmortem.symlink_to(target)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "--quiet", "-m", "a postmortem kept elsewhere")
    before = target.read_bytes(), git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *command)
    assert result.returncode == 6, result.stderr
    assert f"leads to {target}" in result.stderr
    assert (target.read_bytes(), git(repo.root, "rev-parse", "HEAD")) == before
    assert postmortem.is_symlink()
    assert clean(repo.root)


SECRET = "Secret notes kept elsewhere"


@pytest.fixture
def linked_out(repo: Project, postmortem: Path, tmp_path: Path) -> Path:
    """A second postmortem whose file is a link to a file outside the repository."""
    target = tmp_path / "elsewhere.md"
    text = postmortem.read_text(encoding="utf-8")
    target.write_text(
        text.replace(ID, "2026-11-24-secret").replace("Checkout latency", SECRET),
        encoding="utf-8",
    )
    link = postmortem.with_name("2026-11-24-secret.md")
    link.symlink_to(target)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "--quiet", "-m", "a link to a file elsewhere")
    return link


@pytest.mark.parametrize(
    "command",
    [("list",), ("search", "secret"), ("export",), ("index",), ("site", "build")],
    ids=" ".join,
)
def test_a_postmortem_that_links_outside_is_read_by_no_command(
    repo: Project, linked_out: Path, command: tuple[str, ...]
) -> None:
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    assert SECRET not in result.stdout + result.stderr
    written = [*repo.root.glob("INDEX.md"), *repo.root.glob("_site/**/*.*")]
    assert SECRET not in "".join(path.read_text(errors="replace") for path in written)


def test_lint_reports_a_postmortem_that_links_outside_and_reads_the_rest(
    repo: Project, postmortem: Path, linked_out: Path, tmp_path: Path
) -> None:
    inside = postmortem.with_name("2026-11-25-alias.md")
    inside.symlink_to(postmortem.name)  # a link that stays inside is read
    for given in ((), ("postmortems/2026",)):
        result = run_cli(repo.root, "lint", *given)
        assert result.returncode == 1, result.stderr
        assert "PM015" in result.stdout
        assert (
            f"2026-11-24-secret.md is not read: it is a symbolic link to "
            f"{tmp_path / 'elsewhere.md'}, outside the postmortem directory"
        ) in result.stdout
        assert SECRET not in result.stdout
        assert "2026-11-25-alias.md" in result.stdout  # (its id is not its name: PM read it)


def test_lint_reports_a_year_directory_that_links_outside(
    repo: Project, postmortem: Path, tmp_path: Path
) -> None:
    # `postmortems/2025 -> /mnt/old/2025`: every command left its postmortems out, and lint
    # said nothing ("✓ 1 file checked, no problems").
    elsewhere = tmp_path / "old-2025"
    elsewhere.mkdir()
    (repo.postmortem_dir / "2025").symlink_to(elsewhere)
    (repo.postmortem_dir / "2026" / "latest").symlink_to(".")  # (inside: left alone)
    result = run_cli(repo.root, "lint")
    assert result.returncode == 1, result.stderr
    assert (
        f"PM015 2025 is not read: it is a symbolic link to {elsewhere}, outside the "
        "postmortem directory"
    ) in result.stdout
    assert "latest" not in result.stdout


@pytest.mark.parametrize(
    "command",
    [("lint",), ("list",), ("report",), ("search", "x"), ("export",), ("index",)],
    ids=" ".join,
)
def test_a_loop_of_links_is_reported_not_a_crash(
    repo: Project, postmortem: Path, command: tuple[str, ...]
) -> None:
    loop = postmortem.with_name("loop.md")
    loop.symlink_to(loop.name)  # reading it gives ELOOP
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    if command == ("lint",):
        assert "PM015 loop.md is not read: it is a loop of symbolic links" in result.stdout


@pytest.fixture
def named_in_latin1(postmortem: Path) -> Path:
    """A copy of the postmortem under a name that is not UTF-8 (`café.md` in Latin-1):
    Python holds the byte 0xE9 as a lone surrogate, which SQLite, hashing and JSON refuse."""
    import os

    copy = Path(os.fsdecode(os.fsencode(postmortem.parent) + b"/caf\xe9.md"))
    copy.write_bytes(postmortem.read_bytes().replace(b"id: 2026-11-23-", b"id: 2026-11-24-", 1))
    return copy


@pytest.mark.parametrize(
    "command",
    [
        ("search", "checkout"),
        ("related", ID),
        ("trends",),
        ("index",),
        ("site", "build"),
        ("export",),
        ("report",),
        ("reading-club",),
    ],
    ids=" ".join,
)
def test_a_name_that_is_not_utf_8_is_left_out_not_a_crash(
    repo: Project, named_in_latin1: Path, command: tuple[str, ...]
) -> None:
    """search, related, trends, index and site build exited 70 on such a name."""
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr


def test_lint_names_a_file_whose_name_is_not_utf_8(repo: Project, named_in_latin1: Path) -> None:
    """Reported (PM702: it cannot be `<id>.md`), in a UTF-8 locale too, where Python's
    standard output refused to write it (exit 70), and in a JUnit report."""
    import os
    import sys
    import xml.etree.ElementTree as ET

    result = subprocess.run(
        [sys.executable, "-m", "pmctl", "lint"],
        cwd=repo.root,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "postmortems/2026/caf\\xe9.md\n" in result.stdout
    assert (
        "PM702 caf\\xe9.md is not read: its name is not valid UTF-8, so it cannot be `<id>.md`"
    ) in result.stdout
    # Named on the command line (as pre-commit names it), it is read: it was "No such file".
    named = subprocess.run(
        [sys.executable, "-m", "pmctl", "lint", os.fsencode(named_in_latin1)],
        cwd=repo.root,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert named.returncode == 1, named.stderr
    assert "No such file" not in named.stdout
    assert "does not match the id" in named.stdout
    junit = run_cli(repo.root, "lint", "--format", "junit")
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    [failed] = [case for case in suite if case.find("failure") is not None]
    assert failed.get("file") == "postmortems/2026/caf\\xe9.md"


@pytest.mark.parametrize("given", ["../../../etc/passwd", "2026/../../pmctl", "."])
def test_an_id_that_is_a_path_names_no_postmortem(
    repo: Project, postmortem: Path, given: str
) -> None:
    result = run_cli(repo.root, "status", given, "closed")
    assert result.returncode == 8, result.stderr
    assert "no postmortem with id" in result.stderr


TOO_LONG = "2026-11-23-" + "x" * 300
"""An id longer than a file name may be (255 bytes): the file system refuses to look it up."""


@pytest.mark.parametrize(
    "command",
    [
        ("show",),
        ("status",),
        ("review",),
        ("action", "list"),
        ("drill",),
        ("reading-club", "--record"),
    ],
    ids=" ".join,
)
def test_an_id_longer_than_a_file_name_names_no_postmortem(
    repo: Project, postmortem: Path, command: tuple[str, ...]
) -> None:
    result = run_cli(repo.root, *command, TOO_LONG)
    assert result.returncode == 8, result.stderr
    assert "no postmortem with id" in result.stderr


def test_lint_of_a_path_longer_than_a_file_name_reports_it_unreadable(
    repo: Project, postmortem: Path
) -> None:
    result = run_cli(repo.root, "lint", TOO_LONG)
    assert result.returncode == 1, result.stderr
    assert "PM002 File name too long" in result.stdout


@pytest.mark.parametrize(
    ("command", "code"),
    [(("import", TOO_LONG), 2), (("import", ".", "--map", TOO_LONG, "--dry-run"), 3)],
    ids=["import", "import --map"],
)
def test_an_import_path_longer_than_a_file_name_does_not_exist(
    repo: Project, command: tuple[str, ...], code: int
) -> None:
    result = run_cli(repo.root, *command)
    assert result.returncode == code, result.stderr
    assert "does not exist" in result.stderr


def test_init_in_a_bare_repository_is_refused(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    before = sorted(path.name for path in bare.iterdir())
    result = run_cli(bare, "init")
    assert result.returncode == 4, result.stderr
    assert f"inside the bare repository {bare}" in result.stderr
    assert f"git clone {bare}" in result.stderr
    assert sorted(path.name for path in bare.iterdir()) == before


def test_init_inside_dot_git_is_refused(repo: Project) -> None:
    hooks = repo.root / ".git" / "hooks"
    before = sorted(path.name for path in hooks.iterdir())
    result = run_cli(hooks, "init")
    assert result.returncode == 4, result.stderr
    assert "git's own directory" in result.stderr
    assert sorted(path.name for path in hooks.iterdir()) == before


def test_a_failed_new_leaves_neither_its_file_nor_its_directory(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What is tested is what the failure leaves, not how long git's lock is waited for
    # (test_git_failures has the real bound): ~1.3 s of waiting at the default bound.
    monkeypatch.setattr(git_adapter, "INDEX_LOCK_WAIT_SECONDS", 0.0)
    (repo.root / ".git" / "index.lock").touch()
    head = git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *NEW)
    assert result.returncode == 4, result.stderr
    assert not (repo.root / "postmortems" / "2026").exists()
    (repo.root / ".git" / "index.lock").unlink()
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert clean(repo.root)


def test_init_with_a_postmortems_directory_linking_outside_writes_nothing_there(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "pm", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "postmortems").symlink_to(outside)
    result = run_cli(root, "init")
    assert result.returncode == 6, result.stderr
    assert f"leads to {outside / '.gitkeep'}" in result.stderr
    assert list(outside.iterdir()) == []
    assert sorted(path.name for path in root.iterdir()) == ["postmortems"]


def test_template_export_into_a_directory_linking_outside_writes_nothing_there(
    repo: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / ".pmctl").symlink_to(outside)
    result = run_cli(repo.root, "template", "export")
    assert result.returncode == 7, result.stderr
    assert "outside the repository, through a symbolic link" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_repository_under_a_directory_whose_name_is_not_utf_8_works(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`/srv/café/pm` with `café` in Latin-1: git's answer for the repository's root was
    decoded with replacement characters, naming no directory (export, index, stats and
    digest exited 70), its hash for the caches raised (site build), and in a UTF-8 locale
    printing its path raised (`init`, after its commit)."""
    import os
    import sys

    from pmctl.adapters.config_file import load_project
    from tests.conftest import initialised_copy
    from tests.site_corpus import add_examples

    parent = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
    root = initialised_copy(parent / "pm", tmp_path_factory)
    add_examples(load_project(root))
    for command in (("export",), ("index",), ("stats",), ("site", "build"), ("search", "sonnet")):
        result = run_cli(root, *command)
        assert result.returncode == 0, (command, result.stderr)
    fresh = parent / "fresh"
    fresh.mkdir()
    init = subprocess.run(
        [sys.executable, "-m", "pmctl", "init"],
        cwd=fresh,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        check=False,
    )
    assert init.returncode == 0, init.stderr
    assert os.fsencode(fresh) in init.stdout  # its bytes, as `ls` shows them


PIPE_ID = "2026-11-25-pipe"


@pytest.fixture
def pipe_named_md(postmortem: Path) -> Path:
    """A named pipe in the postmortem directory, called like a postmortem (git cannot track
    one: a local tree's mistake, or someone's `mkfifo` for a script)."""
    import os

    pipe = postmortem.parent / f"{PIPE_ID}.md"
    os.mkfifo(pipe)
    return pipe


@pytest.mark.parametrize(
    "command",
    [
        ("lint",),
        ("list",),
        ("report",),
        ("stats",),
        ("search", "checkout"),
        ("site", "build"),
        ("export",),
        ("index", "--check"),
        ("status", ID),
        ("status", PIPE_ID),
    ],
    ids=" ".join,
)
def test_a_named_pipe_called_like_a_postmortem_is_not_waited_on(
    repo: Project, pipe_named_md: Path, command: tuple[str, ...]
) -> None:
    """Every command opened it and waited for a writer for ever."""
    result = run_process(repo.root, *command, timeout=20)
    assert "internal error" not in result.stderr
    if command == ("status", PIPE_ID):
        assert result.returncode == 6, result.stderr
        assert f"{PIPE_ID}.md is not a regular file" in result.stderr
    else:
        assert result.returncode in (0, 1), result.stderr


def test_a_directory_called_like_a_postmortem_is_named_a_directory(
    repo: Project, postmortem: Path
) -> None:
    # `show` called it "a named pipe, a socket or a device"; `new` said it "was written but
    # never committed: commit it (`git add ... && git commit`)", which git cannot do.
    (postmortem.parent / "2026-11-22-notes.md").mkdir()
    shown = run_cli(repo.root, "show", "2026-11-22-notes")
    assert shown.returncode == 6, shown.stderr
    assert "2026-11-22-notes.md is a directory, not a postmortem file" in shown.stderr
    made = run_cli(
        repo.root,
        *("new", "--title", "Notes", "--severity", "SEV3", "--owner", "alice", "--no-input"),
        *("--started", "2026-11-22T10:00"),
    )
    assert made.returncode == 2, made.stderr
    assert "postmortems/2026/2026-11-22-notes.md is a directory, not a postmortem" in made.stderr
    assert "git add" not in made.stderr


def test_lint_names_a_named_pipe_it_does_not_read(repo: Project, pipe_named_md: Path) -> None:
    result = run_process(repo.root, "lint", timeout=20)
    assert result.returncode == 1, result.stderr
    assert f"PM002 {PIPE_ID}.md is not read: it is not a regular file" in result.stdout
