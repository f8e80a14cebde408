"""`python -m pmctl` and the `pmctl` console script.

Kept free of heavy imports, so that Ctrl-C (or SIGTERM) while the command line is still
loading, or while it reports an error, exits like any other interruption: one line and exit
130 (143), no traceback.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # A command lives for a fraction of a second: the cyclic collector's passes over the tens
    # of thousands of objects that loading typer, pydantic and pmctl makes (none of them
    # garbage) cost ~50 ms of a later search's 0.4 s. Reference counting still frees all that
    # is not in a cycle; `pmctl site serve`, which runs for hours, turns the collector back on.
    gc.disable()
    from pmctl.adapters import signals
    from pmctl.errors import interruption_in

    signals.raise_on_signals()
    try:
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


if __name__ == "__main__":
    main()
