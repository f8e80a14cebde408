"""Debian's Chromium as the site's browser tests and `scripts/screenshots` start it."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI's container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no request of the browser's own beside the site's
    "--disable-component-update",
    "--disable-sync",
)
