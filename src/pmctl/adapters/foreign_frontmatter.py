"""Front matter of another schema — YAML, TOML (`+++`) or JSON — read with python-frontmatter.

Only `pmctl import` reads it, once per legacy file; pmctl's own documents are read by the one
reader (`adapters/documents.py`), never by this. python-frontmatter's handlers detect the
format and parse the block; where the block starts and ends is found by
`domain/legacy/front.py`, which keeps its exact text and lines. YAML is read the way the
static-site generators that wrote it read it (PyYAML's safe loader, YAML 1.1: `2023-02-14`
is a date, an offset on a date-time is kept). TOML is read with the standard library's
`tomllib` through a python-frontmatter handler (the library's own needs the `toml` package).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pmctl.domain.legacy.front import (
    Block,
    Fence,
    FrontMatterError,
    RepeatedKey,
    json_message,
    repeated_key_error,
    split,
    too_long_number,
)

if TYPE_CHECKING:
    from frontmatter.default_handlers import BaseHandler


@dataclass(frozen=True, slots=True)
class ForeignFrontMatter:
    block: Block
    data: dict[str, Any]


def read(text: str) -> ForeignFrontMatter | None:
    """The front matter `text` starts with, parsed; None when it starts with none.

    A `---` block that is not a YAML mapping (a Markdown thematic break, then prose) is
    not front matter either. `FrontMatterError` for TOML or JSON that does not parse,
    or YAML that does not parse and is not plain prose.
    """
    block = split(text)
    if block is None:
        return None
    try:
        data = _handlers()[block.fence].load(block.content)
    except RepeatedKey as error:
        raise repeated_key_error(error, block) from None
    except Exception as error:  # each parser (PyYAML, tomllib, json) raises its own type
        if block.fence is Fence.YAML and not _looks_like_yaml(block.content):
            return None
        line, message = _position(error, block.content)
        raise FrontMatterError(
            f"invalid {block.fence.upper()} front matter: {message}",
            block.content_line + line - 1,
        ) from None
    if not isinstance(data, dict):
        if block.fence is Fence.YAML:
            return None  # a thematic break and prose, read as a YAML scalar
        raise FrontMatterError(
            f"the {block.fence.upper()} front matter is not a table of keys", block.content_line
        )
    return ForeignFrontMatter(block, data)


def _looks_like_yaml(content: str) -> bool:
    """Whether a `---` block that failed to parse was meant as YAML (it has a `key:` line)."""
    return bool(re.search(r"^[\w-]+:(?:\s|$)", content, re.MULTILINE))


def _position(error: Exception, content: str) -> tuple[int, str]:
    """(1-based line within the block `content`, message) of a parser's error."""
    if isinstance(error, RecursionError):  # arrays or tables thousands deep
        return 1, "nested too deeply"
    too_long = too_long_number(error, content)
    if too_long is not None:
        return too_long
    import yaml  # (loaded already: python-frontmatter's YAML handler is PyYAML)

    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        from pmctl.adapters.yaml_fallback import never_closed

        opened = never_closed(error, content)
        if opened is not None:
            return opened[1], opened[0]
        return error.problem_mark.line + 1, error.problem or str(error)
    if isinstance(error, json.JSONDecodeError):
        return error.lineno, json_message(error)
    match = re.search(r"\(at line (\d+), column \d+\)", str(error))  # tomllib
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
    if message == "Cannot overwrite a value":  # tomllib's words for a key given twice
        message = "a key given twice (or a value overwritten by a table)"
    if match:
        return int(match[1]), message
    at_end = message.endswith(" (at end of document)")
    start = _toml_never_closed(content) if at_end else None
    if start is not None:
        return start, message.replace(" (at end of document)", ": what opens here is never closed")
    return 1, message


_TOML_SEARCH_LINES = 300
"""At most so many lines are searched for the opening of what is never closed (a parse per
line: a front matter longer than that is no one's)."""


def _toml_never_closed(content: str) -> int | None:
    """The line of `content` where the string, array or table tomllib reports running into
    the end of the document opens: the one after the longest run of lines that parses.
    (tomllib only says 'at end of document', which was shown at the block's first line.)"""
    import tomllib

    lines = content.split("\n")
    if len(lines) > _TOML_SEARCH_LINES:
        return None
    parsed = 0
    for count in range(1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[:count]))
        except tomllib.TOMLDecodeError:
            continue
        parsed = count
    return parsed + 1 if parsed < len(lines) else None


@cache
def _handlers() -> dict[Fence, BaseHandler]:
    import tomllib

    from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
    from yaml import MappingNode, SafeLoader

    class UniqueKeys(SafeLoader):
        """PyYAML's safe loader, refusing a key given twice in one mapping (it keeps the
        last, so a merge that kept both sides took one of them without a word)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, MappingNode):
                seen: dict[tuple[str, str], int] = {}
                for key, _ in node.value:
                    if key.tag == "tag:yaml.org,2002:merge" or not isinstance(key.value, str):
                        continue  # (`<<` merges, which its own keys may override)
                    first = seen.get((key.tag, key.value))
                    if first is not None:
                        raise RepeatedKey(key.value, (first, key.start_mark.line))
                    seen[key.tag, key.value] = key.start_mark.line
            return super().construct_mapping(node, deep=deep)

    class UniqueYamlHandler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return super().load(fm, Loader=UniqueKeys)

    def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key in data:
                raise RepeatedKey(key)
            data[key] = value
        return data

    class UniqueJsonHandler(JSONHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return json.loads(fm, object_pairs_hook=unique_pairs)

    class TomlHandler(BaseHandler):
        """TOML front matter between `+++` lines, parsed by the standard library."""

        FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
        START_DELIMITER = END_DELIMITER = "+++"

        def load(self, fm: str, **kwargs: object) -> Any:
            return tomllib.loads(fm)

    return {
        Fence.YAML: UniqueYamlHandler(),
        Fence.TOML: TomlHandler(),
        Fence.JSON: UniqueJsonHandler(),
    }
