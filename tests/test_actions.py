"""`pmctl action`: surgical edits of action items, one commit each, the body's table in step."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from pmctl.domain.actions import ActionChanges, NewAction, next_action_id
from pmctl.domain.model import ActionItem, ActionStatus, ActionType, Language, Priority
from pmctl.domain.project import Project
from pmctl.errors import DocumentError, NotFoundError, UsageError
from pmctl.services.actions import add_action, list_actions, set_action
from pmctl.services.lint import lint
from pmctl.services.new import NewPostmortem, create
from tests.conftest import git, run_cli

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def new_postmortem(project: Project, language: Language = Language.EN) -> str:
    request = NewPostmortem(
        title="Checkout latency", severity="SEV2", owner="alice", language=language
    )
    return create(project, request, now=NOW, commit=True).id


ALERT = NewAction(
    title="Alert on p99 latency",
    type=ActionType.MITIGATE,
    owner="bob",
    priority=Priority.P1,
    due=dt.date(2026, 12, 15),
    tracker="OPS-42",
)


def changed_lines(project: Project) -> list[str]:
    diff = git(project.root, "show", "--format=", "--unified=0", "HEAD")
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def drift_findings(project: Project) -> list[str]:
    return [
        f.rule for f in lint(project, today=TODAY, use_cache=False).findings if f.rule == "PM104"
    ]


def only_item(repo: Project, postmortem_id: str) -> dict[str, object]:
    """The one action item of the postmortem, as `pmctl action list --format json` gives it."""
    listed = run_cli(repo.root, "action", "list", postmortem_id, "--format", "json")
    (item,) = json.loads(listed.stdout)["items"]
    return dict(item)


def test_add_appends_the_item_and_its_table_row_in_one_commit(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    result = add_action(repo, postmortem_id, ALERT, today=TODAY)
    assert result.item.id == "AI-1"
    assert result.commit is not None
    assert result.commit.sha == git(repo.root, "rev-parse", "HEAD").strip()
    assert changed_lines(repo) == [
        "-action_items: []",
        "+action_items:",
        "+  - id: AI-1",
        "+    title: Alert on p99 latency",
        "+    type: mitigate",
        "+    owner: bob",
        "+    priority: P1",
        "+    status: todo",
        "+    due: 2026-12-15",
        "+    tracker: OPS-42",
        "-_No action items yet: add them with `pmctl action add`._",
        "+| ID | Action item | Type | Owner | Priority | Due | Tracker | Status |",
        "+|---|---|---|---|---|---|---|---|",
        "+| AI-1 | Alert on p99 latency | mitigate | bob | P1 | 2026-12-15 | OPS-42 | todo |",
    ]
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith(f"docs(postmortem): add action AI-1 to {postmortem_id}\n")
    assert f"Pmctl-Id: {postmortem_id}\nPmctl-Action: AI-1\n" in message
    assert drift_findings(repo) == []


def test_set_changes_only_the_fields_and_the_row(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    add_action(repo, postmortem_id, ALERT, today=TODAY)
    add_action(repo, postmortem_id, ALERT, today=TODAY)
    result = set_action(
        repo,
        postmortem_id,
        "AI-2",
        ActionChanges(status=ActionStatus.DONE, owner="carol"),
        today=TODAY,
    )
    assert (result.item.status, result.item.owner) == (ActionStatus.DONE, "carol")
    assert changed_lines(repo) == [
        "-    owner: bob",
        "+    owner: carol",
        "-    status: todo",
        "+    status: done",
        "-| AI-2 | Alert on p99 latency | mitigate | bob | P1 | 2026-12-15 | OPS-42 | todo |",
        "+| AI-2 | Alert on p99 latency | mitigate | carol | P1 | 2026-12-15 | OPS-42 | done |",
    ]
    assert "status: todo -> done" in git(repo.root, "log", "-1", "--format=%B")
    assert drift_findings(repo) == []


def test_the_table_is_written_in_the_documents_language(repo: Project) -> None:
    postmortem_id = new_postmortem(repo, Language.JA)
    add_action(repo, postmortem_id, ALERT, today=TODAY)
    assert "+| AI-1 | Alert on p99 latency | 緩和 | bob | P1 | 2026-12-15 | OPS-42 | todo |" in (
        changed_lines(repo)
    )
    assert drift_findings(repo) == []


def test_refusals_write_nothing(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    add_action(repo, postmortem_id, ALERT, today=TODAY)
    head = git(repo.root, "rev-parse", "HEAD")
    with pytest.raises(UsageError, match="nothing to change"):
        set_action(repo, postmortem_id, "AI-1", ActionChanges(owner="bob"), today=TODAY)
    with pytest.raises(NotFoundError, match="no action item 'AI-7'"):
        set_action(repo, postmortem_id, "AI-7", ActionChanges(owner="bob"), today=TODAY)
    with pytest.raises(UsageError, match="--title is empty"):
        add_action(repo, postmortem_id, replace(ALERT, title=" "), today=TODAY)
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_body_without_markers_is_refused_and_left_alone(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    path = repo.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
    text = path.read_text(encoding="utf-8").replace("<!-- pmctl:action-items:end -->", "")
    path.write_text(text, encoding="utf-8")
    git(repo.root, "commit", "-qam", "hand edit")
    with pytest.raises(DocumentError, match="markers"):
        add_action(repo, postmortem_id, ALERT, today=TODAY)
    assert path.read_text(encoding="utf-8") == text


def test_ids_are_never_reused() -> None:
    assert next_action_id([]) == "AI-1"
    items = [ActionItem(id="AI-1", title="a"), ActionItem(id="AI-7", title="b")]
    assert next_action_id(items) == "AI-8"


def test_list_shows_every_status(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    add_action(repo, postmortem_id, ALERT, today=TODAY)
    add_action(repo, postmortem_id, replace(ALERT, priority=Priority.P0), today=TODAY)
    set_action(repo, postmortem_id, "AI-1", ActionChanges(status=ActionStatus.WONTFIX), today=TODAY)
    report = list_actions(repo, postmortem_id, today=TODAY)
    assert [(row.item.id, row.item.status) for row in report.rows] == [
        ("AI-2", ActionStatus.TODO),
        ("AI-1", ActionStatus.WONTFIX),
    ]


def test_cli_add_set_done_list(repo: Project) -> None:
    postmortem_id = new_postmortem(repo)
    added = run_cli(
        repo.root,
        "action", "add", postmortem_id,
        "--title", "Alert on p99 latency", "--type", "mitigate",
        "--owner", "bob", "--priority", "P1", "--due", "2026-12-15",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added AI-1" in added.stdout
    changed = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--due", "2027-01-10")
    assert changed.returncode == 0, changed.stderr
    done = run_cli(repo.root, "action", "done", postmortem_id, "AI-1")
    assert done.returncode == 0, done.stderr
    item = only_item(repo, postmortem_id)
    assert (item["due"], item["status"]) == ("2027-01-10", "done")
    assert git(repo.root, "log", "--format=%s", "-3").splitlines() == [
        f"docs(postmortem): update action AI-1 of {postmortem_id}",
        f"docs(postmortem): update action AI-1 of {postmortem_id}",
        f"docs(postmortem): add action AI-1 to {postmortem_id}",
    ]
    bad = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--status", "finished")
    assert bad.returncode == 2
    assert (
        "Invalid value for '--status' / '-s': "  # Click's words, without pydantic's "Value error, "
        "'finished' is not one of 'todo', 'in-progress', 'done', 'wontfix'" in bad.stderr
    )


def test_priorities_are_named_as_written_where_any_case_is_taken(repo: Project) -> None:
    """`--priority p1` is taken since the last stop, and typer then showed the choices in
    lower case: `<p0|p1|p2|p3>` in --help, "'P5' is not one of 'p0', ..." and "Choose from:
    p0" in errors, while every document, example and report writes P0."""
    postmortem_id = new_postmortem(repo)
    for command in ("add", "set"):
        shown = run_cli(repo.root, "action", command, "--help")
        assert "--priority <P0|P1|P2|P3>" in shown.stdout
    add = ("action", "add", postmortem_id, "--title", "Alert", "--owner", "bob")
    wrong = run_cli(repo.root, *add, "--type", "mitigate", "--priority", "P5")
    assert wrong.returncode == 2
    assert "'P5' is not one of 'P0', 'P1', 'P2', 'P3'." in wrong.stderr
    missing = run_cli(repo.root, *add, "--type", "mitigate")
    assert missing.returncode == 2
    assert "Missing option '--priority' / '-p'. Choose from:\n\tP0,\n\tP1," in missing.stderr
    typed = run_cli(repo.root, *add, "--type", "Mitigate", "--priority", "p1")
    assert typed.returncode == 0, typed.stderr
    assert only_item(repo, postmortem_id)["priority"] == "P1"


