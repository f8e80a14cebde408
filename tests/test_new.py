"""`pmctl new`: the file, the id, the commit, and a repository left as it was on failure."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.model import Language, Status
from pmctl.domain.project import Project
from pmctl.errors import ExitCode, GitError, NotFoundError, TemplateError, UsageError
from pmctl.services.new import NewPostmortem, create
from tests.conftest import git, run_cli, run_process

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def override_template(repo: Project, text: str) -> Path:
    """Write `text` as the repository's own English template; its path."""
    override = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(text, encoding="utf-8")
    return override


def request(**changes: object) -> NewPostmortem:
    values: dict[str, object] = {
        "title": "Checkout latency",
        "severity": "SEV2",
        "owner": "alice",
        "language": Language.EN,
    }
    values.update(changes)
    return NewPostmortem(**values)  # type: ignore[arg-type]


def snapshot(root: Path) -> tuple[str, str, str]:
    """What a failed command must leave exactly as it was."""
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        git(root, "diff", "--cached"),
    )


def test_new_writes_the_template_and_commits_only_that_file(repo: Project) -> None:
    started = dt.datetime(2026, 11, 20, 14, 54, tzinfo=dt.UTC)
    created = create(
        repo,
        request(started=started, services=("checkout", "payments"), incident="465"),
        now=NOW,
        commit=True,
    )
    assert created.id == "2026-11-20-checkout-latency"
    assert created.path == repo.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    _, postmortem = documents.load(created.path)
    assert postmortem.status is Status.DRAFT
    assert postmortem.owner == "alice"
    assert postmortem.authors == ["alice"]
    assert postmortem.incident == "465"
    assert postmortem.services == ["checkout", "payments"]
    assert postmortem.timestamps.started == started
    assert postmortem.created == dt.date(2026, 11, 23)
    assert git(repo.root, "show", "--name-only", "--format=", "HEAD").split() == [
        "postmortems/2026/2026-11-20-checkout-latency.md"
    ]
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith("docs(postmortem): add 2026-11-20-checkout-latency\n")
    assert "Pmctl-Id: 2026-11-20-checkout-latency" in message
    assert "Pmctl-Transition: none->draft" in message


def test_the_template_has_every_section_and_guidance_lint_can_recognise(repo: Project) -> None:
    created = create(repo, request(), now=NOW, commit=False)
    text = created.path.read_text(encoding="utf-8")
    for heading in (
        "## Summary",
        "## Root Causes",
        "## Trigger",
        "### Where we got lucky",
        "## Timeline",
        "## Action Items",
    ):
        assert heading in text
    assert "<!-- pmctl:guide" in text
    assert "<!-- pmctl:action-items:start -->" in text


def test_japanese_template_and_a_japanese_title_get_a_romanized_id(repo: Project) -> None:
    created = create(
        repo,
        request(title="決済の遅延", language=Language.JA, incident="465"),
        now=NOW,
        commit=False,
    )
    assert created.id == "2026-11-23-kessai-no-chien"
    text = created.path.read_text(encoding="utf-8")
    assert "## 根本原因" in text
    assert "### 幸運だったこと" in text
    assert documents.load(created.path)[1].title == "決済の遅延"


def test_a_symbol_only_title_falls_back_to_the_incident_number(repo: Project) -> None:
    assert create(repo, request(title="!!!", incident="465"), now=NOW, commit=False).id == (
        "2026-11-23-incident-465"
    )


def test_slug_flag_overrides_and_is_validated(repo: Project) -> None:
    assert create(repo, request(slug="pay-1"), now=NOW, commit=False).id == "2026-11-23-pay-1"
    with pytest.raises(UsageError):
        create(repo, request(slug="../escape"), now=NOW, commit=False)
    with pytest.raises(UsageError) as raised:
        create(repo, request(slug="Payment_Delay"), now=NOW, commit=False)
    assert raised.value.hint is not None
    assert raised.value.hint.startswith("--slug payment-delay: lowercase ASCII letters")


