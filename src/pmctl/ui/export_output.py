"""The formats of `pmctl export`: JSON Lines and CSV.

JSON Lines keeps lists as arrays and unknown values as null; CSV writes lists joined with
`;`, booleans as `true`/`false` and unknown values as empty cells, so that pandas, DuckDB and
a spreadsheet read both as they are (docs/export.md). A CSV cell shows control characters
spelled out (`visible`), as every table pmctl prints does; JSON Lines escapes them as JSON
does and keeps the text exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pmctl.domain.learning.export import Record
from pmctl.domain.visible_text import visible


def to_jsonl(records: Sequence[Record]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def to_csv(columns: Sequence[str], records: Sequence[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record[column]) for column in columns])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(visible(str(item)) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return visible(str(value))
