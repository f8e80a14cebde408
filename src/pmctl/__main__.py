"""`python -m pmctl` and the `pmctl` console script.

Kept free of heavy imports, so that Ctrl-C (or SIGTERM) while the command line is still
loading, or while it reports an error, exits like any other interruption: one line and exit
130 (143), no traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
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