@pytest.mark.parametrize(
    "title", ["../../etc/passwd", "--force", "-rf", 'quote " and: colon #hash']
)
def test_hostile_titles_stay_inside_the_postmortem_directory(repo: Project, title: str) -> None:
    created = create(repo, request(title=title), now=NOW, commit=True)
    assert created.path.resolve().is_relative_to(repo.postmortem_dir.resolve())
    assert documents.load(created.path)[1].title == title.strip()


def test_an_existing_id_is_refused_with_a_hint(repo: Project) -> None:
    create(repo, request(), now=NOW, commit=True)
    before = snapshot(repo.root)
    with pytest.raises(UsageError) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert "--slug" in raised.value.hint
    assert snapshot(repo.root) == before


def test_an_existing_id_never_committed_says_so(repo: Project) -> None:
    """A `new --no-commit` (or a `new` killed during a slow hook) left the file uncommitted;
    the rerun said only "already exists", "edit the existing postmortem"."""
    created = create(repo, request(), now=NOW, commit=False)
    with pytest.raises(UsageError) as raised:
        create(repo, request(), now=NOW, commit=True)
    shown = created.path.relative_to(repo.root).as_posix()
    assert raised.value.hint.startswith(f"{shown} was written but never committed")
    assert f"`git add {shown} && git commit`" in raised.value.hint


def test_unknown_severity_names_the_scale(repo: Project) -> None:
    with pytest.raises(UsageError) as raised:
        create(repo, request(severity="critical"), now=NOW, commit=True)
    assert "SEV1, SEV2, SEV3, SEV4" in raised.value.hint


def test_a_severity_typed_in_another_case_is_the_scale_s(repo: Project) -> None:
    """`--severity sev2` was "unknown severity 'sev2'" beside a scale holding SEV2 (lint
    already suggested it; search's `severity:` already ignored case)."""
    created = create(repo, request(severity="sev2"), now=NOW, commit=True)
    assert documents.load(created.path)[1].severity == "SEV2"
    japanese = run_cli(repo.root, "new", "--title", "Queue backlog", "--severity", "sev3",
                       "--owner", "alice", "--language", "JA", "--no-input")  # fmt: skip
    assert japanese.returncode == 0, japanese.stderr
    path = repo.root / japanese.stdout.strip()
    assert documents.load(path)[1].language is Language.JA


def test_staged_work_of_the_user_stays_staged_and_out_of_the_commit(repo: Project) -> None:
    (repo.root / "notes.md").write_text("work in progress\n", encoding="utf-8")
    git(repo.root, "add", "notes.md")
    (repo.root / "pmctl.toml").write_text("# edited, unstaged\n", encoding="utf-8")
    create(repo, request(), now=NOW, commit=True)
    assert "notes.md" not in git(repo.root, "show", "--name-only", "--format=", "HEAD")
    status = git(repo.root, "status", "--porcelain")
    assert "A  notes.md" in status
    assert " M pmctl.toml" in status


def test_no_commit_leaves_the_file_uncommitted(repo: Project) -> None:
    head = git(repo.root, "rev-parse", "HEAD")
    created = create(repo, request(), now=NOW, commit=False)
    assert created.commit is None
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert "?? postmortems/" in git(repo.root, "status", "--porcelain")


def test_a_merge_in_progress_is_refused_and_nothing_is_written(repo: Project) -> None:
    (repo.root / ".git" / "MERGE_HEAD").write_text(
        git(repo.root, "rev-parse", "HEAD"), encoding="utf-8"
    )
    with pytest.raises(GitError) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert "merge" in raised.value.message
    assert not (repo.postmortem_dir / "2026").exists()


def test_a_detached_head_is_refused(repo: Project) -> None:
    git(repo.root, "checkout", "-q", "--detach")
    with pytest.raises(GitError) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert "git switch" in raised.value.hint


def test_a_refusing_hook_leaves_the_repository_as_it_was(repo: Project) -> None:
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'blocked by policy' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = snapshot(repo.root)
    with pytest.raises(GitError) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert "blocked by policy" in raised.value.details
    assert snapshot(repo.root) == before
    assert not any(repo.postmortem_dir.rglob("*.md"))


