"""JSON documents written a piece at a time (`report`, `list` and `export` at 10,000
postmortems): each value is encoded when it is reached, so the whole text is never held."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pmctl.domain.visible_text import json_safe

encode = json.JSONEncoder(ensure_ascii=False).encode
"""One encoder for every value of the streamed data (`report`, `list`, `export`): `json.dumps`
with any option builds a new one per call. Their values are written as JSON writes them,
without `dumps`' escapes: data for programs, tens of MB at 10,000 postmortems, where the
escapes' scan cost `report --format json` 12 % (2.06 s against 1.88 s warm, farm-bench)."""


def dumps(value: object) -> str:
    """`value` as a JSON document indented by two, with no character a terminal would act
    on (`json_safe`): the `--format json` of every command but the streamed data's."""
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2))


def array_member(key: str, elements: Iterable[str], *, last: bool) -> Iterator[str]:
    """`"key": [...]`, a member of a top-level object indented by two, each of `elements`
    (encoded already, its own inner lines indented by four) on a line of its own; `last`
    leaves out the comma after it. An empty array is `[]` on the key's line."""
    end = "\n" if last else ",\n"
    opened = False
    for element in elements:
        yield (",\n    " if opened else f"  {encode(key)}: [\n    ") + element
        opened = True
    yield f"\n  ]{end}" if opened else f"  {encode(key)}: []{end}"
