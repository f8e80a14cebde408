"""The pages of the site: what each one shows, rendered from `templates/site/`.

`render_postmortem` runs in forked workers during a build (it reads its postmortem, writes
its page and returns its search tokens and entry, which the same worker writes into the
search segment); `write_aggregates` runs in a child of its own at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from pmctl import __version__
from pmctl.adapters import discovery, documents, markdown, templates
from pmctl.adapters.cache import stat_key
from pmctl.adapters.site_output import Output
from pmctl.domain import digest
from pmctl.domain.comments import without_comments
from pmctl.domain.config import Settings
from pmctl.domain.durations import duration, percent
from pmctl.domain.enums import GroupBy
from pmctl.domain.lint.body import parse_body
from pmctl.domain.metrics import Transition
from pmctl.domain.model import Language, Postmortem, Status
from pmctl.domain.project import Project
from pmctl.domain.report import Group, build, incident_date, sort_key
from pmctl.domain.sections import SectionNames, section_names
from pmctl.domain.site import search_tokens, views
from pmctl.domain.site.labels import LABELS
from pmctl.domain.site.statistics import charts, site_statistics
from pmctl.domain.visible_text import bidi_spelled

ASSETS = ("site.css", "site.js", "search.js")
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
"""The images beside the postmortems that the site carries (under `files/`), for the
postmortems that show them. Not SVG: opened by itself, one may run its scripts in the
site's origin, where no Content Security Policy of a page applies."""
FILES = "files"
AGGREGATES = ("index.html", "catalogue.html", "actions.html", "stats.html", "search.html")
RECENT = 10
BOARD_ROWS = 50
"""The action-item board shows each owner's first this-many items (overdue first)."""
FEATURE_DAYS = 90
RENDER_CPU_SECONDS = 2.0
RENDER_CPU_PER_PAGE = 0.01
"""When the repository overrides a site template, the renders of one process of a build may
use this much CPU time, plus this much for each page of the build (a built-in page renders
in 0.3 ms), and one page at most `templates.CPU_SECONDS`: a template that loops ends the
build with an error instead of never."""
"""The home page features the best-scored postmortem of this many days before today."""
_LINK_TARGET = re.compile(r"^(?:.*/)?([^/#?]+)\.md(#.*)?$")
_TITLE = re.compile(r"\A\s*# [^\n]*\n")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")
PAGE_IDS = frozenset({"main", "q", "action-items", "reviews", "related"})
"""The ids a postmortem's page gives its own parts (`base` and `postmortem.html.j2`): its
body's headings take others (a link to `#action-items` leads to the page's action items)."""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a page needs besides its own postmortem; the same for a whole build."""

    root: Path
    postmortem_dir: Path
    settings: Settings
    language: Language
    today: dt.date
    titles: Mapping[str, str]
    backlinks: Mapping[str, tuple[str, ...]]
    names: SectionNames
    render: templates.HtmlRenderer
    fingerprint: tuple[str, ...]

    @classmethod
    def of(
        cls,
        project: Project,
        *,
        today: dt.date,
        titles: Mapping[str, str],
        related: Mapping[str, Sequence[str]],
        fingerprint: tuple[str, ...],
        pages: int,
    ) -> Site:
        """The site of `project`: `titles` and `related` are every postmortem's, by id;
        `pages` is how many pages the build renders."""
        settings = project.settings
        backlinks: dict[str, set[str]] = {}
        for postmortem_id, others in related.items():
            for other in others:
                if other != postmortem_id:
                    backlinks.setdefault(other, set()).add(postmortem_id)
        return cls(
            root=project.root,
            postmortem_dir=project.postmortem_dir,
            settings=settings,
            language=settings.default_language,
            today=today,
            titles=titles,
            backlinks={key: tuple(sorted(ids)) for key, ids in backlinks.items()},
            names=section_names(settings.lint.section_aliases),
            render=templates.html_renderer(
                project.root,
                cpu_seconds=(
                    RENDER_CPU_SECONDS + RENDER_CPU_PER_PAGE * pages
                    if _overrides_pages(project.root)
                    else None  # pmctl's own templates: no bound to pay for on every page
                ),
            ),
            fingerprint=fingerprint,
        )

    @property
    def words(self) -> Mapping[str, str]:
        return LABELS[self.language]

    def rewrite(self, target: str) -> str:
        """A relative link in a postmortem: `other-id.md` becomes that postmortem's page."""
        match = _LINK_TARGET.match(target)
        if match and match[1] in self.titles:
            return f"{match[1]}.html{match[2] or ''}"
        return target

    def copies(self, document: Path) -> Callable[[str], str | None]:
        """For the postmortem in `document`: where the site has its copy of an image it
        names (`img/graph.png`, `/postmortems/img/graph.png` from the top of the repository
        as GitHub reads it), or None: not beside the postmortems, or not an image copied."""
        folder = os.path.relpath(document.parent, self.postmortem_dir).replace(os.sep, "/")
        below_root = os.path.relpath(self.postmortem_dir, self.root).replace(os.sep, "/")

        def copy(target: str) -> str | None:
            path = _QUERY_OR_FRAGMENT.split(target, maxsplit=1)[0]  # (`a.png?raw=true`)
            if os.path.splitext(path)[1].lower() not in IMAGES:
                return None
            after = target[len(path) :]
            path = unquote(path)
            if path.startswith("/"):
                found = posixpath.relpath(posixpath.normpath(path.lstrip("/")), below_root)
            else:
                found = posixpath.normpath(posixpath.join(folder, path))
            if found == ".." or found.startswith("../"):
                return None
            return f"../{FILES}/{quote(found)}{after}"

        return copy


