"""The one-line messages (`note`, `warn`, `success`, `print_error`) and the search results
are written without rich: the bytes must be those rich's console wrote, in and out of a
terminal."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest

from pmctl.domain.learning.hits import Hit, SearchResults
from pmctl.domain.learning.query import parse
from pmctl.domain.learning.snippet import Snippet
from pmctl.errors import GitError
from pmctl.ui import console, search_output
from tests.conftest import run_python


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


ERROR = GitError(
    "line one [red]x\nline two\x1b[31m",
    hint="do [this] now",
    details="the hook said\r\nstuff\x07 \x1b[31mred\x1b[0m\n",
)
MESSAGE = "committed 1a2b3c: move [bold]x[/] to \\ in-review\t日本語 ✓"
SNIPPET = "…a [bold]pool\\ of 接続 was\x1b[31m exhausted; pool [/] again…"
HIT = Hit(
    id="2026-01-02-[red]x",
    title="Pool \\[b] exhausted\t日本語 \x07",
    path="postmortems/x.md",
    date="2026-01-02",
    status="closed",
    severity="SEV1",
    services=("checkout", "[dim]db"),
    tags=("capacity",),
    score=1.5,
    snippet=Snippet(SNIPPET, ((11, 15), (35, 42), (43, 47))),
)
RESULTS = SearchResults(parse("pool exhausted"), 12, (HIT, HIT))


def _with_rich(kind: str) -> None:
    """What `pmctl.ui.console` printed with rich until it wrote these lines itself."""
    from rich.console import Console
    from rich.markup import escape

    from pmctl.domain.visible_text import visible

    rich = Console(stderr=kind != "success", highlight=False, soft_wrap=True)
    if kind == "note":
        rich.print(f"[dim]{escape(visible(MESSAGE))}[/]")
    elif kind == "warn":
        rich.print(f"[yellow]warning:[/] {escape(visible(MESSAGE))}")
    elif kind == "success":
        rich.print(f"[green]✓[/] {escape(visible(MESSAGE))}")
    elif kind == "search":
        rich = Console(highlight=False, soft_wrap=True)
        for rank, hit in enumerate(RESULTS.hits, start=1):
            rich.print(f"[bold]{rank}. {escape(visible(hit.id))}[/]  {escape(visible(hit.title))}")
            rich.print(f"   [dim]{escape(visible(search_output._facts(hit)))}[/]")
            text, marked, at = hit.snippet.text, "", 0
            for start, end in hit.snippet.highlights:
                marked += escape(visible(text[at:start]))
                marked += f"[bold yellow]{escape(visible(text[start:end]))}[/]"
                at = end
            rich.print(f"   {marked}{escape(visible(text[at:]))}")
        rich.print(search_output.summary(RESULTS))
    else:
        rich.out(ERROR.details.rstrip("\n"), highlight=False)
        rich.print(f"[bold red]error:[/] {escape(console._shown(ERROR.message))}")
        rich.print(f"  [dim]hint:[/] {escape(console._shown(ERROR.hint))}")


def _without_rich(kind: str) -> None:
    if kind == "error":
        console.print_error(ERROR, cwd=Path("/nowhere"))
    elif kind == "search":
        search_output.print_results(RESULTS)
    else:
        getattr(console, kind)(MESSAGE)


SETTINGS = {
    "FORCE_COLOR": (None, "", "1"),
    "NO_COLOR": (None, "1"),
    "TTY_COMPATIBLE": (None, "0", "1"),
    "TERM": ("xterm-256color", "dumb"),
}


@pytest.mark.parametrize("kind", ["note", "warn", "success", "error", "search"])
def test_messages_are_what_rich_wrote(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for values in itertools.product(*SETTINGS.values()):
        for name, value in zip(SETTINGS, values, strict=True):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        for terminal in (False, True):
            written = []
            for write in (_with_rich, _without_rich):
                stream = _Stream(terminal)
                monkeypatch.setattr("sys.stdout", stream)
                monkeypatch.setattr("sys.stderr", stream)
                write(kind)
                written.append(stream.getvalue())
            assert written[1] == written[0], (values, terminal)


def test_emoji_codes_stay_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    console.note("committed 1a2b3c: remove the :fire: alert")
    assert capsys.readouterr().err == "committed 1a2b3c: remove the :fire: alert\n"


def test_saying_what_was_committed_or_what_a_search_found_does_not_import_rich() -> None:
    probe = (
        "import sys\n"
        "from pmctl.domain.commits import Commit\n"
        "from pmctl.ui import console\n"
        "console.committed(Commit('1a2b3c4d5e6f', 'move x to in-review'))\n"
        "console.warn('no notification sent')\n"
        "from pmctl.domain.learning.hits import SearchResults\n"
        "from pmctl.domain.learning.query import parse\n"
        "from pmctl.ui import search_output\n"
        "search_output.print_results(SearchResults(parse('x'), 0, ()))\n"
        "sys.stdout.write(repr(sorted(m for m in sys.modules if m.startswith('rich'))))\n"
    )
    result = run_python(probe)
    assert result.stdout == "no postmortem matches\n[]"
    assert "committed 1a2b3c4d5e: move x to in-review\n" in result.stderr
