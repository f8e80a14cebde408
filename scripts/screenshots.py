"""Build a sample library's site and photograph it (see scripts/screenshots).

The library: the bundled Shakespeare example (English and Japanese) among 150 generated
realistic postmortems (`bench/gen_corpus.py`) with their lifecycle in git history
(`bench/gen_history.py`), so that the home page and the charts have something to show.
Today is pinned, so the same checkout takes the same pictures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))
from tests.browser import CHROMIUM, FLAGS  # noqa: E402 (the browser as the site's tests start it)

IMAGES = CHECKOUT / "docs" / "images"
TODAY = "2026-11-23"
PAGES = {
    "home": "index.html",
    "postmortem": "pm/2015-10-21-shakespeare-sonnet-ja.html",
    "statistics": "stats.html",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 860)}
"""Viewport of each picture: what a reader sees first, not the whole page (smaller files)."""


def build_sample(project: Path, env: dict[str, str]) -> Path:
    bench = CHECKOUT / "bench"
    run = [sys.executable]
    subprocess.run(
        [*run, str(bench / "gen_corpus.py"), str(project), "--count", "150", "--seed", "7"],
        env=env,
        check=True,
        capture_output=True,
    )
    examples = CHECKOUT / "examples" / "shakespeare" / "postmortems"
    for path in examples.rglob("*.md"):
        target = project / "postmortems" / path.relative_to(examples)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    subprocess.run(
        [*run, str(bench / "gen_history.py"), str(project), "--commits", "300"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([*run, "-m", "pmctl", "site", "build"], cwd=project, env=env, check=True)
    return project / "_site"


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp) / "home"
        home.mkdir()
        (home / ".gitconfig").write_text(
            "[user]\n\tname = Screenshots\n\temail = screenshots@example.com\n", encoding="utf-8"
        )
        env = {
            **os.environ,
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "PMCTL_TODAY": TODAY,
        }
        site = build_sample(Path(temp) / "library", env)
        IMAGES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*FLAGS, "--font-render-hinting=none"]
            )
            for width_name, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in PAGES.items():
                    page.goto((site / path).as_uri())
                    target = IMAGES / f"site-{name}-{width_name}.png"
                    page.screenshot(path=str(target))
                    size = target.stat().st_size // 1024
                    print(f"wrote {target.relative_to(CHECKOUT)} ({size} KB)")
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
