"""Output formats of `pmctl report`: a rich table, Markdown, CSV and JSON.

The JSON shape is documented in docs/report.md and versioned by its `"version"` field:
fields may be added within a version, never renamed or removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from pmctl.domain.markdown_text import inline, link_target
from pmctl.domain.report import Report, Row
from pmctl.domain.visible_text import visible
from pmctl.ui.csv_cells import cell, text_cell
from pmctl.ui.json_pieces import array_member, encode

JSON_VERSION = 1

_COLUMNS = ("Priority", "Due", "Action", "Type", "Owner", "Status", "Postmortem", "Title")
"""Terminal and Markdown columns; the title last, so a long one never pushes the others."""
CSV_COLUMNS = (
    "postmortem_id",
    "action_id",
    "title",
    "type",
    "owner",
    "priority",
    "status",
    "due",
    "overdue",
    "tracker",
    "severity",
    "services",
    "postmortem_title",
    "path",
)


def _cells(row: Row) -> tuple[str, ...]:
    """The row's cells for people: whatever a document holds is shown on one line."""
    item = row.item
    return (
        item.priority.value if item.priority else "",
        item.due.isoformat() if item.due else "",
        item.id,
        item.type.value if item.type else "",
        visible(item.owner or ""),
        item.status.value,
        row.postmortem_id,
        visible(item.title),
    )


def _sections(report: Report) -> Iterable[tuple[str | None, tuple[Row, ...], int]]:
    if report.group_by is None:
        yield None, report.rows, report.totals.overdue
        return
    for group in report.groups:
        yield group.key, group.rows, group.overdue


def _heading(report: Report, key: str, rows: tuple[Row, ...], overdue: int) -> str:
    by = report.group_by.value if report.group_by else ""
    return f"{by}: {visible(key)} ({len(rows)}, {overdue} overdue)"


def totals_line(report: Report) -> str:
    totals = report.totals
    priorities = ", ".join(f"{key} {count}" for key, count in totals.by_priority.items())
    text = (
        f"{totals.items} action item{'s' if totals.items != 1 else ''} "
        f"in {totals.postmortems} postmortem{'s' if totals.postmortems != 1 else ''}, "
        f"{totals.overdue} overdue"
    )
    return f"{text} ({priorities})" if priorities else text


