"""`python -m pmctl` and the `pmctl` console script.

Kept free of heavy imports, so that Ctrl-C (or SIGTERM) while the command line is still
loading exits like any other interruption: one line and exit 130 (143), no traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    from pmctl.adapters import signals

    signals.raise_on_sigterm()
    try:
        from pmctl.cli.app import main as run
    except KeyboardInterrupt as interruption:
        terminated = isinstance(interruption, signals.Terminated)
        sys.stderr.write("pmctl: interrupted; nothing was committed\n")
        sys.exit(143 if terminated else 130)
    run()


if __name__ == "__main__":
    main()
