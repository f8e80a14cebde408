"""Finding and reading `pmctl.toml`.

Every problem points at `pmctl.toml:line` and says how to fix it; an unknown key suggests
the closest known one, so a typo never passes silently.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pmctl.domain.config import CONFIG_FILE, ImportMap, Settings
from pmctl.domain.project import Project
from pmctl.errors import ConfigError


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `pmctl.toml`.

    A `pmctl.toml` there that is no file (a directory, a pipe, a device, a link to nothing)
    is a `ConfigError` naming it: it was passed over, and the error said "no pmctl.toml
    found ... run `pmctl init`", or a parent directory's configuration was taken instead."""
    start = start.resolve()
    for directory in (start, *start.parents):
        config = directory / CONFIG_FILE
        if os.path.isfile(config):  # (Path.is_file raises on too long a name, in 3.11)
            return directory
        if os.path.lexists(config):
            raise ConfigError(
                f"{config} is not a file: {_kind(config)}",
                hint=f"remove it; `pmctl init` then writes a {CONFIG_FILE} of the defaults",
            )
    return None


def _kind(path: Path) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        return f"a symbolic link to {os.readlink(path)}, which does not exist"
    if os.path.isdir(path):
        return "a directory"
    return "a pipe, socket or device"


def load_project(start: Path) -> Project:
    """The project containing `start`; `ConfigError` if there is none or it is invalid."""
    root = find_root(start)
    if root is None:
        raise ConfigError(
            f"no {CONFIG_FILE} found in {start.resolve()} or any parent directory",
            hint="run `pmctl init` at the top of your postmortem repository",
        )
    config = root / CONFIG_FILE
    settings = read_settings(config)
    _check_postmortem_dir(root, config, settings.postmortem_dir)
    return Project(root, settings)


def record_file(project: Project) -> Path:
    """The file of `[reading_club] record_file`; `ConfigError` at its line unless it names a
    file of its own in the repository: `reading-club` reads it and `--record` writes and
    commits it. Outside the repository, a directory or too long a name was exit 70; in
    `.git` the file was written, then the commit failed; in the postmortem directory lint
    takes it for a postmortem. (Checked when the reading club needs it, so that a `.pmctl`
    linked elsewhere stops no other command.)"""
    root, settings = project.root, project.settings
    value = settings.reading_club.record_file
    reason = _not_a_file_of_its_own(root, value, root / settings.postmortem_dir)
    if reason is None:
        return root / value
    config = root / CONFIG_FILE
    text = config.read_text(encoding="utf-8-sig")
    table = _key_line(text, "reading_club")
    line = _key_line(text, "record_file", start=table or 1)
    raise ConfigError(
        f"reading_club.record_file {value!r} {reason}",
        hint='keep the sessions in a file of their own, e.g. ".pmctl/reading-club.toml"',
        location=f"{config}:{line}" if line else str(config),
    )


def _check_postmortem_dir(root: Path, config: Path, value: str) -> None:
    """`ConfigError` at its line unless `postmortem_dir` is a directory inside `root` (the
    directory of pmctl.toml; symbolic links followed) and not inside a `.git` directory.

    Every command reads there, and `new`, `status`, `action` and `review` write there: a
    postmortem must never be written to `/etc` or into git's own files. Nor may it be the
    root itself (`""`, `"."`): every Markdown file of the repository would then be read as a
    postmortem, pmctl's own INDEX.md first (lint failed on it, PM006), and a blank name
    (`" "`) is a typo that silently found no postmortems at all.
    """
    place = root / value
    try:
        resolved = place.resolve()
    except (OSError, RuntimeError, ValueError) as error:  # a link loop, a NUL byte
        reason = f"cannot be resolved ({error})"
    else:
        inside = resolved.is_relative_to(root)
        file = _a_file_on_the_way(root, resolved) if inside else None
        unusable = _unusable(resolved)
        if not value.strip():
            reason = "is blank"
        elif (taken_literally := _taken_literally(value)) is not None:
            reason = taken_literally
        elif unusable is not None:
            reason = f"cannot be a directory: {unusable}"
        elif resolved == root:
            reason = f"is the repository's root, {root}, not a directory of postmortems in it"
        elif file is not None:
            reason = f"is not a directory: {file.relative_to(root)} is a file"
        elif inside and not in_git_dir(root, resolved):
            return
        elif not inside:
            through_link = Path(os.path.normpath(place)).is_relative_to(root)
            link = " through a symbolic link" if through_link else ""
            reason = f"leads to {resolved}{link}, outside {root}"
        else:
            reason = "is inside .git, git's own directory"
    line = _key_line(config.read_text(encoding="utf-8-sig"), "postmortem_dir")
    raise ConfigError(
        f"postmortem_dir {value!r} {reason}",
        hint='postmortems live in the repository: use a directory next to pmctl.toml, e.g. "postmortems"',
        location=f"{config}:{line}" if line else str(config),
    )