def test_done_again_is_nothing_to_do_as_a_move_to_the_status_it_has(repo: Project) -> None:
    """`action done` of an item done already was exit 2, "nothing to change on AI-1", with a
    hint of `action set`'s options; `status ID TO` to the status it has is exit 0."""
    postmortem_id = new_postmortem(repo)
    assert run_cli(repo.root, "action", "add", postmortem_id, "--title", "Alert on p99 latency",
                   "--type", "mitigate", "--owner", "bob", "--priority", "P1").returncode == 0  # fmt: skip
    assert run_cli(repo.root, "action", "done", postmortem_id, "AI-1").returncode == 0
    head = git(repo.root, "rev-parse", "HEAD")
    again = run_cli(repo.root, "action", "done", postmortem_id, "AI-1")
    assert again.returncode == 0, again.stderr
    assert f"AI-1 of {postmortem_id} is done already; nothing to do" in again.stdout
    assert "committed" not in again.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""
    same = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--status", "done")
    assert same.returncode == 2  # `set` asked to change something: nothing would
    assert "nothing to change on AI-1" in same.stderr


def test_choices_are_taken_in_any_case(repo: Project) -> None:
    """`--priority p1`, `--type Prevent`, `--status Done` were Click's "not one of" (exit 2)."""
    postmortem_id = new_postmortem(repo)
    added = run_cli(repo.root, "action", "add", postmortem_id, "--title", "Alert on p99 latency",
                    "--type", "Prevent", "--owner", "bob", "--priority", "p1")  # fmt: skip
    assert added.returncode == 0, added.stderr
    changed = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--status", "In-Progress")
    assert changed.returncode == 0, changed.stderr
    item = only_item(repo, postmortem_id)
    assert (item["priority"], item["type"], item["status"]) == ("P1", "prevent", "in-progress")


