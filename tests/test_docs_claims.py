"""What the documentation says about pmctl's surface is true: its links lead somewhere, it
names every `pmctl.toml` key, and every option it gives a command is one that command has.

`tests/test_docs_console.py` runs the console examples; these check the prose, tables and
other code blocks, which nothing runs.
"""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path
from typing import Any

import typer.main
from pydantic import BaseModel

from pmctl.cli.app import COMMANDS
from pmctl.domain.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _prose(text: str) -> str:
    """`text` without its fenced blocks and code spans, where a `](x)` is not a link."""
    return re.sub(r"`[^`\n]*`", "", _FENCE.sub("", text))


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces dashed."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(document: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.*)$", _FENCE.sub("", document.read_text()), re.M):
        slug = _slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def _links() -> list[tuple[str, str, Path, str]]:
    """(document, link, target file, anchor) of every relative link and image of the docs."""
    links = []
    for document in DOCUMENTS:
        text = _prose(document.read_text(encoding="utf-8"))
        targets = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'<img src="([^"]+)"', text)
        for target in targets:
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (document.parent / path) if path else document
            links.append((_name(document), target, file, anchor))
    return links


def test_every_relative_link_and_anchor_of_the_docs_resolves() -> None:
    links = _links()
    assert len(links) > 200  # the parser still finds them
    broken = [
        f"{document}: {link}"
        for document, link, file, anchor in links
        if not file.exists() or (anchor and file.suffix == ".md" and anchor not in _anchors(file))
    ]
    assert broken == []


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key `pmctl.toml` accepts in `model`, dotted (`notify.email.tls`)."""
    keys = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        keys.append(prefix + key)
        nested = [
            candidate
            for candidate in (field.annotation, *getattr(field.annotation, "__args__", ()))
            if isinstance(candidate, type) and issubclass(candidate, BaseModel)
        ]
        for section in nested:
            keys.extend(_keys(section, f"{prefix}{key}."))
    return keys


def test_every_pmctl_toml_key_is_in_the_configuration_guide() -> None:
    guide = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    keys = _keys(Settings)
    assert "notify.email.ca_file" in keys
    missing = [
        key
        for key in keys
        if f"`{key.rsplit('.', 1)[-1]}`" not in guide and f"[{key}]" not in guide
    ]
    assert missing == []


def _commands() -> dict[tuple[str, ...], Any]:
    """Every command and group, by the words that invoke it."""
    found: dict[tuple[str, ...], Any] = {}
    pending: list[tuple[tuple[str, ...], Any]] = [
        ((name,), typer.main.get_command(importlib.import_module(module).cli))
        for name, (module, *_) in COMMANDS.items()
    ]
    while pending:
        path, command = pending.pop()
        found[path] = command
        if hasattr(command, "commands"):  # a group (typer's click is its own)
            pending.extend(((*path, name), sub) for name, sub in command.commands.items())
    return found


COMMAND_LINES = re.compile(r"(?<![\w/.-])pmctl((?:[ \t]+[^\s`]+)+)")
_ROOT_OPTIONS = {"--debug", "--version", "--help", "-h"}


def _options(command: Any) -> set[str]:
    return {option for param in command.params for option in (*param.opts, *param.secondary_opts)}


def _named_options() -> list[tuple[str, tuple[str, ...], str]]:
    """(document, command, option) of every option written after `pmctl COMMAND` in the docs."""
    commands = _commands()
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8").replace("\\\n", " ")
        for match in COMMAND_LINES.finditer(text):
            line = re.split(r" [|;&<>] |[|&]{2}| #", match[1].replace("\\|", "|"))[0]
            try:
                words = shlex.split(line)
            except ValueError:
                words = line.split()
            while words and (words[0] in _ROOT_OPTIONS or words[0] == "--today"):
                words = words[2:] if words[0] == "--today" else words[1:]
            path: tuple[str, ...] = ()
            while words and (*path, words[0]) in commands:
                path, words = (*path, words[0]), words[1:]
            if not path:
                continue
            for word in words:
                for option in re.findall(r"(?:^|/)(--?[A-Za-z][\w-]*)", word):
                    if " " not in word:
                        found.append((_name(document), path, option))
    return found


def test_every_option_the_docs_give_a_command_is_one_it_has() -> None:
    commands = _commands()
    named = _named_options()
    assert len(named) > 150  # the parser still finds them
    unknown = sorted(
        {
            f"{document}: pmctl {' '.join(path)} {option}"
            for document, path, option in named
            if option not in _options(commands[path]) | {"--help", "-h"}
        }
    )
    assert unknown == []
