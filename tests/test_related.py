"""`pmctl related`, recurring causes (`pmctl trends`) and lint's related-link rule (PM704)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain.learning.recurring import Case, headline, ordinal, recurring
from pmctl.domain.project import Project
from pmctl.errors import NotFoundError
from pmctl.services.lint import lint
from pmctl.services.related import related
from pmctl.services.trends import trends
from tests.conftest import run_cli
from tests.library import SHAKESPEARE, SHAKESPEARE_JA, copy_shakespeare, write

TODAY = dt.date(2026, 11, 23)
POOL = "The connection pool to the orders database was exhausted by slow queries."


@pytest.fixture
def pools(repo: Project) -> Project:
    """Three checkout pool exhaustions, one search incident and an unrelated one."""
    write(
        repo,
        "2026-11-20-checkout-pool",
        status="draft",
        services=("checkout",),
        tags=("connection-pool",),
        sections={"summary": "Checkout failed for twenty minutes.", "root-causes": POOL},
    )
    write(
        repo,
        "2026-06-02-checkout-pool-exhausted",
        services=("checkout",),
        tags=("connection-pool",),
        sections={
            "summary": "Checkout failed during the sale.",
            "root-causes": "Slow queries exhausted the connection pool of the orders database.",
        },
    )
    write(
        repo,
        "2025-12-01-checkout-threads",
        services=("checkout",),
        sections={
            "summary": "Checkout was slow.",
            "root-causes": "Slow queries on the orders database held every connection of "
            "the pool until it was exhausted.",
        },
    )
    write(
        repo,
        "2026-02-02-search-pool",
        services=("search",),
        tags=("connection-pool",),
        sections={"summary": "Search errors.", "root-causes": "A pool of threads ran out."},
    )
    write(
        repo,
        "2026-03-03-cdn-cert",
        services=("cdn",),
        tags=("certificate",),
        sections={"summary": "CDN outage.", "root-causes": "A certificate expired."},
    )
    return repo


def test_related_ranks_by_services_tags_and_cause_with_the_reasons(pools: Project) -> None:
    result = related(pools, "2026-11-20-checkout-pool").result
    ranked = [found.profile.id for found in result.related]
    assert ranked == [
        "2026-06-02-checkout-pool-exhausted",
        "2025-12-01-checkout-threads",
        "2026-02-02-search-pool",
    ]
    best = result.related[0]
    kinds = {reason.kind: reason for reason in best.reasons}
    assert kinds["services"].shared == ("checkout",)
    assert kinds["tags"].shared == ("connection-pool",)
    assert {"connection", "pool", "exhausted"} <= set(kinds["text"].shared)
    assert best.score == pytest.approx(sum(reason.points for reason in best.reasons))
    assert 0.5 < best.score <= 1.0
    # Without a shared tag, the similar cause still ranks the threads incident second.
    assert {reason.kind for reason in result.related[1].reasons} == {"services", "text"}
    assert not best.linked


def test_an_unrelated_postmortem_is_not_listed(pools: Project) -> None:
    result = related(pools, "2026-11-20-checkout-pool", limit=10).result
    assert "2026-03-03-cdn-cert" not in [found.profile.id for found in result.related]


def test_links_in_either_direction_are_shown(repo: Project) -> None:
    copy_shakespeare(repo)
    (found,) = related(repo, SHAKESPEARE).result.related
    assert found.profile.id == SHAKESPEARE_JA
    assert found.linked
    assert {reason.kind for reason in found.reasons} == {"services", "tags"}


def test_an_unknown_id_is_not_found(pools: Project) -> None:
    with pytest.raises(NotFoundError, match="no postmortem with id '2026-01-01-nothing'"):
        related(pools, "2026-01-01-nothing")


def test_a_postmortem_that_is_not_valid_says_why(pools: Project) -> None:
    # A merge left conflict markers in it: "no valid postmortem with id ...; `pmctl search`
    # shows the ids" (exit 8) sent people looking for an id they had typed right.
    path = pools.postmortem_dir / "2026" / "2026-11-20-checkout-pool.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n",
        encoding="utf-8",
    )
    result = run_cli(pools.root, "related", "2026-11-20-checkout-pool")
    assert result.returncode == 6, result.stderr
    assert "2026-11-20-checkout-pool.md:" in result.stderr
    assert "unresolved merge conflict" in result.stderr


def test_related_cli_table_and_json(pools: Project) -> None:
    table = run_cli(pools.root, "related", "2026-11-20-checkout-pool", "-n", "1")
    assert table.returncode == 0, table.stderr
    assert "1. " in table.stdout
    assert "2026-06-02-checkout-pool-exhausted" in table.stdout
    assert "tags in common: connection-pool" in table.stdout
    document = json.loads(
        run_cli(pools.root, "related", "2026-11-20-checkout-pool", "--format", "json").stdout
    )
    assert document["version"] == 1
    assert document["related"][0]["id"] == "2026-06-02-checkout-pool-exhausted"
    assert {reason["kind"] for reason in document["related"][0]["reasons"]} == {
        "services",
        "tags",
        "text",
    }
    missing = run_cli(pools.root, "related", "2026-01-01-nothing")
    assert missing.returncode == 8


def test_recurring_causes_count_tagged_and_named_postmortems(pools: Project) -> None:
    found = trends(pools, today=TODAY).trends
    clusters = {(cluster.cause, cluster.service): cluster for cluster in found.clusters}
    checkout = clusters[("connection-pool", "checkout")]
    assert [member.id for member in checkout.members] == [
        "2025-12-01-checkout-threads",
        "2026-06-02-checkout-pool-exhausted",
        "2026-11-20-checkout-pool",
    ]
    # The threads incident is not tagged, but its root cause names the connection pool.
    assert [member.tagged for member in checkout.members] == [False, True, True]
    assert checkout.recent == 3
    assert checkout.per_year == {2025: 1, 2026: 2}
    across = clusters[("connection-pool", None)]
    assert across.services == ("checkout", "search")
    assert ("certificate", "cdn") not in clusters  # only one
    assert found.clusters[0] is across  # most in the period


def test_the_period_and_the_minimum_decide_what_recurs(pools: Project) -> None:
    recent = trends(pools, today=TODAY, since=dt.date(2026, 6, 1)).trends
    keys = {(cluster.cause, cluster.service) for cluster in recent.clusters}
    assert ("connection-pool", "checkout") in keys
    assert trends(pools, today=TODAY, minimum=5).trends.clusters == ()


def test_headline_says_which_one_this_is() -> None:
    cases = [
        Case(f"2026-0{n}-01-search-{n}", "t", dt.date(2026, n, 1), ("search",), ("cascade",))
        for n in (1, 5, 9)
    ]
    trend = recurring(cases, since=dt.date(2026, 1, 1), until=TODAY)
    (cluster,) = trend.clusters
    assert headline(cluster, since=trend.since, until=trend.until) == (
        "3 cascade postmortems of search from 2026-01-01 to 2026-11-23: "
        "the latest, 2026-09-01-search-9, is the 3rd"
    )
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_headline_names_the_latest_of_the_period_not_a_later_one() -> None:
    """`trends --today 2026-06-30` (a half-year review) named 2026-09-01-search-9, after the
    period, as the 2nd of it."""
    cases = [
        Case(f"2026-0{n}-01-search-{n}", "t", dt.date(2026, n, 1), ("search",), ("cascade",))
        for n in (1, 5, 9)
    ]
    until = dt.date(2026, 6, 30)
    (cluster,) = recurring(cases, since=dt.date(2026, 1, 1), until=until).clusters
    assert headline(cluster, since=dt.date(2026, 1, 1), until=until) == (
        "2 cascade postmortems of search from 2026-01-01 to 2026-06-30: "
        "the latest, 2026-05-01-search-5, is the 2nd"
    )


def test_the_default_period_is_a_calendar_year_across_a_leap_day(pools: Project) -> None:
    """365 days before 2028-11-23 is 2027-11-24 (2028 has a 29 February): the incident of
    exactly a year before was left out of "a year ago", as it is not in other years."""
    assert trends(pools, today=dt.date(2028, 11, 23)).trends.since == dt.date(2027, 11, 23)
    assert trends(pools, today=dt.date(2029, 2, 28)).trends.since == dt.date(2028, 2, 28)
    assert trends(pools, today=dt.date(2028, 2, 29)).trends.since == dt.date(2027, 2, 28)


def test_a_period_that_ends_before_it_begins_is_a_usage_error(pools: Project) -> None:
    """`trends --since 2027-01-01` on 2026-11-23 (a typo in the year) said "no cause recurs"
    from 2027-01-01 to 2026-11-23."""
    result = run_cli(pools.root, "trends", "--since", "2027-01-01")
    assert result.returncode == 2, result.stdout
    assert "--since 2027-01-01 is after the end of the period, 2026-11-23" in result.stderr
    one_day = run_cli(pools.root, "trends", "--since", "2026-11-23", "--today", "2026-11-23")
    assert one_day.returncode == 0, one_day.stderr


def test_trends_cli_formats(pools: Project) -> None:
    table = run_cli(pools.root, "trends")
    assert table.returncode == 0, table.stderr
    assert "connection-pool · checkout" in table.stdout
    markdown = run_cli(pools.root, "trends", "--format", "markdown").stdout
    assert markdown.startswith("# Recurring causes from 2025-11-23 to 2026-11-23")
    document = json.loads(run_cli(pools.root, "trends", "--format", "json").stdout)
    assert document["version"] == 1
    assert {cluster["cause"] for cluster in document["clusters"]} == {"connection-pool"}


def set_lint(project: Project, settings: str) -> Project:
    """`settings` in the `[lint]` table of the project's pmctl.toml (in place of `rules`)."""
    path = project.root / "pmctl.toml"
    text = path.read_text(encoding="utf-8").replace("rules = {}", settings, 1)
    path.write_text(text, encoding="utf-8")
    return load_project(project.root)


