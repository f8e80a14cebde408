"""Where foreign front matter starts and ends: YAML between `---` lines, TOML between `+++`
lines (as static-site generators write it), or a JSON object at the very start.

Only the boundaries: parsing the block is the foreign front-matter adapter's job. The block
and the body are cut exactly as written, with line numbers, so that the import can keep
every byte of both.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from enum import StrEnum


class Fence(StrEnum):
    YAML = "yaml"
    TOML = "toml"
    JSON = "json"


_DELIMITERS = {Fence.YAML: ("---", ("---", "...")), Fence.TOML: ("+++", ("+++",))}


@dataclass(frozen=True, slots=True)
class Block:
    """A front-matter block: `raw` is it with its delimiters, `content` what is parsed
    (starting on file line `content_line`), `body` everything after it (from `body_line`)."""

    fence: Fence
    raw: str
    content: str
    content_line: int
    body: str
    body_line: int


class FrontMatterError(ValueError):
    """Front matter that starts but cannot be read; `line` is 1-based in the file; `hint`
    how to mend it, when there is a better one than fixing the syntax."""

    def __init__(self, message: str, line: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


class RepeatedKey(ValueError):
    """A key given twice in one mapping of the front matter; `lines` (0-based in the
    block's content) of the first and the second, when the parser knows them."""

    def __init__(self, key: str, lines: tuple[int, int] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.lines = lines


def repeated_key_error(error: RepeatedKey, block: Block) -> FrontMatterError:
    """`error` as a refusal at the file line of the second key, naming the first."""
    lines = error.lines or _json_key_lines(block.content, error.key)
    first, second = (block.content_line + line for line in lines)
    return FrontMatterError(
        f"key {error.key!r} is given twice in the {block.fence.upper()} front matter "
        f"(lines {first} and {second}): which one holds is not known",
        second,
        f"keep one of the two (the first is at line {first}), then import again",
    )


def _json_key_lines(content: str, key: str) -> tuple[int, int]:
    """The lines of the first two `"key":` of a JSON text (its parser gives no positions)."""
    found = [
        _line(content, match.start()) - 1
        for match in re.finditer(re.escape(json.dumps(key)) + r"\s*:", content)
    ]
    return (found[0], found[1]) if len(found) > 1 else (0, 0)


def split(text: str) -> Block | None:
    """The front-matter block `text` (newlines `\\n`) starts with, or None.

    A `---` or `+++` line without a closing one is no front matter (a Markdown document may
    start with a thematic break). `FrontMatterError` for a JSON object that does not parse.
    """
    first, _, rest = text.partition("\n")
    for fence, (opening, closings) in _DELIMITERS.items():
        if first.rstrip() != opening:
            continue
        lines = rest.split("\n")
        for index, line in enumerate(lines):
            if line.rstrip() in closings:
                content = "\n".join(lines[:index])
                raw = "\n".join([first, *lines[: index + 1]])
                body = "\n".join(lines[index + 1 :])
                return Block(fence, raw, content + "\n" if content else "", 2, body, index + 3)
        return None
    if text.startswith("{"):
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as error:
            raise FrontMatterError(
                f"invalid JSON front matter: {json_message(error)}", error.lineno
            ) from None
        except RecursionError:  # (json recurses into each array and object: it was exit 70)
            raise FrontMatterError("invalid JSON front matter: nested too deeply", 1) from None
        except ValueError as error:  # an integer Python will not convert: it was exit 70
            number_line, message = too_long_number(error, text) or (1, str(error))
            raise FrontMatterError(f"invalid JSON front matter: {message}", number_line) from None
        line_end = text.find("\n", end)
        cut = len(text) if line_end < 0 else line_end
        if text[end:cut].strip():
            raise FrontMatterError(
                "text after the JSON front matter on its last line", _line(text, end)
            )
        body = "" if line_end < 0 else text[line_end + 1 :]
        raw = text[:cut]
        return Block(Fence.JSON, raw, raw, 1, body, raw.count("\n") + 2)
    return None


def json_message(error: json.JSONDecodeError) -> str:
    """The JSON parser's message, whole: for a line break in a string (a closing quote
    left out) it is 'Invalid control character at', its position cut off."""
    if error.msg == "Invalid control character at":
        return "a line break or tab inside a string (is a closing quote missing?)"
    return error.msg


def too_long_number(error: Exception, content: str) -> tuple[int, str] | None:
    """(1-based line in `content`, message) when a parser's `error` is Python refusing to
    convert an integer of more digits than `sys.get_int_max_str_digits()` (a plain
    `ValueError`, whose text names only Python's setting); None for any other error."""
    limit = sys.get_int_max_str_digits()
    if type(error) is not ValueError or not limit:
        return None
    found = re.search(rf"\d{{{limit + 1},}}", content)
    if found is None:
        return None
    return _line(content, found.start()), f"a number of more than {limit:,} digits (quote it)"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
