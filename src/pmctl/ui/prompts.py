"""Interactive questions with questionary, asked only on a terminal.

Every question has a flag; without a terminal (or with `--no-input`) a missing answer is a
`UsageError` that names the flag, so scripts and CI never hang on a prompt.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pmctl.errors import Interrupted, UsageError

if TYPE_CHECKING:
    from questionary import Question


def can_prompt(*, no_input: bool) -> bool:
    """Whether there is a terminal to ask on: standard input and output are both one. A
    closed standard input (`<&-`, a cron line closing it) is None in Python: no terminal."""
    stdin = sys.stdin
    return not no_input and stdin is not None and stdin.isatty() and sys.stdout.isatty()


def missing(flag: str, what: str) -> UsageError:
    return UsageError(
        f"{what} is required",
        hint=f"pass {flag} (there is no terminal to ask on, or --no-input was given)",
    )


def ask_text(
    question: str,
    *,
    default: str = "",
    validate: Callable[[str], bool | str] | None = None,
) -> str:
    import questionary

    return str(_answer(questionary.text(question, default=default, validate=validate))).strip()


def ask_choice(question: str, choices: Sequence[str], *, default: str | None = None) -> str:
    import questionary

    return str(_answer(questionary.select(question, choices=list(choices), default=default)))


def ask_checkboxes(question: str, choices: Sequence[str]) -> list[str]:
    """Several of `choices` (space to tick, enter to accept; none is an answer)."""
    import questionary

    return [str(item) for item in _answer(questionary.checkbox(question, choices=list(choices)))]


def _answer(question: Question) -> Any:
    """The answer; `Interrupted` if the person cancelled: Ctrl-C, which questionary turns
    into None, or Ctrl-D, which it lets through as an EOFError (then typer's "Aborted!" and
    exit 1, pmctl's "lint failed")."""
    try:
        answer = question.ask()
    except EOFError:
        answer = None
    if answer is None:
        raise Interrupted(signal.SIGINT)
    return answer