def _width(text: str) -> int:
    """Display width: CJK characters take two cells."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def print_table(report: Report) -> None:
    """The report as aligned columns on stdout (a heading per group), overdue dates in red.

    Not a rich `Table`: measuring and wrapping every cell takes seconds for the thousands of
    rows a big repository has. Columns are padded by display width (CJK counts double) and
    the title comes last, where a long one simply runs on. The text is built as one string
    with style spans; without a terminal it is written as it is.
    """
    from rich.text import Span, Text

    from pmctl.ui.console import stdout

    parts: list[str] = []
    spans: list[Span] = []
    offset = 0

    def add(text: str, style: str | None = None) -> None:
        nonlocal offset
        if style:
            spans.append(Span(offset, offset + len(text), style))
        parts.append(text)
        offset += len(text)

    for key, rows, overdue in _sections(report):
        if key is not None:
            add(_heading(report, key, rows, overdue), "bold")
            add("\n")
        table = [_COLUMNS, *(_table_cells(row) for row in rows)]
        # Each cell measured once, ASCII by its length: rich's cell_len on every cell, twice,
        # was a quarter of a warm `report` of 27,000 open items (0.45 of 1.7 s, cProfile).
        lengths = [[_width(cell) for cell in cells[:-1]] for cells in table]
        widths = [max(row[i] for row in lengths) for i in range(len(_COLUMNS) - 1)]
        for number, (cells, measured) in enumerate(zip(table, lengths, strict=True)):
            line = "".join(
                cell + " " * (width - length + 2)
                for cell, length, width in zip(cells, measured, widths, strict=False)
            )
            if number == 0:
                add(line + cells[-1], "bold")
            elif rows[number - 1].overdue:
                due_end = len(cells[0]) + widths[0] - measured[0] + 2 + len(cells[1])
                add(line[: due_end - len(cells[1])])
                add(cells[1], "bold red")
                add(line[due_end:] + cells[-1])
            else:
                add(line + cells[-1])
            add("\n")
        add("\n")
    add(f"as of {report.today.isoformat()}: {totals_line(report)}\n")
    console = stdout()
    if console.is_terminal:
        console.print(Text("".join(parts), spans=spans, end=""), soft_wrap=True)
    else:
        console.file.write("".join(parts))


def _table_cells(row: Row) -> tuple[str, ...]:
    cells = _cells(row)
    return (cells[0], f"{cells[1]} overdue", *cells[2:]) if row.overdue else cells


def to_markdown(report: Report) -> str:
    """GitHub-flavoured Markdown, for a weekly mail or a wiki page."""
    lines = [f"# Open action items ({report.today.isoformat()})", ""]
    headers = _COLUMNS
    for key, rows, overdue in _sections(report):
        if key is not None:
            lines += [f"## {inline(_heading(report, key, rows, overdue))}", ""]
        if not rows:
            lines += ["_No action items._", ""]
            continue
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "|".join("---" for _ in headers) + "|")
        for row in rows:
            cells = [inline(cell) for cell in _cells(row)]
            if row.overdue:
                cells[1] = f"**{cells[1]} overdue**"
            cells[6] = f"[{cells[6]}]({link_target(row.path)})"
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(f"**Total:** {inline(totals_line(report))}")
    return "\n".join(lines) + "\n"


def to_csv(report: Report) -> str:
    """One line per action item (per group and item when grouped, with a `group` column)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    grouped = report.group_by is not None
    writer.writerow((("group",) if grouped else ()) + CSV_COLUMNS)
    for key, rows, _ in _sections(report):
        for row in rows:
            record = _record(row)
            values = tuple(cell(record[column]) for column in CSV_COLUMNS)
            writer.writerow(((text_cell(key or ""),) if grouped else ()) + values)
    return buffer.getvalue()


def to_json(report: Report) -> str:
    """The stable JSON shape (docs/report.md), indented, ending with a newline."""
    return "".join(json_lines(report))


def json_lines(report: Report) -> Iterator[str]:
    """`to_json`, a line at a time, each item encoded as it is reached: `pmctl report`
    writes them as they come (at 10,000 postmortems, holding the items and the whole text
    took 67 MB more than the table)."""
    head = {
        "version": JSON_VERSION,
        "today": report.today.isoformat(),
        "group_by": report.group_by.value if report.group_by else None,
        "totals": {
            "items": report.totals.items,
            "overdue": report.totals.overdue,
            "postmortems": report.totals.postmortems,
            "by_priority": report.totals.by_priority,
        },
    }
    yield "{\n"
    for key, value in head.items():
        yield f"  {encode(key)}: {encode(value)},\n"
    # One compact object a line: readable, diffable, and fast (`json.dumps(indent=...)`
    # falls back to the pure-Python encoder, a quarter of a second on 10,000 items).
    yield from array_member("items", (encode(_record(row)) for row in report.rows), last=False)
    groups = (
        {
            "key": group.key,
            "items": len(group.rows),
            "overdue": group.overdue,
            "actions": [[row.postmortem_id, row.item.id] for row in group.rows],
        }
        for group in report.groups
    )
    yield from array_member("groups", map(encode, groups), last=True)
    yield "}\n"


def _record(row: Row) -> dict[str, Any]:
    item = row.item
    return {
        "postmortem_id": row.postmortem_id,
        "action_id": item.id,
        "title": item.title,
        "type": item.type.value if item.type else None,
        "owner": item.owner,
        "priority": item.priority.value if item.priority else None,
        "status": item.status.value,
        "due": item.due.isoformat() if item.due else None,
        "overdue": row.overdue,
        "tracker": item.tracker,
        "severity": row.severity,
        "services": list(row.services),
        "postmortem_title": row.postmortem_title,
        "path": row.path,
    }