def test_repository_templates_override_the_built_in_ones(repo: Project) -> None:
    override = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    override.parent.mkdir(parents=True)
    builtin = (Path(__file__).parent.parent / "templates" / "en" / "postmortem.md.j2").read_text(
        encoding="utf-8"
    )
    override.write_text(
        builtin.replace("## Summary", "## Summary\n\nACME house style"), encoding="utf-8"
    )
    created = create(repo, request(), now=NOW, commit=False)
    assert "ACME house style" in created.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "sandbox"),
        ("{{ title.__class__.__init__.__globals__ }}", "sandbox"),
        ("{{ no_such_variable }}", "undefined"),
        ("{% for x in %}", "syntax"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("---\nid: [broken\n---\n", "invalid postmortem"),
        ("{% include '../../../../etc/passwd' %}", "not one of pmctl's templates"),
    ],
)
def test_hostile_or_broken_repository_templates_are_refused(
    repo: Project, template: str, complaint: str
) -> None:
    override_template(repo, template)
    before = snapshot(repo.root)
    with pytest.raises((TemplateError, NotFoundError)) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert complaint in str(raised.value)
    assert snapshot(repo.root) == before


def test_a_template_that_includes_a_missing_one_is_a_template_error_at_its_line(
    repo: Project,
) -> None:
    """It was exit 8, "template '/etc/passwd' not found", naming no file: as if pmctl had
    lost a template of its own."""
    override_template(repo, "---\n{% include '/etc/passwd' %}\n---\n")
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr.startswith(
        "error: .pmctl/templates/en/postmortem.md.j2:2: template uses '/etc/passwd', "
        "which is not one of pmctl's templates\n"
    )


@pytest.mark.parametrize(
    ("template", "line"),
    [
        ("---\n{% extends 'en/postmortem.md.j2' %}\n", 2),
        ("---\n{% include 'en/postmortem.md.j2' %}\n", 2),
        ("{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}\n", 1),
    ],
)
def test_a_template_that_uses_itself_without_end_says_so(
    repo: Project, template: str, line: int
) -> None:
    """Extending the built-in template by its name (the override's own) said "template
    failed while rendering: RecursionError: maximum recursion depth exceeded in comparison"."""
    override_template(repo, template)
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr == (
        f"error: .pmctl/templates/en/postmortem.md.j2:{line}: template uses itself without "
        "end: it includes, imports or extends its own name (directly or through another), or "
        "a macro calls itself\n"
        "  hint: an override replaces the built-in template of its name and cannot include or "
        "extend it: start from a copy (`pmctl template export`) instead\n"
    )


def test_a_template_rendering_an_invalid_postmortem_is_named_by_its_file(repo: Project) -> None:
    """It was named as `en/postmortem.md.j2:2` — the built-in template's name, with a line of
    what it rendered — in "en/postmortem.md.j2: template en/postmortem.md.j2 rendered an
    invalid postmortem: en/postmortem.md.j2:2: schema: Field required"."""
    override_template(repo, "---\nid: {{ id }}\n---\n# {{ title }}\n")
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr.startswith(
        "error: .pmctl/templates/en/postmortem.md.j2: rendered an invalid postmortem "
        "(line 2 of what it rendered): schema: Field required\n"
    )


