"""A link checker over a built site: every relative `href` and `src` of every page must
lead to a file of the site, and every `#fragment` to an id of the page it names; no id is
given twice on a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()
        self.twice: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                if value in self.ids:
                    self.twice.add(value)
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.targets.append(value)


def broken_links(out: Path) -> list[str]:
    """`page: target` for each link of the site in `out` that leads nowhere, and
    `page: id="ID" twice` for each id given twice."""
    root = out.resolve()
    pages = {}
    for path in sorted(root.rglob("*.html")):
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        pages[path] = parsed
    broken = []
    for path, parsed in pages.items():
        broken += [f'{path.relative_to(root)}: id="{twice}" twice' for twice in parsed.twice]
        for target in parsed.targets:
            if _SCHEME.match(target):
                continue  # another site's, or mailto:
            parts = urlsplit(target)
            found = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            fragment = unquote(parts.fragment)
            view = "=" in fragment  # (`catalogue.html#severity=SEV1`: a filtered view)
            if (
                not found.is_relative_to(root)
                or not found.is_file()
                or (fragment and not view and found in pages and fragment not in pages[found].ids)
            ):
                broken.append(f"{path.relative_to(root)}: {target}")
    return broken
