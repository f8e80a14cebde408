"""`pmctl digest`: the month's postmortems, the postmortem of the month, sending it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain import digest
from pmctl.domain.config import Settings
from pmctl.domain.enums import DigestFormat
from pmctl.domain.project import Project
from pmctl.errors import ExitCode, NotFoundError, UsageError
from pmctl.services import digest as digest_service
from tests.conftest import git, run_cli
from tests.site_corpus import (
    EN_ID,
    EXAMPLES,
    HOSTILE_ID,
    JA_ID,
    add_examples,
    add_hostile,
    commit_postmortems,
)
from tests.test_notify import Hook, Mailbox, run_hook, run_smtp

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from run_smtp()


@pytest.fixture
def chat() -> Iterator[Hook]:
    yield from run_hook()


@pytest.fixture
def examples(repo: Project) -> Project:
    add_examples(repo)
    return repo


def test_the_featured_postmortem_is_suggested_with_its_reasons(examples: Project) -> None:
    add_hostile(examples)  # another month
    result = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest

    assert [c.postmortem.id for c in result.new] == [EN_ID, JA_ID]
    assert result.featured is not None
    assert not result.chosen
    assert result.featured.postmortem.id == EN_ID  # same score: the first by id wins
    assert [r.key for r in result.featured.reasons] == ["complete", "reviewed", "lessons", "impact"]
    assert set(result.featured.lessons) == {"went-well", "went-wrong", "got-lucky"}
    # The Japanese one says the same in fewer characters: its lessons are as rich.
    assert [r.key for r in result.new[1].reasons] == ["complete", "reviewed", "lessons", "impact"]
    assert result.numbers.postmortems == 2
    assert len(result.open_items) == 18  # six open items in each of the three, any month


def test_a_bare_draft_scores_nothing_and_is_not_featured() -> None:
    from pmctl.domain.model import Postmortem

    draft = Postmortem.model_validate(
        {
            "schema": 1,
            "id": "2026-11-02-small",
            "title": "Small",
            "severity": "SEV4",
            "owner": "alice",
            "created": "2026-11-02",
        }
    )
    built = digest.build(
        [(draft, {})], [draft], [], [], month="2026-11", settings=Settings(), today=TODAY
    )
    assert built.featured is None
    assert [c.score for c in built.new] == [0]


def test_a_bare_draft_of_high_severity_is_not_featured_for_its_severity_alone() -> None:
    """A new SEV1 draft holding only the template's guidance was the postmortem of the
    month, "why it stands out: high impact (SEV1)", above a reviewed SEV4 one."""
    from pmctl.domain.model import Postmortem

    def postmortem(slug: str, severity: str, status: str) -> Postmortem:
        return Postmortem.model_validate(
            {
                "schema": 1,
                "id": f"2026-11-02-{slug}",
                "title": slug,
                "severity": severity,
                "status": status,
                "owner": "alice",
                "created": "2026-11-02",
            }
        )

    bare = postmortem("bare", "SEV1", "draft")
    alone = digest.build(
        [(bare, {})], [bare], [], [], month="2026-11", settings=Settings(), today=TODAY
    )
    assert alone.featured is None
    reviewed = postmortem("reviewed", "SEV4", "reviewed")
    both = digest.build(
        [(bare, {}), (reviewed, {})],
        [bare, reviewed],
        [],
        [],
        month="2026-11",
        settings=Settings(),
        today=TODAY,
    )
    assert both.featured is not None
    assert both.featured.postmortem.id == "2026-11-02-reviewed"


def test_feature_chooses_any_postmortem_and_an_unknown_one_is_an_error(examples: Project) -> None:
    add_hostile(examples)
    chosen = digest_service.build_digest(
        examples, today=TODAY, month="2015-10", feature=HOSTILE_ID
    ).digest
    assert chosen.featured is not None
    assert chosen.featured.postmortem.id == HOSTILE_ID
    assert chosen.chosen
    with pytest.raises(NotFoundError):
        digest_service.build_digest(examples, today=TODAY, month="2015-10", feature="2015-01-01-x")


def test_markdown_text_and_html_in_the_configured_language(examples: Project) -> None:
    result = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest
    markdown = digest_service.render(result, DigestFormat.MARKDOWN)
    assert markdown.startswith("# Postmortem digest 2015-10\n")
    assert "## Postmortem of the month" in markdown
    assert "- reviewed and approved" in markdown
    assert "**What went wrong**: We had no playbook at hand" in markdown
    assert "- median time to detect: 1m" in markdown
    text = digest_service.render(result, DigestFormat.TEXT)
    assert "**" not in text
    assert "Postmortem of the month\n---" in text
    html = digest_service.render(result, DigestFormat.HTML)
    assert html.startswith("<!doctype html>")
    assert "<h2>Postmortem of the month</h2>" in html

    config = examples.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('"en"', '"ja"', 1), encoding="utf-8"
    )
    japanese = digest_service.build_digest(
        load_project(examples.root), today=TODAY, month="2015-10"
    )
    rendered = digest_service.render(japanese.digest, DigestFormat.MARKDOWN)
    assert rendered.startswith("# ポストモーテム ダイジェスト 2015-10")
    assert "## 今月のポストモーテム" in rendered
    assert "- レビュー済み・承認済み" in rendered


def test_a_month_of_one_or_no_postmortem_is_counted_in_words(examples: Project) -> None:
    """It said "0 new postmortems this month. Read them: ..." and "1 new postmortems",
    "- 1 postmortems"."""
    empty = digest_service.build_digest(examples, today=TODAY, month="2015-11").digest
    assert "\nNo new postmortems this month.\n" in digest_service.render(
        empty, DigestFormat.MARKDOWN
    )
    (examples.postmortem_dir / "2015" / f"{JA_ID}.md").unlink()
    one = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest
    text = digest_service.render(one, DigestFormat.TEXT)
    assert "\n1 new postmortem this month. Read it: lessons" in text
    assert "\n- 1 postmortem\n" in text


def test_a_busy_month_quotes_the_lessons_of_the_ten_best_and_counts_the_rest(
    examples: Project,
) -> None:
    """A month of 500 postmortems quoted the lessons of all 500: an e-mail of 400 KB."""
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    drafts = {}
    for day in range(1, 12):  # before the examples (21st), and not reviewed: a lower score
        postmortem_id = f"2015-10-{day:02d}-draft-{day}"
        drafts[postmortem_id] = (
            english.replace(f"id: {EN_ID}", f"id: {postmortem_id}")
            .replace("2015-10-21", postmortem_id[:10])
            .replace("status: reviewed", "status: draft")
            .replace(f"related: [{JA_ID}]", "related: []")
            .replace("Shakespeare Sonnet++ postmortem (incident 465)", f"Draft {day}")
        )
    commit_postmortems(examples, drafts, "a busy month")
    result = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest
    text = digest_service.render(result, DigestFormat.MARKDOWN)
    learned = text.split("## What we learned", 1)[1].split("## Action items completed", 1)[0]

    headings = [line[4:] for line in learned.splitlines() if line.startswith("### ")]
    # The examples score best, but are the last of the month.
    assert headings == [
        *(f"Draft {day}" for day in range(1, 9)),
        "Shakespeare Sonnet++ postmortem (incident 465)",
        "Shakespeare Sonnet++ ポストモーテム(インシデント番号465)",
    ]
    assert learned.endswith("\nand 3 more\n\n")
    assert "13 new postmortems this month" in text
    new = text.split("## New postmortems", 1)[1].split("## What we learned", 1)[0]
    assert new.count("\n- 2015-10-") == 13  # every new postmortem is still listed


def test_action_items_completed_in_the_month_come_from_the_commits(examples: Project) -> None:
    result = run_cli(examples.root, "action", "done", EN_ID, "AI-3")
    assert result.returncode == 0, result.stderr
    # The suite's commits are dated 2026-11-23: the completion falls in 2026-11.
    november = digest_service.build_digest(examples, today=TODAY, month="2026-11").digest
    assert [(c.postmortem_id, c.item.id, c.on) for c in november.completed] == [
        (EN_ID, "AI-3", dt.date(2026, 11, 23))
    ]
    october = digest_service.build_digest(examples, today=TODAY, month="2026-10").digest
    assert october.completed == ()


def test_month_parsing_and_the_default_month() -> None:
    assert digest_service.previous_month(dt.date(2026, 1, 5)) == "2025-12"
    assert digest_service.parse_month("2026-02") == "2026-02"
    with pytest.raises(UsageError):
        digest_service.parse_month("2026-13")


def _configure(project: Project, smtp_port: int, hook_url: str) -> Project:
    with (project.root / "pmctl.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[notify]\nretry_backoff_seconds = 0\ntimeout_seconds = 5\n"
            f'[notify.email]\nhost = "127.0.0.1"\nport = {smtp_port}\n'
            'sender = "pmctl@example.com"\nto = ["sre@example.com"]\n'
            '[notify.webhook]\nurl_env = "PMCTL_TEST_WEBHOOK"\n'
        )
    git(project.root, "commit", "-qam", "notify")
    return load_project(project.root)


def test_send_mails_and_posts_the_digest(
    examples: Project, mailbox: Mailbox, chat: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _configure(examples, mailbox.port, chat.url)
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", chat.url)
    result = run_cli(project.root, "digest", "--month", "2015-10", "--send")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [message] = mailbox.messages
    assert message["Subject"] == "Postmortem digest 2015-10"
    assert "Postmortem of the month" in message.get_content()
    [request] = chat.requests
    posted = json.loads(request.body)["text"]
    assert posted.startswith("*Postmortem digest 2015-10*")
    assert "Shakespeare Sonnet++" in posted


def test_a_channel_that_fails_is_named_and_the_send_fails_after_the_others(
    examples: Project, mailbox: Mailbox, chat: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sending is the whole job of `--send`: a channel that fails is a failed command (it
    was exit 0, and a monthly cron job lost the digest without a word), after the digest is
    printed and the other channels have it."""
    project = _configure(examples, mailbox.port, chat.url)
    monkeypatch.delenv("PMCTL_TEST_WEBHOOK", raising=False)
    result = run_cli(project.root, "digest", "--month", "2015-10", "--send")
    assert result.returncode == ExitCode.NOT_SENT
    assert "webhook notification not sent: environment variable PMCTL_TEST_WEBHOOK" in result.stderr
    assert "error: the digest did not reach every channel (1 failed, named above)" in result.stderr
    assert result.stdout.startswith("# Postmortem digest 2015-10")
    assert len(mailbox.messages) == 1


