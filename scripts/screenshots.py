"""Build the example repository's site and photograph it (see scripts/screenshots)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHECKOUT = Path(__file__).resolve().parent.parent
IMAGES = CHECKOUT / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "index.html",
    "postmortem": "pm/2015-10-21-shakespeare-sonnet-ja.html",
    "statistics": "stats.html",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "example"
        shutil.copytree(CHECKOUT / "examples" / "shakespeare", project)
        env = {**os.environ, "PMCTL_TODAY": "2015-11-02"}
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        subprocess.run(
            [sys.executable, "-m", "pmctl", "site", "build"], cwd=project, env=env, check=True
        )
        site = project / "_site"
        IMAGES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for width_name, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in PAGES.items():
                    page.goto((site / path).as_uri())
                    target = IMAGES / f"site-{name}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=name != "postmortem")
                    print(f"wrote {target.relative_to(CHECKOUT)}")
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