def _taken_literally(value: str) -> str | None:
    """Why `value` would not name the place it is meant to: pmctl, like git, does not
    expand `~` or `$VARIABLE`, and `\\` is no separator. `postmortem_dir = "~/postmortems"`
    made a directory named `~` in the repository (which `rm -rf ~` then removes in full
    from home), `"docs\\postmortems"` one named so, backslash and all."""
    if value.startswith("~"):
        return "starts with ~, which is not expanded: '~' would be a directory in the repository"
    variable = re.search(r"\$(?:\{\w*\}?|[A-Za-z_]\w*)", value)
    if variable:
        return f"holds {variable[0]}, which is not expanded: it would be part of a name as it is"
    if "\\" in value:
        return f"holds a backslash, which is no separator: write {value.replace(chr(92), '/')!r}"
    return None


def in_git_dir(root: Path, path: Path) -> bool:
    """Whether `path` (symbolic links resolved, inside `root`) lies in a `.git` directory:
    git's own files, which pmctl never writes (any case: `.GIT` is `.git` on macOS)."""
    return any(part.lower() == ".git" for part in path.relative_to(root).parts)


def _unusable(directory: Path) -> str | None:
    """Why the file system refuses `directory` as a name (a part longer than 255 bytes:
    `new` stopped with exit 70 on its `mkdir`), or None if it exists or could be made."""
    try:
        os.stat(directory)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        return error.strerror or str(error)
    return None


def _not_a_file_of_its_own(root: Path, value: str, postmortems: Path) -> str | None:
    """Why `value`, relative to `root`, cannot hold the reading club's sessions, or None."""
    if "\0" in value:  # (os.path.realpath raises on it)
        return "holds a NUL character, which no file name can"
    if not value.strip():
        return "is blank"
    taken_literally = _taken_literally(value)
    if taken_literally is not None:
        return taken_literally
    resolved = Path(os.path.realpath(root / value))  # (a link is judged by where it leads)
    if not resolved.is_relative_to(root):
        return f"leads to {resolved}, outside {root}"
    if in_git_dir(root, resolved):
        return "is inside .git, git's own directory"
    if resolved == root / CONFIG_FILE:
        return f"is {CONFIG_FILE} itself"
    if resolved.is_relative_to(os.path.realpath(postmortems)):
        return "lies in postmortem_dir, where every file is taken for a postmortem"
    if os.path.isdir(resolved):
        return "is a directory"
    unusable = _unusable(resolved)
    return None if unusable is None else f"cannot be a file: {unusable}"


def _a_file_on_the_way(root: Path, directory: Path) -> Path | None:
    """The first of `directory` and its parents below `root` that exists and is not a
    directory (`postmortem_dir = "pmctl.toml"`: `new` could not make its year there)."""
    for place in (directory, *directory.parents):
        if place == root:
            return None
        if os.path.exists(place) and not os.path.isdir(place):
            return place
    return None


def read_settings(path: Path) -> Settings:
    text = _read_text(path)
    data = _parse_toml(path, text)
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise _explain(path, text, data, error) from None


def read_import_map(path: Path) -> ImportMap:
    """A mapping file of `pmctl import --map`: the entries of `[import.map]`, at the top
    level of a TOML file. Problems point at `file:line`, like those of pmctl.toml."""
    from pydantic import TypeAdapter

    from pmctl.domain.config import FieldMap, ImportMapEntry

    if not os.path.isfile(path):  # (Path.is_file raises on too long a name, in 3.11)
        # (`lexists`: a directory or a pipe was said not to exist, a dangling link too.)
        problem = f"is not a file: {_kind(path)}" if os.path.lexists(path) else "does not exist"
        raise ConfigError(
            f"mapping file {path} {problem}", hint="pass the path of a TOML mapping file"
        )
    text = _read_text(path)
    data = _parse_toml(path, text)
    entry: TypeAdapter[str | FieldMap] = TypeAdapter(ImportMapEntry)
    mapping: ImportMap = {}
    for key, value in data.items():
        try:
            mapping[key] = entry.validate_python(value)
        except ValidationError as error:
            first = error.errors()[0]
            line = _key_line(text, key)
            where = f"{path}:{line}" if line else str(path)
            if first["type"] == "extra_forbidden":
                unknown = str(first["loc"][-1])
                known = sorted(FieldMap.model_fields)
                close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.6)
                raise ConfigError(
                    f"unknown key '{unknown}' in the mapping of '{key}'",
                    hint=f"did you mean '{close[0]}'?"
                    if close
                    else f"known keys here: {', '.join(known)}",
                    location=where,
                ) from None
            raise ConfigError(
                f"'{key}': {first['msg']}",
                hint="see docs/adopting.md#the-mapping-file for the format",
                location=where,
            ) from None
    return mapping


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
            hint=f"save {path.name} as UTF-8",
            location=f"{path}:{line}",
        ) from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib recurses into each array and inline table: exit 70
        raise ConfigError(
            "invalid TOML: arrays or inline tables nested too deeply",
            hint="see docs/configuration.md for the format",
            location=str(path),
        ) from None
    except tomllib.TOMLDecodeError as error:
        error_line = _toml_error_line(str(error), text)
        raise ConfigError(
            f"invalid TOML: {_strip_position(str(error))}",
            hint="see docs/configuration.md for the format",
            location=f"{path}:{error_line}" if error_line else str(path),
        ) from None


