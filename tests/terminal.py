"""`pmctl` run on a real terminal (a pty), as a person types at it."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Terminal:
    process: subprocess.Popen[bytes]
    controller: int
    seen: bytearray = field(default_factory=bytearray)

    def expect(self, needle: bytes, timeout: float = 20.0) -> None:
        """Read what pmctl shows until `needle` appears; fail with the screen's tail if not."""
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {needle!r} on the terminal; saw {bytes(self.seen)[-400:]!r}"
            ready, _, _ = select.select([self.controller], [], [], remaining)
            if ready:
                try:
                    self.seen.extend(os.read(self.controller, 4096))
                except OSError:
                    break

    def type(self, keys: bytes) -> None:
        os.write(self.controller, keys)


@contextlib.contextmanager
def pmctl_on_terminal(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> Iterator[Terminal]:
    """`python -m pmctl args` on a pty of 120x40 columns; killed if still running at the end."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={
            **os.environ,
            **(env or {}),
            "TERM": "xterm",
            "COLUMNS": "120",
            "LINES": "40",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        },
    )
    os.close(terminal)
    try:
        yield Terminal(process, controller)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