@pytest.mark.parametrize(
    ("written", "rendered", "hint"),
    [
        ("id: {{ id }}", "`id: 2020-01-01-other` (line 3 of what it rendered), not the "
         "new postmortem's id, 2026-11-23-disk-full", "`id: {{ id }}`"),
        ("language: en", "`language: ja` (line 7 of what it rendered), not the new "
         "postmortem's language, en", "`language: {{ language }}`"),
        ("severity: {{ severity | yaml }}", "`severity: SEV1` (line 6 of what it rendered), "
         "not the new postmortem's severity, SEV3", "`severity: {{ severity | yaml }}`"),
        ("status: draft", "`status: reviewed` (line 5 of what it rendered), not the new "
         "postmortem's status, draft", "`status: draft`"),
        ("reviews: []", "1 review (line 35 of what it rendered): a new postmortem has none "
         "yet", "`reviews: []`"),
    ],
)  # fmt: skip
def test_a_template_must_render_the_id_language_and_severity_asked_for_as_a_draft(
    repo: Project, written: str, rendered: str, hint: str
) -> None:
    """A template writing its own values was committed under the id pmctl chose: a fixed
    `id:` gave a new file that lint failed on (PM702, and every next one the same id), a
    fixed `language:` an English postmortem read as Japanese, a fixed `status: reviewed` a
    postmortem born reviewed, with an approval no one gave."""
    builtin = (Path(__file__).parents[1] / "templates" / "en" / "postmortem.md.j2").read_text(
        encoding="utf-8"
    )
    own = {
        "id: {{ id }}": "id: 2020-01-01-other",
        "language: en": "language: ja",
        "severity: {{ severity | yaml }}": "severity: SEV1",
        "status: draft": "status: reviewed",
        "reviews: []": "reviews:\n  - {reviewer: bob, date: 2026-11-23, verdict: approved}",
    }[written]
    assert written in builtin
    override_template(repo, builtin.replace(written, own))
    before = snapshot(repo.root)
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr == (
        f"error: .pmctl/templates/en/postmortem.md.j2: rendered {rendered}\n"
        f"  hint: write {hint} in the template's front matter\n"
    )
    assert snapshot(repo.root) == before


@pytest.mark.parametrize(
    "template", ["line one\n{{ title.__class__ }}", "line one\n{{ no_such_variable }}"]
)
def test_a_broken_repository_template_is_named_by_its_file_and_line(
    repo: Project, template: str
) -> None:
    # A sandbox violation said `en/postmortem.md.j2`, as if the built-in template were broken.
    override = override_template(repo, template)
    with pytest.raises(TemplateError) as raised:
        create(repo, request(), now=NOW, commit=True)
    assert raised.value.location == f"{override}:2"