def _explain(path: Path, text: str, data: dict[str, Any], error: ValidationError) -> ConfigError:
    errors = error.errors()
    # A misspelt key also leaves the key it stands for missing: name the misspelling, whose
    # hint suggests the right name, rather than the missing key.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    # ("lint", "section_aliases", "bad-key", "[key]"): a table key's own error names it
    # before pydantic's "[key]" marker.
    loc = _data_path(data, tuple(str(part) for part in first["loc"] if part != "[key]"))
    message = first["msg"].removeprefix("Value error, ")
    whole_file = not loc
    if whole_file:
        loc = _key_named_in(data, message)
    line: int | None = None
    for part in loc:  # each key is looked for from its table's line on
        line = _key_line(text, part, start=line or 1) or line
    where = f"{path}:{line}" if line else str(path)
    dotted = ".".join(loc)
    if first["type"] == "extra_forbidden":
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys here: {', '.join(known)}"
        return ConfigError(f"unknown key '{dotted}'", hint=hint, location=where)
    return ConfigError(
        f"'{dotted}': {message}" if dotted and not whole_file else message,
        hint="see docs/configuration.md for every key and its default",
        location=where,
    )


def _key_named_in(data: dict[str, Any], message: str) -> tuple[str, ...]:
    """The first key of the file that an error about the whole file names (`review_deadlines
    names unknown severities ...`): pydantic gives such an error no place, so it was shown
    without a line."""
    for word in re.findall(r"[a-z_]+(?:\.[a-z_]+)*", message):
        loc = _data_path(data, tuple(word.split(".")))
        if loc == tuple(word.split(".")) and _has(data, loc):
            return loc
    return ()


def _has(data: dict[str, Any], loc: tuple[str, ...]) -> bool:
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _data_path(data: dict[str, Any], loc: tuple[str, ...]) -> tuple[str, ...]:
    """`loc` without the names pydantic gives the members of a union it tried (`table`):
    the keys and list indexes that lead into `data`, then the one that is missing."""
    path: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            path.append(part)
            node = node[int(part)]
        elif isinstance(node, dict) and len(path) == len(loc) - 1:
            path.append(part)  # an unknown or missing key of this table
        elif not isinstance(node, dict):
            break
    return tuple(path)


def _known_keys(section: tuple[str, ...]) -> list[str]:
    model: type[BaseModel] = Settings
    for name in section:
        field = next((f for key, f in model.model_fields.items() if name in (key, f.alias)), None)
        annotation = field.annotation if field else None
        candidates = [
            a for a in getattr(annotation, "__args__", (annotation,)) if isinstance(a, type)
        ]
        nested = next((a for a in candidates if issubclass(a, BaseModel)), None)
        if nested is None:
            return []
        model = nested
    return sorted(field.alias or name for name, field in model.model_fields.items())


def _key_line(text: str, key: str, *, start: int = 1) -> int | None:
    """Line of `key = ...`, of a `[table]` named `key`, or of `key = ` inside an inline table,
    on line `start` or after."""
    name = re.escape(key)
    own_line = re.compile(rf"^\s*[\"']?{name}[\"']?\s*=|^\s*\[+\s*(?:[\w.-]+\.)?{name}\s*\]+")
    inline = re.compile(rf"[{{,]\s*[\"']?{name}[\"']?\s*=")
    lines = text.splitlines()
    for pattern in (own_line, inline):
        for number, line in enumerate(lines[start - 1 :], start=start):
            if pattern.search(line):
                return number
    return None


def _toml_error_line(message: str, text: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match[1])
    return max(text.count("\n"), 1) if "end of document" in message else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
