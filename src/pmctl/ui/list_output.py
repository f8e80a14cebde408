"""Output of `pmctl list` (and `status --list`): a table, JSON or CSV.

The JSON and CSV shapes are documented in docs/list.md; JSON is versioned by its
`"version"` field (fields may be added within a version, never renamed or removed).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pmctl.domain.document import Invalid
from pmctl.domain.report import incident_date
from pmctl.domain.status_report import Listing, Row
from pmctl.domain.visible_text import visible
from pmctl.domain.wording import plural
from pmctl.ui.csv_cells import cell
from pmctl.ui.json_pieces import array_member

JSON_VERSION = 1
CSV_COLUMNS = (
    "id",
    "title",
    "status",
    "severity",
    "owner",
    "incident_date",
    "services",
    "review_by",
    "overdue",
    "open_action_items",
    "path",
)


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(cell: str, width: int, *, right: bool) -> str:
    fill = " " * (width - display_width(cell))
    return fill + cell if right else cell + fill


def _open_items(row: Row) -> int:
    return sum(item.status.is_open for item in row.postmortem.action_items)


def render_table(listing: Listing) -> str:
    """One line per postmortem, numbers right-aligned, the title last; then the files that
    are not valid postmortems and a summary."""
    header = ("ID", "STATUS", "SEVERITY", "OWNER", "REVIEW BY", "", "OPEN", "TITLE")
    table = [header]
    for row in listing.rows:
        postmortem = row.postmortem
        table.append(
            (
                postmortem.id,
                postmortem.status.value,
                visible(postmortem.severity),
                visible(postmortem.owner),
                row.deadline.isoformat() if row.deadline else "-",
                "OVERDUE" if row.overdue else "",
                str(_open_items(row)),
                visible(postmortem.title),
            )
        )
    widths = [max(display_width(cells[i]) for cells in table) for i in range(len(header))]
    numeric = {header.index("OPEN")}
    lines = [
        "  ".join(
            _pad(cell, width, right=index in numeric)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()
        for cells in table
    ]
    lines.extend(
        f"invalid: {visible(item.location)}: {visible(item.message)}" for item in listing.invalid
    )
    overdue = sum(row.overdue for row in listing.rows)
    summary = f"{plural(len(listing.rows), 'postmortem')}, {overdue} past their review deadline"
    if listing.invalid:
        summary += f", {plural(len(listing.invalid), 'invalid file')}"
    lines.append(summary)
    return "\n".join(lines)


def _record(row: Row, root: Path) -> dict[str, Any]:
    postmortem = row.postmortem
    return {
        "id": postmortem.id,
        "title": postmortem.title,
        "status": postmortem.status.value,
        "severity": postmortem.severity,
        "owner": postmortem.owner,
        "incident_date": incident_date(postmortem).isoformat(),
        "services": list(postmortem.services),
        "review_by": row.deadline.isoformat() if row.deadline else None,
        "overdue": row.overdue,
        "open_action_items": _open_items(row),
        "path": row.path.relative_to(root).as_posix()
        if row.path.is_relative_to(root)
        else str(row.path),
    }


def json_lines(rows: Iterable[Row], invalid: Sequence[Invalid], *, root: Path) -> Iterator[str]:
    """The JSON document of `rows` and `invalid`, a postmortem at a time, each encoded as it
    is reached: `pmctl list` writes them as they come (at 10,000 postmortems, holding every
    row and the whole text took ~145 MB). `invalid` is read once `rows` is exhausted, so it
    may be filled meanwhile."""
    yield f'{{\n  "version": {JSON_VERSION},\n'
    yield from array_member(
        "postmortems", (_indented(_record(row, root)) for row in rows), last=False
    )
    items = ({"location": item.location, "message": item.message} for item in invalid)
    yield from array_member("invalid", map(_indented, items), last=True)
    yield "}\n"


def _indented(value: dict[str, Any]) -> str:
    """`value` as `json.dumps(indent=2)` lays it out inside the document's array (the
    document's bytes are those of one `json.dumps` of it)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")


def to_csv(listing: Listing, *, root: Path) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in listing.rows:
        record = _record(row, root)
        record["overdue"] = "yes" if record["overdue"] else "no"
        writer.writerow({key: cell(value) for key, value in record.items()})
    return buffer.getvalue()