def test_send_without_a_channel_is_a_usage_error(examples: Project) -> None:
    result = run_cli(examples.root, "digest", "--month", "2015-10", "--send")
    assert result.returncode == 2
    assert "no notification channel is configured" in result.stderr


def test_cli_formats(examples: Project, tmp_path: Path) -> None:
    html = run_cli(examples.root, "digest", "--month", "2015-10", "--format", "html")
    assert html.returncode == 0
    assert "<h1>Postmortem digest 2015-10</h1>" in html.stdout
    bad = run_cli(examples.root, "digest", "--format", "pdf")
    assert bad.returncode == 2
    assert "'pdf' is not one of 'markdown', 'html', 'text'" in bad.stderr


def test_a_wrapped_lesson_stays_one_item_and_control_characters_are_spelled_out(
    examples: Project,
) -> None:
    path = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
    text = path.read_text(encoding="utf-8").replace(
        "title: Shakespeare Sonnet++ postmortem (incident 465)",
        'title: "Sonnet\\e[2J postmortem"',
    )
    path.write_text(text, encoding="utf-8")
    result = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest
    markdown = digest_service.render(result, DigestFormat.MARKDOWN)

    assert "by several orders of magnitude; almost all of that traffic" in markdown
    assert "/ magnitude" not in markdown
    assert "可用性のエラーバジェットを(数桁にもわたって) 超えてしまったこと。それら" in markdown
    assert "\x1b" not in markdown
    # spelled out, and as text in Markdown (the backslash and the bracket escaped)
    assert "### Sonnet\\\\x1b\\[2J postmortem" in markdown
    assert "Sonnet\\x1b[2J postmortem" in digest_service.render(result, DigestFormat.TEXT)


def test_the_plain_text_digest_keeps_a_titles_marks(examples: Project) -> None:
    """The text for mail and chat was the Markdown with every `**` and a heading's leading
    `#`s taken out: "#1 outage: 2**10 retries" arrived as "1 outage: 210 retries"."""
    path = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
    title = "#1 outage: 2**10 retries"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Shakespeare Sonnet++ postmortem (incident 465)", f'title: "{title}"'
        ),
        encoding="utf-8",
    )
    result = digest_service.build_digest(examples, today=TODAY, month="2015-10").digest

    text = digest_service.render(result, DigestFormat.TEXT)
    assert f"\n{title}\n----" in text  # the lessons' heading
    assert f"2015-10-21 {title} (SEV1, reviewed)" in text
    assert "What went wrong: We had no playbook" in text