def test_services_and_authors_may_be_repeated_or_comma_separated(repo: Project) -> None:
    """`--services api --services db` kept only db, silently."""
    result = run_cli(
        repo.root, "new", *NEW_DISK_FULL, "--services", "api, search", "--service", "db",
        "--author", "ann", "--authors", "bob,cy",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = (repo.postmortem_dir / "2026" / "2026-11-23-disk-full.md").read_text(encoding="utf-8")
    assert 'services: ["api", "search", "db"]\n' in text
    assert 'authors: ["ann", "bob", "cy"]\n' in text


def test_a_repository_template_saved_with_a_bom_and_crlf_writes_a_clean_postmortem(
    repo: Project,
) -> None:
    """The BOM went into every new postmortem, which lint then warned of (PM004)."""
    override = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    override.parent.mkdir(parents=True)
    builtin = (Path(__file__).parent.parent / "templates" / "en" / "postmortem.md.j2").read_text(
        encoding="utf-8"
    )
    override.write_bytes(("\ufeff" + builtin.replace("\n", "\r\n")).encode("utf-8"))
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == 0, result.stderr
    written = (repo.postmortem_dir / "2026" / "2026-11-23-disk-full.md").read_bytes()
    assert written.startswith(b"---\n")
    assert b"\r" not in written
    linted = run_cli(repo.root, "lint", "--strict")
    assert linted.returncode == 0, linted.stdout


def test_a_repository_template_not_in_utf_8_is_named_at_its_line(repo: Project) -> None:
    """It was "UnicodeDecodeError: ... in position 2357" from the middle of rendering."""
    override = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    override.parent.mkdir(parents=True)
    override.write_bytes(b"---\ntitle: {{ title }}\n---\n# Caf\xe9\n")
    result = run_cli(repo.root, "new", *NEW_DISK_FULL)
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr.startswith(
        "error: .pmctl/templates/en/postmortem.md.j2:4: is not UTF-8 (byte 0xe9 on line 4)\n"
        "  hint: save the template as UTF-8\n"
    )


def test_a_title_that_opens_an_html_comment_keeps_the_body_readable(repo: Project) -> None:
    """`# Outage <!-- oops` in the body ran, for pmctl's reading, to the end of the first
    guidance comment: lint said "section 'Summary' is missing" right after `pmctl new`."""
    result = run_cli(
        repo.root, "new", "--title", "Outage <!-- oops", "--severity", "SEV3", "--owner", "ann",
        "--no-input",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = repo.postmortem_dir / "2026" / "2026-11-23-outage-oops.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Outage <!-- oops"' in text
    assert "\n# Outage &lt;!-- oops\n" in text
    linted = run_cli(repo.root, "lint", str(path))
    assert linted.returncode == 0, linted.stdout


def test_edit_opens_the_new_file_in_the_users_editor(repo: Project, tmp_path: Path) -> None:
    editor = tmp_path / "fake-editor"
    # Like `code --wait`: options first, the file last.
    editor.write_text(
        '#!/bin/sh\nfor last; do :; done\nprintf "\\nEdited in the editor.\\n" >> "$last"\n',
        encoding="utf-8",
    )
    editor.chmod(0o755)
    result = run_cli(
        repo.root,
        *("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "ann", "--no-input"),
        "--edit",
        env={"VISUAL": "", "EDITOR": f"{editor} --wait"},
    )
    assert result.returncode == 0, result.stderr
    path = repo.postmortem_dir / "2026" / "2026-11-23-disk-full.md"
    assert path.read_text(encoding="utf-8").endswith("Edited in the editor.\n")
    assert "your edits are not committed yet" in result.stderr
    assert (
        git(repo.root, "status", "--porcelain") == " M postmortems/2026/2026-11-23-disk-full.md\n"
    )
    missing = run_cli(
        repo.root,
        *("new", "--title", "Disk gone", "--severity", "SEV3", "--owner", "ann", "--no-input"),
        "--edit",
        env={"VISUAL": "no-such-editor-anywhere"},
    )
    assert missing.returncode == 2
    assert "cannot start the editor 'no-such-editor-anywhere'" in missing.stderr


NEW_DISK_FULL = ("--title", "Disk full", "--severity", "SEV3", "--owner", "ann", "--no-input")


def test_edit_without_an_editor_or_a_terminal_is_refused_before_anything_is_made(
    repo: Project,
) -> None:
    """No VISUAL, no EDITOR, no terminal: `vi` was started and waited for ever."""
    head = git(repo.root, "rev-parse", "HEAD")
    result = subprocess.run(
        [sys.executable, "-m", "pmctl", "new", *NEW_DISK_FULL, "--edit"],
        cwd=repo.root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")},
    )
    assert result.returncode == 2, result.stderr
    assert "no editor to open: VISUAL and EDITOR are not set" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_closed_standard_input_is_no_terminal_to_ask_on(repo: Project) -> None:
    """`pmctl new <&-` (a cron line, a CI step closing stdin) was exit 70: Python's stdin is
    None, and asking whether it was a terminal raised AttributeError."""
    head = git(repo.root, "rev-parse", "HEAD")
    missing = run_process(repo.root, "new", "--severity", "SEV2", limits=lambda: os.close(0))
    assert missing.returncode == 2, missing.stderr
    assert "--title" in missing.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""
    given = run_process(
        repo.root, "new", *NEW_DISK_FULL[:-1], limits=lambda: os.close(0)
    )  # (not --no-input)
    assert given.returncode == 0, given.stderr
    assert git(repo.root, "rev-parse", "HEAD") != head


@pytest.mark.parametrize("started", ["2027-11-23T10:00:00Z", "2026-11-25 09:00"])
def test_a_start_after_today_is_refused_before_anything_is_written(
    repo: Project, started: str
) -> None:
    """A year typed wrong (2027 on 2026-11-23) was written and committed, dated a year
    ahead; a day after today is let pass, as PM303 lets it (the incident's own zone)."""
    args = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "a", "--no-input")
    result = run_cli(repo.root, *args, "--started", started)
    assert result.returncode == 2, result.stderr
    assert "is after today (2026-11-23)" in result.stderr
    assert "check the year and the month" in result.stderr
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert not list(repo.postmortem_dir.rglob("*.md"))
    tomorrow = run_cli(repo.root, *args, "--started", "2026-11-24T08:00:00+09:00")
    assert tomorrow.returncode == 0, tomorrow.stderr
