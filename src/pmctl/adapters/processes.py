"""Whether a process of this machine, named by the id a file was named after, still runs.

Work that pmctl stages in files named after its process id (a site build's `building.<pid>`,
a search index being built) is left behind when that process is killed outright (SIGKILL,
the OOM killer); the next run removes it once the process has ended.
"""

from __future__ import annotations

import os


def running(pid: str) -> bool:
    """Whether the process `pid` (a string, as found in a file's name) is running; True for
    what is not a process id, or a process of another user: only what is surely gone is
    cleaned up."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, OverflowError, OSError):
        return True
    return True