def test_pm704_is_off_by_default(pools: Project) -> None:
    findings = lint(pools, today=TODAY).findings
    assert "PM704" not in {finding.rule for finding in findings}


def test_pm704_suggests_linking_a_very_similar_postmortem(pools: Project) -> None:
    project = set_lint(pools, 'rules = { related-suggested = "warning" }')
    found = [f for f in lint(project, today=TODAY).findings if f.rule == "PM704"]
    assert [(finding.path.name, finding.severity.value) for finding in found] == [
        ("2026-11-20-checkout-pool.md", "warning")
    ]
    assert found[0].message.startswith("2026-06-02-checkout-pool-exhausted is very similar")
    assert "tags in common: connection-pool" in found[0].message
    # Only for the files being checked, and not once they are linked.
    draft = pools.postmortem_dir / "2026" / "2026-11-20-checkout-pool.md"
    other = pools.postmortem_dir / "2026" / "2026-03-03-cdn-cert.md"
    assert "PM704" not in [f.rule for f in lint(project, [other], today=TODAY).findings]
    assert "PM704" in [f.rule for f in lint(project, [draft], today=TODAY).findings]
    text = draft.read_text(encoding="utf-8").replace(
        "related: []", "related: [2026-06-02-checkout-pool-exhausted]"
    )
    draft.write_text(text, encoding="utf-8")
    assert "PM704" not in [f.rule for f in lint(project, today=TODAY).findings]


