"""The formats of `pmctl export`: JSON Lines and CSV.

JSON Lines keeps lists as arrays and unknown values as null; CSV cells are written by
`csv_cells.cell` (lists joined with `;`, formulas neutralised), so that pandas, DuckDB and a
spreadsheet read both as they are (docs/export.md); JSON Lines escapes control characters as
JSON does and keeps the text exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pmctl.domain.learning.export import Record
from pmctl.ui.csv_cells import cell


def to_jsonl(records: Sequence[Record]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def to_csv(columns: Sequence[str], records: Sequence[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record[column]) for column in columns])
    return buffer.getvalue()
