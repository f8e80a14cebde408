"""`pmctl site serve`: build the site, serve it on 127.0.0.1 and rebuild it on change."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path

from pmctl.adapters import discovery
from pmctl.adapters.config_file import load_project
from pmctl.adapters.static_server import StaticServer
from pmctl.adapters.templates import OVERRIDE_DIR
from pmctl.domain.project import Project
from pmctl.errors import PmctlError
from pmctl.services.site import BuildResult, build
from pmctl.services.site_pages import IMAGES

Signature = tuple[tuple[str, int, int], ...]


def serve(
    project: Project,
    *,
    out: Path,
    port: int,
    today: Callable[[], dt.date],
    ready: Callable[[str, BuildResult], None],
    rebuilt: Callable[[BuildResult | PmctlError], None],
    interval: float = 1.0,
) -> None:
    """Build, serve, then poll the postmortems, `pmctl.toml` and the template overrides
    every `interval` seconds and rebuild when any changed, until Ctrl-C or SIGTERM.

    A failed rebuild (a broken `pmctl.toml`, a template error) is reported to `rebuilt` and
    the last good site stays served; the next change is tried again.
    """
    # It runs for hours, rebuilding again and again: it needs the collector that pmctl's start
    # turns off (`pmctl.__main__`) to free the cycles each build leaves.
    gc.enable()
    # Taken before the first build: a change made while it runs is then seen as a change.
    seen = signature(project)
    first = build(project, out=out, today=today())
    server = StaticServer(out, port)
    try:
        ready(server.url, first)
        while True:
            # A sleep, not a timed wait on an Event: that never returns under libfaketime,
            # which the suite runs under; Ctrl-C and SIGTERM end a sleep.
            time.sleep(interval)
            now = signature(project)
            if now == seen:
                continue
            seen = now
            try:
                project = load_project(project.root)
                rebuilt(build(project, out=out, today=today()))
            except PmctlError as error:
                rebuilt(error)
    finally:
        server.close()


def signature(project: Project) -> Signature:
    """Path, size and modification time of every input of the site."""
    paths = [project.config_path, *discovery.discover(project.postmortem_dir)]
    paths += [
        Path(entry.path) for _, entry in discovery.files_beside(project.postmortem_dir, IMAGES)
    ]
    overrides = project.root / OVERRIDE_DIR / "site"
    if overrides.is_dir():
        paths.extend(sorted(path for path in overrides.rglob("*") if path.is_file()))
    entries = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)