def test_an_action_id_as_people_type_it_names_the_item(repo: Project) -> None:
    """`ai-1` and `1` were "no action item 'ai-1'" (exit 8), beside a list holding AI-1."""
    postmortem_id = new_postmortem(repo)
    assert run_cli(repo.root, "action", "add", postmortem_id, "--title", "Alert on p99 latency",
                   "--type", "mitigate", "--owner", "bob", "--priority", "P1").returncode == 0  # fmt: skip
    changed = run_cli(repo.root, "action", "set", postmortem_id, "ai-1", "--owner", "carol")
    assert changed.returncode == 0, changed.stderr
    assert f"updated AI-1 of {postmortem_id}" in changed.stdout
    done = run_cli(repo.root, "action", "done", postmortem_id, "1")
    assert done.returncode == 0, done.stderr
    assert f"AI-1 of {postmortem_id} is done" in done.stdout
    assert (
        git(repo.root, "log", "--format=%s", "-2").splitlines()
        == [f"docs(postmortem): update action AI-1 of {postmortem_id}"] * 2
    )
    assert run_cli(repo.root, "action", "done", postmortem_id, "AI-2").returncode == 8


def test_a_title_opening_an_html_comment_is_written_harmless_into_the_table(
    repo: Project,
) -> None:
    postmortem_id = new_postmortem(repo)
    added = run_cli(
        repo.root,
        "action", "add", postmortem_id,
        "--title", "Drop <!-- the old path", "--type", "mitigate",
        "--owner", "bob", "--priority", "P1",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    path = next(repo.postmortem_dir.rglob(f"{postmortem_id}.md"))
    text = path.read_text(encoding="utf-8")
    assert "| AI-1 | Drop &lt;!-- the old path |" in text
    assert 'title: "Drop <!-- the old path"' in text or "title: Drop <!-- the old path" in text


def test_text_typed_with_a_newline_or_an_escape_is_one_line_in_the_document(
    repo: Project,
) -> None:
    """As `new` folds a title: `action add --title $'a\\nb'` wrote `title: "a\\nb"`, and an
    owner holding ESC was written into the front matter as it was."""
    postmortem_id = new_postmortem(repo)
    added = run_cli(
        repo.root,
        "action", "add", postmortem_id,
        "--title", "Alert on\np99  latency", "--type", "mitigate",
        "--owner", "bo\x1b[2Jb", "--priority", "P1", "--tracker", "OPS-1\r\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    changed = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--title", "\tNew\ntitle")
    assert changed.returncode == 0, changed.stderr
    item = only_item(repo, postmortem_id)
    assert (item["title"], item["owner"], item["tracker"]) == ("New title", "bo [2Jb", "OPS-1")
    text = next(repo.postmortem_dir.rglob(f"{postmortem_id}.md")).read_text(encoding="utf-8")
    assert "\\u001b" not in text
    assert "\\n" not in text
    empty = run_cli(repo.root, "action", "set", postmortem_id, "AI-1", "--owner", "\x1b")
    assert empty.returncode == 2
    assert "--owner is empty" in empty.stderr
