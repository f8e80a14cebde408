"""The reading club's sessions file (`.pmctl/reading-club.toml`): read and validated.

TOML, so that people can read and edit it; pmctl only ever appends a `[[session]]` table
to it (`domain.learning.reading_club.session_toml`), so comments and hand edits stay.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pmctl.domain.learning.reading_club import Log
from pmctl.errors import DocumentError

_SESSION_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*session[ \t]*\]\]", re.MULTILINE)
_HINT = "fix the session it names (see docs/learning.md#reading-club), or remove it"


def read(path: Path) -> tuple[bytes | None, Log]:
    """The file's bytes (None if there is none) and its sessions; `DocumentError` at
    `file:line` if it is not a valid sessions file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, Log()
    return raw, parse(path, raw)


def parse(path: Path, raw: bytes) -> Log:
    """The sessions in `raw`, the content of `path`."""
    from pydantic import ValidationError

    try:
        # (an editor may start UTF-8 with a byte-order mark, which tomllib refuses)
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DocumentError("not UTF-8 text", hint=_HINT, location=str(path)) from None
    except RecursionError:  # tomllib recurses into each array and inline table: exit 70
        raise DocumentError(
            "invalid TOML: arrays or inline tables nested too deeply",
            hint=_HINT,
            location=str(path),
        ) from None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise DocumentError(
            f"invalid TOML: {error}",
            hint=_HINT,
            location=f"{path}:{line[1]}" if line else str(path),
        ) from None
    try:
        return Log.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        number = _line_of(raw.decode("utf-8-sig"), first["loc"])
        raise DocumentError(
            f"{where}: {first['msg']}",
            hint=_HINT,
            location=f"{path}:{number}" if number else str(path),
        ) from None


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The line of the key that `loc` (`session`, 0, `discussed`, ...) names: in the
    `[[session]]` table it counts, the line of the key, else of the table's header."""
    if len(loc) < 2 or loc[0] != "session" or not isinstance(loc[1], int):
        return None
    headers = list(_SESSION_HEADER.finditer(text))
    if loc[1] >= len(headers):
        return None  # the sessions are not written as [[session]] tables
    start = headers[loc[1]].start()
    end = headers[loc[1] + 1].start() if loc[1] + 1 < len(headers) else len(text)
    at = start
    if len(loc) > 2:
        key = re.compile(rf"^[ \t]*{re.escape(str(loc[2]))}[ \t]*=", re.MULTILINE)
        found = key.search(text, start, end)
        at = found.start() if found else start
    return text.count("\n", 0, at) + 1