def page_path(postmortem_id: str) -> str:
    return f"pm/{postmortem_id}.html"


def fingerprint(project: Project) -> tuple[str, ...]:
    """What every page depends on besides the postmortems: pmctl, settings, templates."""
    return (
        __version__,
        _digest(project.settings.model_dump_json()),
        _templates_digest(project.root),
    )


def link_fingerprints(
    titles: Mapping[str, str], related: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Per postmortem, what its page shows of others: related and referencing titles."""
    backlinks: dict[str, list[str]] = {}
    for postmortem_id, others in related.items():
        for other in others:
            backlinks.setdefault(other, []).append(postmortem_id)
    fingerprints = {}
    for postmortem_id, others in related.items():
        shown = [f"{other}\x1f{titles.get(other, '')}" for other in others]
        shown.append("\x1e")
        shown += [
            f"{other}\x1f{titles[other]}" for other in sorted(backlinks.get(postmortem_id, []))
        ]
        fingerprints[postmortem_id] = _digest("\x1d".join(shown))
    return fingerprints


def render_postmortem(
    site: Site, output: Output, path: Path, model: Postmortem
) -> tuple[str, set[str], list[str]]:
    """Write the page of one postmortem; return its content hash, search tokens and search
    entry."""
    text, body = documents.read_text_and_body(path)
    body = _TITLE.sub("", body, count=1)
    words = LABELS[model.language]
    copy = site.copies(path)
    context = {
        **_common(site, "../", "catalogue"),
        "title": model.title,
        "pm": views.postmortem(model, words),
        "doc_words": words,
        "body": templates.markup(
            markdown.render(
                body,
                rewrite=lambda target: copy(target) or site.rewrite(target),
                image=copy,
                taken=PAGE_IDS,
            )
        ),
        "related": [(other, site.titles.get(other)) for other in model.related],
        "referenced_by": [
            (other, site.titles[other]) for other in site.backlinks.get(model.id, ())
        ],
    }
    output.write_text(page_path(model.id), site.render("site/postmortem.html.j2", context))
    text = " ".join(
        [model.id, model.title, model.owner, model.incident or "", *model.services, *model.tags]
    )
    # Without HTML comments, so without the template's guidance a draft still holds: the
    # search page found every draft for its words and showed it as the draft's summary.
    shown = without_comments(body) if "<!--" in body else body
    summary = parse_body(shown, 1, site.names).section("summary")
    excerpt = ""
    if summary is not None:
        section = "\n".join(shown.split("\n")[summary[1] : summary[2]])
        excerpt = digest.excerpt(markdown.plain(section), 160)
    # Shown by the search page as text: spelled out as the pages spell it (`bidi_spelled`).
    entry = [
        model.id,
        bidi_spelled(model.title),
        incident_date(model).isoformat(),
        bidi_spelled(model.severity),
        views.label(site.words, model.status.value),  # (in the site's words, as its cards)
        model.language.value,
        bidi_spelled(excerpt),
    ]
    tokens = search_tokens.tokens(text + "\n" + shown)
    return _digest(text), tokens, entry


def write_aggregates(
    site: Site,
    output: Output,
    postmortems: Sequence[Postmortem],
    transitions: Sequence[Transition],
    *,
    invalid: int,
) -> None:
    """Home, catalogue, action items, statistics and search pages."""
    words = site.words
    newest = sorted(postmortems, key=lambda m: (incident_date(m), m.id), reverse=True)
    pairs = [(page_path(m.id), m) for m in postmortems]
    board = build(pairs, today=site.today, group_by=GroupBy.OWNER)
    totals = board.totals
    statistics = site_statistics(postmortems, transitions, settings=site.settings, today=site.today)
    cards = [_card(site, m) for m in newest]
    as_of = words["as_of"].format(date=site.today.isoformat())
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.html": (
            "site/home.html.j2",
            {
                **_common(site, "", "home"),
                "title": words["site"],
                "as_of": as_of,
                "recent": cards[:RECENT],
                "featured": _featured(site, newest),
                "open_count": totals.items,
                "overdue": [views.action_row(row, words) for row in board.rows if row.overdue][
                    :RECENT
                ],
                "overdue_count": totals.overdue,
                "count": len(postmortems),
            },
        ),
        "catalogue.html": (
            "site/catalogue.html.j2",
            {
                **_common(site, "", "catalogue"),
                "title": words["catalogue"],
                "rows": cards,
                "shown": words["shown"].format(n=len(cards)),
                "filters": _filters(site, postmortems),
            },
        ),
        "actions.html": (
            "site/actions.html.j2",
            {
                **_common(site, "", "actions"),
                "title": words["actions"],
                "as_of": as_of,
                "open_count": totals.items,
                "overdue_count": totals.overdue,
                "by_priority": list(totals.by_priority.items()),
                "groups": [_owner_group(group, words) for group in board.groups],
            },
        ),
        "stats.html": (
            "site/stats.html.j2",
            {
                **_common(site, "", "statistics"),
                "title": words["statistics"],
                "as_of": as_of,
                "charts": {
                    name: templates.markup(svg) for name, svg in charts(statistics, words).items()
                },
                "stats": statistics.overall,
                "duration": duration,
                "percent": percent,
                "invalid": invalid,
            },
        ),
        "search.html": (
            "site/search.html.j2",
            {**_common(site, "", "search"), "title": words["search"]},
        ),
    }
    for path, (name, context) in pages.items():
        output.write_text(path, site.render(name, context))


def write_assets(site: Site, output: Output) -> None:
    for name in ASSETS:
        output.write(
            f"assets/{name}", templates.find(f"site/assets/{name}", site.root).read_bytes()
        )


def write_images(
    postmortem_dir: Path, output: Output, before: Mapping[str, tuple[int, ...]]
) -> dict[str, tuple[int, ...]]:
    """Copy the images beside the postmortems (`IMAGES`) into `files/`; those gone since
    the build that found `before` (path -> stat) are removed. Returns what it found. An
    image whose stat is that of `before` and whose copy is there is not read again."""
    found: dict[str, tuple[int, ...]] = {}
    for key, entry in discovery.files_beside(postmortem_dir, IMAGES):
        with contextlib.suppress(OSError):
            stat = stat_key(entry.stat())
            target = f"{FILES}/{key}"
            if before.get(key) != stat or not output.exists(target):
                output.write(target, Path(entry.path).read_bytes())
            found[key] = stat
    for gone in sorted(before.keys() - found.keys()):
        output.remove(f"{FILES}/{gone}")
    return found


def _common(site: Site, root: str, current: str) -> dict[str, Any]:
    words = site.words
    return {
        "root": root,
        "lang": site.language.value,
        "words": words,
        "today": site.today.isoformat(),
        "current": current,
        "nav": [
            ("home", "index.html", words["home"]),
            ("catalogue", "catalogue.html", words["catalogue"]),
            ("actions", "actions.html", words["actions"]),
            ("statistics", "stats.html", words["statistics"]),
            ("search", "search.html", words["search"]),
        ],
    }


def _card(site: Site, model: Postmortem) -> dict[str, Any]:
    rank = _severity_rank(site.settings, model.severity)
    return views.card(model, site.words, url=page_path(model.id), rank=rank)


def _owner_group(group: Group, words: Mapping[str, str]) -> tuple[Any, ...]:
    """(owner, items, overdue, the first rows, "... and n more"): overdue first, then by
    priority and due date; a long list shows its first BOARD_ROWS."""
    rows = sorted(group.rows, key=lambda row: (not row.overdue, sort_key(row)))
    more = len(rows) - BOARD_ROWS
    return (
        group.key,
        len(rows),
        group.overdue,
        [views.action_row(row, words) for row in rows[:BOARD_ROWS]],
        words["more"].format(n=more, owner=group.key) if more > 0 else "",
    )


def _featured(site: Site, newest: Sequence[Postmortem]) -> dict[str, Any] | None:
    since = site.today - dt.timedelta(days=FEATURE_DAYS)
    scored = [
        (sum(r.points for r in reasons), model, reasons)
        for model in newest
        if since <= incident_date(model) <= site.today
        and digest.worth_featuring(reasons := digest.reasons(model, {}, site.settings))
    ]
    if not scored:
        return None
    _, model, reasons = max(scored, key=lambda entry: entry[0])  # newest first on a tie
    return {
        "card": _card(site, model),
        "reasons": [reason.text(site.language) for reason in reasons],
    }


def _filters(
    site: Site, postmortems: Sequence[Postmortem]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(attribute, label, values) of each filter of the catalogue."""

    def values(pick: Callable[[Postmortem], Sequence[str]]) -> list[str]:
        return sorted({value for model in postmortems for value in pick(model)})

    words = site.words
    severities = values(lambda m: (m.severity,))
    severities.sort(key=lambda s: (_severity_rank(site.settings, s), s))
    choices = {
        "status": [status.value for status in Status],
        "severity": severities,
        "service": values(lambda m: m.services),
        "tag": values(lambda m: m.tags),
        "year": sorted(values(lambda m: (m.id[:4],)), reverse=True),
    }
    return [
        (key, words[key], [(value, views.label(words, value)) for value in shown])
        for key, shown in choices.items()
    ]


def _severity_rank(settings: Settings, severity: str) -> int:
    scale = settings.severities
    return scale.index(severity) if severity in scale else len(scale)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _overrides_pages(root: Path) -> bool:
    """Whether the repository has a template of its own for the site's pages."""
    directory = templates.search_path(root)[0] / "site"
    return directory.is_dir() and any(directory.rglob("*.j2"))


def _templates_digest(root: Path) -> str:
    """A hash of every site template and asset that this project's build would use."""
    hasher = hashlib.sha1(usedforsecurity=False)
    for directory in templates.search_path(root):
        base = directory / "site"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    hasher.update(os.fsencode(path.relative_to(base)) + b"\0")
                    hasher.update(path.read_bytes())
    return hasher.hexdigest()
