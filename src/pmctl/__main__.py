"""`python -m pmctl` and the `pmctl` console script.

Kept free of heavy imports, so that Ctrl-C (or SIGTERM) while the command line is still
loading, or while it reports an error, exits like any other interruption: one line and exit
130 (143), no traceback.
"""

from __future__ import annotations

import atexit
import gc
import sys
import types


def main() -> None:
    # A command lives for a fraction of a second: the cyclic collector's passes over the tens
    # of thousands of objects that loading typer, pydantic and pmctl makes (none of them
    # garbage) cost ~50 ms of a later search's 0.4 s. Reference counting still frees all that
    # is not in a cycle; `pmctl site serve`, which runs for hours, turns the collector back on.
    gc.disable()
    # Python's exit still makes a full pass of the collector over every object: frozen, they
    # are not looked at (`status ID` ~40 M instructions and ~15 % of its time less).
    atexit.register(gc.freeze)
    _without_pydantic_plugins()
    from pmctl.adapters import signals
    from pmctl.errors import interruption_in

    try:
        # Inside the `try`: a signal may arrive as soon as the first handler is set.
        signals.raise_on_signals()
        from pmctl.cli.app import main as run

        run()
    except SystemExit:
        raise
    except BaseException as error:  # while loading, or while reporting another error
        interruption = interruption_in(error)
        if interruption is None:
            raise
        sys.stderr.write("pmctl: interrupted; nothing was committed\n")
        sys.exit(interruption.exit_code)


def _no_plugins() -> tuple[()]:
    return ()


def _without_pydantic_plugins() -> None:
    """Stand in for pydantic's plugin loader with one that finds no plugins.

    The loader imports `importlib.metadata` and reads the entry points of every installed
    package the first time a model is built: ~70 M instructions, 7-8 % of a `status`, a
    `search` or a `lint ONE.md`. pmctl validates its own files and has no use for validation
    plugins (such as logfire's). `tests/test_main.py` fails if pydantic's loader changes.
    """
    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules.setdefault(loader.__name__, loader)


if __name__ == "__main__":
    main()
