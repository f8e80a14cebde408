"""The formats of `pmctl export`: JSON Lines and CSV.

JSON Lines keeps lists as arrays and unknown values as null; CSV cells are written by
`csv_cells.cell` (lists joined with `;`, formulas neutralised), so that pandas, DuckDB and a
spreadsheet read both as they are (docs/export.md); JSON Lines escapes control characters as
JSON does and keeps the text exact.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from pmctl.domain.learning.export import Record
from pmctl.ui.csv_cells import cell
from pmctl.ui.json_pieces import encode


def jsonl_lines(records: Iterable[Record]) -> Iterator[str]:
    """One line per record, each encoded when it is taken: `pmctl export` writes them as
    they come (at 10,000 postmortems, the whole text of the action items is ~60 MB)."""
    for record in records:
        yield encode(record) + "\n"


def csv_lines(columns: Sequence[str], records: Iterable[Record]) -> Iterator[str]:
    """The header, then one row per record, each written when it is taken (a row may hold
    line breaks, within quotes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(record[column]) for column in columns])
        yield buffer.getvalue()
