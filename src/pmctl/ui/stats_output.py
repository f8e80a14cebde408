"""Output formats of `pmctl stats`: terminal tables, Markdown and JSON.

Durations are shown rounded for people (`41m`, `3h 05m`, `2.5d`); the JSON carries exact
seconds. The JSON shape is documented in docs/stats.md and versioned by `"version"`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pmctl.domain.durations import duration, percent
from pmctl.domain.markdown_text import inline
from pmctl.domain.metrics import Distribution, ProcessRow, Stats
from pmctl.domain.visible_text import visible
from pmctl.ui.json_pieces import dumps

JSON_VERSION = 1


def _sections(stats: Stats) -> list[tuple[str, tuple[str, ...], Sequence[tuple[str, ...]]]]:
    """(title, headers, rows) of every table, shared by the terminal and Markdown formats."""
    times = [
        ("time to detect", stats.time_to_detect),
        ("time to mitigate", stats.time_to_mitigate),
        ("time to resolve", stats.time_to_resolve),
        *((f"incident to {status}", value) for status, value in stats.time_to_status.items()),
    ]
    deadline = stats.review_deadline
    actions = stats.actions
    return [
        (
            "Postmortems",
            ("", "count"),
            [("total", str(stats.postmortems))]
            + [(f"month {key}", str(n)) for key, n in stats.per_month.items()]
            + [(f"severity {visible(key)}", str(n)) for key, n in stats.per_severity.items()]
            + [(f"service {visible(key)}", str(n)) for key, n in stats.per_service.items()],
        ),
        (
            "Durations",
            ("", "n", "median", "p90"),
            [(name, str(d.count), duration(d.median), duration(d.p90)) for name, d in times],
        ),
        (
            "Reviewed within the deadline",
            ("share", "on time", "late", "pending", "unknown"),
            [
                (
                    percent(deadline.share),
                    str(deadline.on_time),
                    str(deadline.late),
                    str(deadline.pending),
                    str(deadline.unknown),
                )
            ],
        ),
        (
            "Action items",
            ("total", "done", "open", "overdue", "wontfix", "completion", "median open age"),
            [
                (
                    str(actions.total),
                    str(actions.done),
                    str(actions.open),
                    str(actions.overdue),
                    str(actions.wontfix),
                    percent(actions.completion_rate),
                    "-"
                    if actions.median_open_age_days is None
                    else f"{actions.median_open_age_days:g}d",
                )
            ],
        ),
        *(
            section
            for kind, rows in (
                ("quarter", stats.process.by_quarter),
                ("service", stats.process.by_service),
                ("team", stats.process.by_team),
            )
            if rows
            for section in _process_sections(kind, rows)
        ),
    ]


def _process_sections(
    kind: str, rows: Sequence[ProcessRow]
) -> list[tuple[str, tuple[str, ...], Sequence[tuple[str, ...]]]]:
    """The review process and its action items, as two tables: as one, its eight columns
    did not fit an 80-column terminal and rich cut the names of services short."""
    return [
        (
            f"Process by {kind}",
            (
                kind,
                "postmortems",
                "closed",
                "incident to closed (median)",
                "review rounds (median, max)",
            ),
            [_review_cells(row) for row in rows],
        ),
        (
            f"Action items by {kind}",
            (kind, "action items", "per postmortem", "closed"),
            [_action_cells(row) for row in rows],
        ),
    ]


def _review_cells(row: ProcessRow) -> tuple[str, ...]:
    rounds = row.review_rounds
    return (
        visible(row.key),
        str(row.postmortems),
        str(row.closed),
        duration(row.incident_to_closed.median),
        "-" if rounds.median is None else f"{rounds.median:g} ({rounds.maximum:g})",
    )


def _action_cells(row: ProcessRow) -> tuple[str, ...]:
    return (
        visible(row.key),
        str(row.actions),
        "-" if row.actions_per_postmortem is None else f"{row.actions_per_postmortem:.1f}",
        percent(row.actions_closed_share),
    )


def print_tables(stats: Stats) -> None:
    from rich.markup import escape
    from rich.table import Table

    from pmctl.ui.console import stdout

    console = stdout()
    for title, headers, rows in _sections(stats):
        table = Table(title=escape(title), title_justify="left")
        # The only text column is the first, of row labels, kept whole (a service's name cut
        # short names nothing); numbers align right, and their headers wrap instead.
        labels = max((len(row[0]) for row in rows), default=0)
        table.add_column(escape(headers[0]), min_width=min(labels, 40), no_wrap=True)
        for header in headers[1:]:
            table.add_column(escape(header), justify="right")
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        console.print(table)
    console.print(f"as of {stats.today.isoformat()}")


def to_markdown(stats: Stats) -> str:
    lines = [f"# Postmortem statistics ({stats.today.isoformat()})", ""]
    for title, headers, rows in _sections(stats):
        lines += [f"## {title}", ""]
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|---|" + "---:|" * (len(headers) - 1))
        # A row's label (a service, a severity, a team) is the documents' text; the other
        # cells are pmctl's numbers.
        lines += ["| " + " | ".join((inline(row[0]), *row[1:])) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def to_json(stats: Stats) -> str:
    deadline = stats.review_deadline
    actions = stats.actions
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "today": stats.today.isoformat(),
        "postmortems": {
            "total": stats.postmortems,
            "per_month": stats.per_month,
            "per_severity": stats.per_severity,
            "per_service": stats.per_service,
        },
        "durations_seconds": {
            "time_to_detect": _distribution(stats.time_to_detect),
            "time_to_mitigate": _distribution(stats.time_to_mitigate),
            "time_to_resolve": _distribution(stats.time_to_resolve),
            **{
                f"incident_to_{status.replace('-', '_')}": _distribution(value)
                for status, value in stats.time_to_status.items()
            },
        },
        "review_deadline": {
            "on_time": deadline.on_time,
            "late": deadline.late,
            "pending": deadline.pending,
            "unknown": deadline.unknown,
            "share": deadline.share,
        },
        "action_items": {
            "total": actions.total,
            "done": actions.done,
            "open": actions.open,
            "overdue": actions.overdue,
            "wontfix": actions.wontfix,
            "completion_rate": actions.completion_rate,
            "median_open_age_days": actions.median_open_age_days,
        },
        "process": {
            "by_quarter": [_process(row) for row in stats.process.by_quarter],
            "by_service": [_process(row) for row in stats.process.by_service],
            "by_team": [_process(row) for row in stats.process.by_team],
        },
    }
    return dumps(document) + "\n"


def _distribution(value: Distribution) -> dict[str, Any]:
    return {"count": value.count, "median": value.median, "p90": value.p90}


def _process(row: ProcessRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "postmortems": row.postmortems,
        "closed": row.closed,
        "incident_to_closed_seconds": _distribution(row.incident_to_closed),
        "review_rounds": {**_distribution(row.review_rounds), "max": row.review_rounds.maximum},
        "action_items": row.actions,
        "action_items_per_postmortem": row.actions_per_postmortem,
        "action_items_closed": row.actions_closed,
        "action_items_closed_share": row.actions_closed_share,
    }