def test_pm704_threshold_is_configurable(pools: Project) -> None:
    project = set_lint(pools, 'rules = { PM704 = "error" }\nrelated_min_score = 1.0')
    assert "PM704" not in [f.rule for f in lint(project, today=TODAY).findings]


def test_lint_does_not_load_sqlite_while_pm704_is_off(pools: Project) -> None:
    script = (
        "import sys\n"
        "from pmctl.cli.app import main\n"
        "try:\n    main(['lint'])\nexcept SystemExit:\n    pass\n"
        "print('sqlite3' in sys.modules, 'pmctl.services.library' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=pools.root, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_a_tag_or_service_written_another_way_is_the_same_one(repo: Project) -> None:
    """`Cascading Failure`, `cascading_failure` and `cascading-failures` were three causes
    of one postmortem each, so the third cascading failure of search said "No cause recurs";
    and `related` found no tag or service in common between them."""
    for postmortem_id, service, tag in (
        ("2026-01-10-search-first", "search", "cascading-failure"),
        ("2026-02-10-search-second", "Search", "Cascading Failure"),
        ("2026-03-10-search-third", "SEARCH", "cascading_failures"),
    ):
        write(
            repo,
            postmortem_id,
            services=(service,),
            tags=(tag,),
            sections={"summary": "Errors.", "root-causes": "A deploy."},
        )
    (cluster,) = trends(repo, today=TODAY).trends.clusters
    assert (cluster.cause, cluster.service, cluster.recent) == ("cascading-failure", "search", 3)
    first = {
        item.profile.id: item for item in related(repo, "2026-01-10-search-first").result.related
    }
    reasons = {reason.kind: reason.shared for reason in first["2026-03-10-search-third"].reasons}
    assert reasons["services"] == ("search",)
    assert reasons["tags"] == ("cascading-failure",)


def test_a_postmortem_may_be_named_by_its_file(pools: Project) -> None:
    """`pmctl related postmortems/2026/<id>.md` (as a shell completes it), or an id pasted
    with a blank, was "no valid postmortem", where `show`, `status` and `drill` take them."""
    by_id = run_cli(pools.root, "related", "2026-11-20-checkout-pool")
    for given in ("postmortems/2026/2026-11-20-checkout-pool.md", " 2026-11-20-checkout-pool "):
        result = run_cli(pools.root, "related", given)
        assert (result.returncode, result.stdout) == (0, by_id.stdout), result.stderr
